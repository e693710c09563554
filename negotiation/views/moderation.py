"""Blocking counterparts and reporting abuse."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from buyers.models import Buyer
from exhibitors.models import Exhibitor

from .. import selectors, services
from ..forms import AbuseReportForm
from .common import Action, ActionMixin, NegotiationMixin, _error


def _counterpart(token: str):
    """``exhibitor:KEY`` or ``buyer:KEY`` of the other side."""
    kind, _sep, key = (token or "").partition(":")
    model = {Exhibitor.kind: Exhibitor, Buyer.kind: Buyer}.get(kind)
    if model is None or not key:
        raise Http404
    company = model.objects.filter(key=key).first()
    if company is None:
        raise Http404
    return company


BLOCK = Action(
    run=lambda view, counterpart, data: services.company_block(
        membership=view.membership, counterpart=counterpart
    ),
    success=lambda view, counterpart: (
        _("%(company)s is blocked: it can no longer write to your company.")
        % {"company": counterpart.display_name}
    ),
)
UNBLOCK = Action(
    run=lambda view, counterpart, data: services.company_unblock(
        membership=view.membership, counterpart=counterpart
    ),
    success=lambda view, counterpart: _("%(company)s is unblocked.") % {"company": counterpart.display_name},
)


class BlockListView(ActionMixin, NegotiationMixin, TemplateView):
    """Companies the current company has blocked; POST ``block``/``unblock`` with ``company``."""

    template_name = "negotiation/block_list.html"
    actions = {"block": BLOCK, "unblock": UNBLOCK}
    default_action = "block"

    def get_object(self):
        return _counterpart(self.request.POST.get("company", ""))

    def success_url(self, counterpart) -> str:
        return reverse("company:negotiation-blocks")

    def get_context_data(self, **kwargs):
        return super().get_context_data(blocks=selectors.block_list(membership=self.membership), **kwargs)


class AbuseReportView(NegotiationMixin, TemplateView):
    """``?company=exhibitor:KEY``: report abuse by a counterpart to the expo staff."""

    template_name = "negotiation/report_form.html"

    def get(self, request, *args, **kwargs):
        counterpart = _counterpart(request.GET.get("company", ""))
        form = AbuseReportForm(initial={"subject": request.GET.get("subject", "")})
        return self.render_to_response(self.get_context_data(form=form, counterpart=counterpart))

    def post(self, request, *args, **kwargs):
        counterpart = _counterpart(request.GET.get("company", ""))
        form = AbuseReportForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.abuse_report(
                        membership=self.membership, counterpart=counterpart, **form.cleaned_data
                    )
                messages.success(request, _("Thank you. The expo staff will look into it."))
                return redirect("company:negotiation")
            except ValidationError as error:
                _error(form, error)
        return self.render_to_response(self.get_context_data(form=form, counterpart=counterpart))
