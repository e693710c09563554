"""What every negotiation page shares: the acting company and its side, and posted actions.

A page that takes several posted actions lists them in ONE table, ``actions``: the posted
``action`` name → ``Action`` (its form, if it has fields, and the service call). ``ActionMixin``
validates the form, runs the call in a transaction, and shows a refusal either on the form
(what was typed stays) or as a message on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from exhibitors.models import CompanyStatus, Exhibitor
from exhibitors.views import CompanyMemberMixin

from .. import selectors, services
from ..forms import ReplyForm
from ..models import Side

Product = get_model("catalogue", "Product")


def _error(form, error: ValidationError) -> None:
    """Show a service's refusal on the form (what was typed stays in it)."""
    for message in error.messages:
        form.add_error(None, message)


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _public_exhibitor(key: str) -> Exhibitor:
    exhibitor = Exhibitor.objects.exclude(status=CompanyStatus.REJECTED).filter(key=key).first()
    if exhibitor is None:
        raise Http404("No such exhibitor")
    return exhibitor


def _exhibitor_products(exhibitor: Exhibitor):
    return Product.objects.filter(stockrecords__partner_id=exhibitor.partner_id, is_public=True).order_by(
        "title"
    )


class NegotiationMixin(CompanyMemberMixin):
    """The current company and its side, plus the shared context of these pages."""

    @property
    def side(self) -> str:
        return selectors.side_of(self.membership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["side"] = self.side
        context["is_buyer"] = self.side == Side.BUYER
        context["Side"] = Side
        return context


def bound(form_class, *, prefixed: bool = True, files: bool = False, **kwargs) -> Callable:
    """A form factory for ``Action``: ``form_class`` bound to the POST, prefixed with the action's name."""

    def build(view, obj, name):
        return form_class(
            view.request.POST,
            view.request.FILES if files else None,
            prefix=name if prefixed else None,
            **kwargs,
        )

    return build


@dataclass(frozen=True)
class Action:
    """One posted action of a page.

    ``run(view, obj, data)`` calls the service (``data``: the form's cleaned data, else ``{}``);
    ``form(view, obj, name)`` builds the bound form, if the action has fields; the page shows it
    again, as ``<name>_form``, when it is refused. ``success`` is the message shown after it, or
    ``success(view, obj)`` makes it.
    """

    run: Callable
    form: Callable | None = None
    success: str | Callable = gettext_lazy("Saved.")

    def message(self, view, obj) -> str:
        return self.success(view, obj) if callable(self.success) else self.success


class ActionMixin:
    """POST dispatches through ``actions``; a POST without ``action`` runs ``default_action``."""

    actions: dict[str, Action] = {}
    default_action = ""

    def get_object(self):
        raise NotImplementedError

    def success_url(self, obj) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        name = request.POST.get("action") or self.default_action
        action = self.actions.get(name)
        if action is None:
            messages.error(request, _("Unknown action."))
            return redirect(self.success_url(obj))
        form = action.form(self, obj, name) if action.form else None
        if form is not None and not form.is_valid():
            return self.render_to_response(self.get_context_data(**{f"{name}_form": form}))
        try:
            with transaction.atomic():
                action.run(self, obj, form.cleaned_data if form is not None else {})
        except ValidationError as error:
            if form is None:
                _flash(request, error)
                return redirect(self.success_url(obj))
            _error(form, error)
            return self.render_to_response(self.get_context_data(**{f"{name}_form": form}))
        messages.success(request, action.message(self, obj))
        return redirect(self.success_url(obj))


def _reply(view, obj, data) -> None:
    services.message_post(
        membership=view.membership, thread=obj.thread, body=data["body"], files=data["attachments"]
    )


# The reply in the thread of an inquiry or a quote (its form has no prefix).
REPLY = Action(
    run=_reply,
    form=bound(ReplyForm, prefixed=False, files=True),
    success=gettext_lazy("Your message is sent."),
)


class ThreadPageMixin(ActionMixin, NegotiationMixin):
    """GET shows the thread and marks it read; POST ``reply`` (the default) adds a message."""

    default_action = "reply"

    def thread_context(self, thread, reply_form=None) -> dict:
        services.thread_mark_seen(membership=self.membership, thread=thread)
        return {
            "thread": thread,
            "thread_messages": selectors.message_list(thread=thread),
            "reply_form": reply_form or ReplyForm(),
        }


class OverviewView(NegotiationMixin, TemplateView):
    """Conversations (unread first) and what waits for an answer."""

    template_name = "negotiation/overview.html"

    def get_context_data(self, **kwargs):
        threads = list(selectors.thread_list(membership=self.membership)[:50])
        unread = selectors.unread_thread_ids(membership=self.membership, threads=threads)
        for thread in threads:
            thread.is_unread = thread.pk in unread
        return super().get_context_data(
            threads=threads, counts=selectors.action_counts(membership=self.membership), **kwargs
        )


class ThreadView(NegotiationMixin, View):
    """A thread's own page is its inquiry's or its quote's."""

    def get(self, request, pk):
        thread = selectors.thread_get(membership=self.membership, pk=pk)
        if hasattr(thread, "inquiry"):
            return redirect("company:negotiation-inquiry", thread.inquiry.pk)
        return redirect("company:negotiation-quote", thread.quote.pk)


class AttachmentView(NegotiationMixin, View):
    """An attachment, to the two companies of its thread only."""

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        attachment = selectors.attachment_get(membership=self.membership, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=attachment.name)
