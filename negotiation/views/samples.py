"""Sample pages: the list, asking for samples, and a sample request with its actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from order.statuses import OrderStatus

from .. import selectors, services
from ..forms import FeedbackForm, ReasonForm, SampleAcceptForm, SampleRequestForm, SampleTerms, ShipForm
from ..models import SampleStatus, Side
from .common import Action, ActionMixin, NegotiationMixin, Product, _error, bound


class SampleListView(NegotiationMixin, TemplateView):
    template_name = "negotiation/sample_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            samples=selectors.sample_list(membership=self.membership)[:100], **kwargs
        )


class SampleCreateView(NegotiationMixin, TemplateView):
    """``?product=ID`` (and ``&inquiry=ID``): a buyer asks for samples."""

    template_name = "negotiation/sample_form.html"

    def setup_target(self):
        if self.side != Side.BUYER:
            raise Http404("Only buyers ask for samples.")
        product_id = self.request.GET.get("product", "")
        self.product = (
            Product.objects.filter(pk=product_id, is_public=True).first() if product_id.isdigit() else None
        )
        if self.product is None:
            raise Http404("Name the product.")
        inquiry_id = self.request.GET.get("inquiry", "")
        self.inquiry = (
            selectors.inquiry_get(membership=self.membership, pk=inquiry_id) if inquiry_id.isdigit() else None
        )

    def get(self, request, *args, **kwargs):
        self.setup_target()
        return self.render_to_response(self.get_context_data(form=SampleRequestForm()))

    def post(self, request, *args, **kwargs):
        self.setup_target()
        form = SampleRequestForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    sample = services.sample_request_create(
                        membership=self.membership,
                        product=self.product,
                        inquiry=self.inquiry,
                        **form.cleaned_data,
                    )
                messages.success(request, _("Your sample request is sent."))
                return redirect("company:negotiation-sample", sample.pk)
            except ValidationError as error:
                _error(form, error)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(product=self.product, inquiry=self.inquiry, **kwargs)


def _accept(view, sample, data):
    services.sample_accept(
        membership=view.membership,
        sample=sample,
        free=data["terms"] == SampleTerms.FREE,
        unit_price=data["unit_price"],
    )


class SampleDetailView(ActionMixin, NegotiationMixin, TemplateView):
    template_name = "negotiation/sample_detail.html"
    actions = {
        "accept": Action(run=_accept, form=bound(SampleAcceptForm)),
        "decline": Action(
            run=lambda view, sample, data: services.sample_decline(
                membership=view.membership, sample=sample, reason=data["reason"]
            ),
            form=bound(ReasonForm),
        ),
        "ship": Action(
            run=lambda view, sample, data: services.sample_ship(
                membership=view.membership, sample=sample, tracking=data["tracking"]
            ),
            form=bound(ShipForm),
        ),
        "feedback": Action(
            run=lambda view, sample, data: services.sample_feedback(
                membership=view.membership, sample=sample, feedback=data["feedback"], rating=data["rating"]
            ),
            form=bound(FeedbackForm),
        ),
        "receipt": Action(
            run=lambda view, sample, data: services.sample_confirm_receipt(
                membership=view.membership, sample=sample
            )
        ),
        "cancel": Action(
            run=lambda view, sample, data: services.sample_cancel(membership=view.membership, sample=sample)
        ),
    }
    # The forms the page shows, unbound, until one of them is posted.
    forms = {"accept": SampleAcceptForm, "decline": ReasonForm, "ship": ShipForm, "feedback": FeedbackForm}

    def get_object(self):
        return selectors.sample_get(membership=self.membership, pk=self.kwargs["pk"])

    def success_url(self, sample) -> str:
        return reverse("company:negotiation-sample", args=[sample.pk])

    def get_context_data(self, **kwargs):
        sample = self.get_object()
        order = services.sample_order(sample)
        for name, form_class in self.forms.items():
            kwargs.setdefault(f"{name}_form", form_class(prefix=name))
        if getattr(sample.product, "sample_price", None) is not None:
            kwargs["accept_form"].initial.setdefault("unit_price", sample.product.sample_price)
        return super().get_context_data(
            sample=sample,
            counterpart=sample.exhibitor if self.side == Side.BUYER else sample.buyer,
            grant=services.quote_price_grant(sample),
            order=order,
            order_unpaid=order is not None and order.status in OrderStatus.UNPAID,
            Status=SampleStatus,
            **kwargs,
        )
