"""Stripe's webhook and the staff pages (confirm bank transfers, see payments, refund)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from exhibitors.views import CompanyMemberMixin

from . import selectors, services
from .forms import RefundForm
from .services.refunds import refund_approval_above

logger = logging.getLogger("payments")


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class StripeWebhookView(View):
    """Stripe posts events here; a genuine one is stored once and processed by a task."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            event = services.stripe_event_receive(
                payload=request.body, sig_header=request.headers.get("Stripe-Signature", "")
            )
        except services.WebhookRejected as exc:
            logger.warning("Stripe webhook refused: %s", exc)
            return HttpResponseBadRequest("invalid event")
        return JsonResponse({"received": event.event_id})


class StaffRequiredMixin(UserPassesTestMixin):
    """Staff only: visitors are sent to log in, other people get a 403."""

    def test_func(self):
        user = self.request.user
        return user.is_authenticated and user.is_active and user.is_staff


class StaffPaymentListView(StaffRequiredMixin, TemplateView):
    template_name = "payments/staff/payment_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            transfers=selectors.bank_transfers_awaiting(),
            attention=selectors.payments_needing_attention(),
            payments=selectors.payments_recent(),
            refunds=selectors.refunds_recent(),
            awaiting_approval=selectors.refunds_awaiting_approval(),
            approval_above=refund_approval_above(),
            **kwargs,
        )


class StaffOrderPaymentView(StaffRequiredMixin, TemplateView):
    template_name = "payments/staff/order_detail.html"

    def get_context_data(self, **kwargs):
        order = selectors.staff_order_get(number=self.kwargs["number"])
        return super().get_context_data(
            order=order,
            lines=order.lines.all(),
            intent=selectors.order_intent(order=order),
            transfer=selectors.order_bank_transfer(order=order),
            refunds=order.refunds.all(),
            summary=selectors.order_paid_summary(order=order),
            refund_form=kwargs.pop("refund_form", None) or RefundForm(order=order),
            **kwargs,
        )


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class StaffBankTransferConfirmView(StaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, number):
        order = selectors.staff_order_get(number=number)
        try:
            transfer = services.bank_transfer_confirm(order=order, by=request.user)
        except services.PaymentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Transfer %(reference)s received: order %(number)s is paid.")
                % {"reference": transfer.reference, "number": order.number},
            )
        return redirect("payments:staff-order", number=order.number)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class StaffRefundCreateView(StaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, number):
        order = selectors.staff_order_get(number=number)
        form = RefundForm(request.POST, order=order)
        if not form.is_valid():
            messages.error(
                request, _("The refund form has errors: %(errors)s") % {"errors": form.errors.as_text()}
            )
            return redirect("payments:staff-order", number=order.number)
        try:
            refund = services.refund_create(
                order=order,
                lines=list(form.cleaned_data["lines"]),
                amount=form.cleaned_data["amount"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.PaymentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Refunded %(amount)s %(currency)s for order %(number)s.")
                % {"amount": refund.amount, "currency": refund.currency, "number": order.number},
            )
        return redirect("payments:staff-order", number=order.number)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class StaffRefundDecideView(StaffRequiredMixin, View):
    """Staff approve an exhibitor's refund request (it goes to Stripe) or reject it with a reason."""

    http_method_names = ["post"]

    def post(self, request, pk):
        refund = get_object_or_404(selectors.refunds_awaiting_approval(), pk=pk)
        decision = request.POST.get("decision")
        if decision == "approve":
            refund = services.refund_approve(refund=refund, by=request.user)
            messages.success(
                request,
                _("Refund of %(amount)s %(currency)s for order %(number)s approved: %(status)s.")
                % {
                    "amount": refund.amount,
                    "currency": refund.currency,
                    "number": refund.order.number,
                    "status": refund.get_status_display(),
                },
            )
        elif decision == "reject":
            reason = request.POST.get("reason", "").strip()[:500]
            if not reason:
                messages.error(request, _("Say why the refund is rejected: the exhibitor sees the reason."))
                return redirect("payments:staff-list")
            services.refund_reject(refund=refund, by=request.user, reason=reason)
            messages.success(
                request, _("Refund for order %(number)s rejected.") % {"number": refund.order.number}
            )
        else:
            messages.error(request, _("Choose approve or reject."))
        return redirect("payments:staff-list")


class ExhibitorLedgerView(CompanyMemberMixin, TemplateView):
    """The exhibitor's payout and refund ledger: what the platform collected for its goods,
    refunded, holds for refunds under way, and owes it, per currency."""

    template_name = "payments/exhibitor_ledger.html"

    def get_context_data(self, **kwargs):
        if self.membership.exhibitor_id is None:
            raise Http404("Only exhibitors have a payout ledger.")
        totals, entries, refunds = selectors.exhibitor_ledger(partner_id=self.membership.exhibitor.partner_id)
        return super().get_context_data(
            totals=totals,
            entries=entries,
            refunds=refunds,
            approval_above=refund_approval_above(),
            **kwargs,
        )
