"""Quote pages: the lists, quoting on a request, a quote with its thread, comparing a request's quotes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from buyers.models import RequestStatus, SourcingRequest
from exhibitors.models import CompanyStatus

from .. import selectors, services
from ..forms import QuoteForm
from ..models import DeliveryTerms, QuoteStatus, Side
from .common import REPLY, Action, ActionMixin, NegotiationMixin, ThreadPageMixin, _error, _exhibitor_products


class QuoteListView(NegotiationMixin, TemplateView):
    """Exhibitors: their quotes and the open requests that fit; buyers: their requests."""

    template_name = "negotiation/quote_list.html"

    def get_context_data(self, **kwargs):
        context = {}
        if self.side == Side.EXHIBITOR:
            context["quotes"] = selectors.quote_list(membership=self.membership).order_by("-created_at")[:100]
            quoted = selectors.quote_list(membership=self.membership).values_list("request_id", flat=True)
            context["open_requests"] = (
                SourcingRequest.objects.filter(
                    status=RequestStatus.OPEN, buyer__status=CompanyStatus.VERIFIED
                )
                .exclude(pk__in=quoted)
                .select_related("buyer", "category")
                .order_by("-created_at")[:50]
            )
        else:
            context["requests"] = selectors.buyer_request_list(membership=self.membership).order_by(
                "-created_at"
            )
        return super().get_context_data(**context, **kwargs)


class QuoteCreateView(NegotiationMixin, TemplateView):
    """``?request=ID``: an exhibitor quotes on (or revises its quote on) an open request."""

    template_name = "negotiation/quote_form.html"

    def setup_target(self):
        request_id = self.request.GET.get("request", "")
        if self.side != Side.EXHIBITOR or not request_id.isdigit():
            raise Http404("Name the request.")
        self.sourcing_request = selectors.quotable_request_get(membership=self.membership, pk=request_id)
        self.products = _exhibitor_products(self.membership.exhibitor)
        self.existing = (
            selectors.quote_list(membership=self.membership).filter(request=self.sourcing_request).first()
        )

    def get(self, request, *args, **kwargs):
        self.setup_target()
        initial = {"delivery_terms": DeliveryTerms.DELIVERED}
        if self.existing:
            initial.update({name: getattr(self.existing, name) for name in services.QUOTE_FIELDS})
        return self.render_to_response(
            self.get_context_data(form=QuoteForm(products=self.products, initial=initial))
        )

    def post(self, request, *args, **kwargs):
        self.setup_target()
        form = QuoteForm(request.POST, products=self.products)
        if form.is_valid():
            try:
                with transaction.atomic():
                    quote = services.quote_submit(
                        membership=self.membership, request=self.sourcing_request, **form.cleaned_data
                    )
                messages.success(request, _("Your quote is sent."))
                return redirect("company:negotiation-quote", quote.pk)
            except ValidationError as error:
                _error(form, error)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sourcing_request=self.sourcing_request, existing=self.existing, **kwargs
        )


class QuoteDetailView(ThreadPageMixin, TemplateView):
    template_name = "negotiation/quote_detail.html"
    actions = {
        "reply": REPLY,
        "accept": Action(
            run=lambda view, quote, data: services.quote_accept(membership=view.membership, quote=quote),
            success=gettext_lazy("You accepted this quote. Check out at the quoted price below."),
        ),
        "withdraw": Action(
            run=lambda view, quote, data: services.quote_withdraw(membership=view.membership, quote=quote),
            success=gettext_lazy("Your quote is withdrawn."),
        ),
    }

    def get_object(self):
        return selectors.quote_get(membership=self.membership, pk=self.kwargs["pk"])

    def success_url(self, quote) -> str:
        return reverse("company:negotiation-quote", args=[quote.pk])

    def get_context_data(self, **kwargs):
        quote = self.get_object()
        reply_form = kwargs.pop("reply_form", None)
        return super().get_context_data(
            quote=quote,
            counterpart=quote.exhibitor if self.side == Side.BUYER else quote.request.buyer,
            quantity=services.quote_quantity(quote),
            grant=services.quote_price_grant(quote) if self.side == Side.BUYER else None,
            Status=QuoteStatus,
            can_reply=quote.takes_messages,
            **self.thread_context(quote.thread, reply_form),
            **kwargs,
        )


class RequestQuotesView(ActionMixin, NegotiationMixin, TemplateView):
    """The buyer compares the quotes on one of its requests side by side; may close the request."""

    template_name = "negotiation/request_quotes.html"
    actions = {
        "close": Action(
            run=lambda view, request, data: services.request_close(
                membership=view.membership, request=request
            ),
            success=gettext_lazy("The request is closed; open quotes on it have expired."),
        ),
    }

    def get_object(self):
        return selectors.buyer_request_get(membership=self.membership, pk=self.kwargs["pk"])

    def success_url(self, sourcing_request) -> str:
        return reverse("company:negotiation-request-quotes", args=[sourcing_request.pk])

    def get_context_data(self, **kwargs):
        sourcing_request = self.get_object()
        quotes = list(
            sourcing_request.quotes.select_related("exhibitor", "product").order_by("status", "unit_price")
        )
        figures = selectors.responsiveness_for(exhibitor_ids=[q.exhibitor_id for q in quotes])
        for quote in quotes:
            quote.quantity = services.quote_quantity(quote)
            quote.total = quote.unit_price * quote.quantity
            quote.responsiveness = figures.get(quote.exhibitor_id)
        return super().get_context_data(
            sourcing_request=sourcing_request,
            quotes=quotes,
            request_is_open=sourcing_request.status == RequestStatus.OPEN,
            **kwargs,
        )
