"""Inquiry pages: the list, asking an exhibitor, and an inquiry with its thread."""

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

from exhibitors.models import Exhibitor

from .. import selectors, services
from ..forms import InquiryForm
from ..models import Side
from .common import (
    REPLY,
    Action,
    NegotiationMixin,
    Product,
    ThreadPageMixin,
    _error,
    _exhibitor_products,
    _public_exhibitor,
)


class InquiryListView(NegotiationMixin, TemplateView):
    template_name = "negotiation/inquiry_list.html"

    def get_context_data(self, **kwargs):
        inquiries = list(selectors.inquiry_list(membership=self.membership)[:100])
        unread = selectors.unread_thread_ids(
            membership=self.membership, threads=[i.thread for i in inquiries]
        )
        for inquiry in inquiries:
            inquiry.is_unread = inquiry.thread_id in unread
        return super().get_context_data(inquiries=inquiries, **kwargs)


class InquiryCreateView(NegotiationMixin, TemplateView):
    """``?exhibitor=KEY`` (and ``&product=ID``): a buyer asks an exhibitor."""

    template_name = "negotiation/inquiry_form.html"

    def setup_target(self):
        if self.side != Side.BUYER:
            raise Http404("Only buyers send inquiries.")
        key = self.request.GET.get("exhibitor") or self.request.POST.get("exhibitor")
        product_id = self.request.GET.get("product")
        if not key and product_id and product_id.isdigit():
            product = Product.objects.filter(pk=product_id).first()
            exhibitor = (
                Exhibitor.objects.filter(partner__stockrecords__product=product).first() if product else None
            )
            key = exhibitor.key if exhibitor else None
        if not key:
            raise Http404("Name the exhibitor.")
        self.exhibitor = _public_exhibitor(key)
        self.products = _exhibitor_products(self.exhibitor)

    def get(self, request, *args, **kwargs):
        self.setup_target()
        initial = {}
        product_id = request.GET.get("product", "")
        if product_id.isdigit():
            initial["products"] = list(self.products.filter(pk=product_id))
        return self.render_to_response(
            self.get_context_data(form=InquiryForm(products=self.products, initial=initial))
        )

    def post(self, request, *args, **kwargs):
        self.setup_target()
        form = InquiryForm(request.POST, request.FILES, products=self.products)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    inquiry = services.inquiry_create(
                        membership=self.membership,
                        exhibitor=self.exhibitor,
                        products=data["products"],
                        quantity=data["quantity"],
                        destination=data["destination"],
                        message=data["message"],
                        files=data["attachments"],
                    )
                messages.success(
                    request, _("Your inquiry is sent to %(company)s.") % {"company": self.exhibitor}
                )
                return redirect("company:negotiation-inquiry", inquiry.pk)
            except ValidationError as error:
                _error(form, error)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(counterpart=self.exhibitor, **kwargs)


class InquiryDetailView(ThreadPageMixin, TemplateView):
    template_name = "negotiation/inquiry_detail.html"
    actions = {
        "reply": REPLY,
        "close": Action(
            run=lambda view, inquiry, data: services.inquiry_close(
                membership=view.membership, inquiry=inquiry
            ),
            success=gettext_lazy("The inquiry is closed."),
        ),
    }

    def get_object(self):
        return selectors.inquiry_get(membership=self.membership, pk=self.kwargs["pk"])

    def success_url(self, inquiry) -> str:
        return reverse("company:negotiation-inquiry", args=[inquiry.pk])

    def get_context_data(self, **kwargs):
        inquiry = self.get_object()
        reply_form = kwargs.pop("reply_form", None)
        return super().get_context_data(
            inquiry=inquiry,
            counterpart=inquiry.exhibitor if self.side == Side.BUYER else inquiry.buyer,
            samples=inquiry.sample_requests.all(),
            can_reply=not inquiry.is_closed,
            **self.thread_context(inquiry.thread, reply_form),
            **kwargs,
        )
