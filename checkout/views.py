"""Checkout views: Oscar's steps (address, shipping, payment method, preview) for verified buyers,
then the order is placed under stock locks and paid by Stripe or bank transfer.

Placing the order and everything after it runs outside the request-wide transaction: the
services open their own short transactions, and Stripe is never called with rows locked.
"""

from __future__ import annotations

import logging

from django import http
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from oscar.apps.checkout import views as core
from oscar.core.loading import get_model

from payments import selectors as payment_selectors
from payments import services as payment_services
from payments.models import OrderStatus, PaymentMethod
from shipping.methods import shipping_breakdown

from .forms import PaymentMethodForm, PlaceOrderForm
from .selectors import buyer_standing
from .services import BasketChanged, CheckoutError, checkout_fingerprint, order_place
from .session import CheckoutSessionMixin

logger = logging.getLogger("oscar.checkout")
UserAddress = get_model("address", "UserAddress")


class IndexView(core.IndexView):
    pass


class ShippingAddressView(core.ShippingAddressView):
    def post(self, request, *args, **kwargs):
        # Oscar looks the chosen address up unguarded; a forged id must be a 404, not a 500.
        if "address_id" in request.POST:
            if not request.POST["address_id"].isdigit():
                return http.HttpResponseBadRequest(_("Unknown address."))
            get_object_or_404(UserAddress, pk=request.POST["address_id"], user=request.user)
        return super().post(request, *args, **kwargs)


class UserAddressUpdateView(core.UserAddressUpdateView):
    pass


class UserAddressDeleteView(core.UserAddressDeleteView):
    pass


class ShippingMethodView(core.ShippingMethodView):
    """Always shown (even with one method), so the buyer sees the charge per exhibitor."""

    def get(self, request, *args, **kwargs):
        if not request.basket.is_shipping_required() or not self.checkout_session.is_shipping_address_set():
            return super().get(request, *args, **kwargs)
        self._methods = self.get_available_shipping_methods()
        if not self._methods:
            return super().get(request, *args, **kwargs)
        return generic.FormView.get(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        basket = self.request.basket
        ctx["shipping_options"] = [
            {
                "method": method,
                "charge": method.calculate(basket),
                "breakdown": shipping_breakdown(method, basket),
            }
            for method in self._methods
        ]
        return ctx


class PaymentMethodView(CheckoutSessionMixin, generic.FormView):
    """Stripe (card; Alipay and WeChat Pay where switched on) or bank transfer (对公转账)."""

    template_name = "oscar/checkout/payment_method.html"
    form_class = PaymentMethodForm
    pre_conditions = [
        "check_basket_is_not_empty",
        "check_basket_is_valid",
        "check_user_email_is_captured",
        "check_shipping_data_is_captured",
    ]
    skip_conditions = ["skip_unless_payment_is_required"]

    def get_initial(self):
        return {"method": self.checkout_session.payment_method()}

    def form_valid(self, form):
        self.checkout_session.pay_by(form.cleaned_data["method"])
        return redirect("checkout:preview")

    def form_invalid(self, form):
        messages.error(self.request, _("Please choose one of the payment methods offered."))
        return self.render_to_response(self.get_context_data(form=form), status=400)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PaymentDetailsView(core.PaymentDetailsView):
    """The preview, and placing the order from it. Payment details are entered afterwards on the
    payment page (Stripe), so the "payment details" step leads back to the method choice."""

    def get_pre_conditions(self, request):
        # Oscar's preview returns its own list without asking the mixin.
        return self.with_expo_conditions(super().get_pre_conditions(request))

    def get(self, request, *args, **kwargs):
        if not self.preview:
            return redirect("checkout:payment-method")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if ctx.get("order_total") is not None and ctx.get("shipping_charge") is not None:
            ctx["fingerprint"] = checkout_fingerprint(
                basket=ctx["basket"],
                shipping_charge=ctx["shipping_charge"],
                total=ctx["order_total"],
                extra=self.checkout_session.payment_method() or "",
            )
        return ctx

    def render_preview(self, request, status: int = 200, **kwargs):
        self.preview = True
        return self.render_to_response(self.get_context_data(**kwargs), status=status)

    def handle_place_order_submission(self, request):
        form = PlaceOrderForm(request.POST)
        if not form.is_valid():
            return self.render_preview(
                request,
                status=400,
                error=_("The order could not be read. Please check it and place it again."),
            )
        submission = self.build_submission()
        method = self.checkout_session.payment_method()
        if (
            submission["order_total"] is None
            or form.cleaned_data["total"] != submission["order_total"].incl_tax
        ):
            return self.render_preview(
                request,
                status=409,
                error=_("The total you confirmed is not the order's total. Please check the order again."),
            )
        try:
            order = order_place(
                basket=request.basket,
                user=request.user,
                shipping_address=submission["shipping_address"],
                shipping_method=submission["shipping_method"],
                billing_address=submission["billing_address"],
                order_number=self.generate_order_number(request.basket),
                expected_fingerprint=form.cleaned_data["fingerprint"],
                fingerprint_extra=method,
                request=request,
            )
        except BasketChanged as exc:
            return self.render_preview(request, status=409, error=exc.message)
        except CheckoutError as exc:
            messages.error(request, exc.message)
            return redirect("basket:summary")

        if order.shipping_address_id:
            self.update_address_book(request.user, order.shipping_address)
        self.checkout_session.flush()
        request.session["checkout_order_id"] = order.id
        logger.info("Order #%s placed, to be paid by %s", order.number, method)
        payment_services.payment_start(order=order, method=method)
        if method == PaymentMethod.BANK_TRANSFER:
            response = redirect("checkout:thank-you")
        else:
            response = redirect("checkout:payment", number=order.number)
        self.send_signal(request, response, order)
        return response


class ThankYouView(core.ThankYouView):
    """The confirmation, with how the order is paid: bank details and reference, or the state of
    the online payment."""

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        order = ctx["order"]
        ctx.update(
            transfer=payment_selectors.order_bank_transfer(order=order),
            intent=payment_selectors.order_intent(order=order),
            account_rows=payment_selectors.bank_account_rows(),
            account_is_demo=payment_selectors.bank_account_is_demo(),
            is_paid=order.status in OrderStatus.PAID_STATES,
            awaits_online_payment=order.status in (OrderStatus.PENDING, OrderStatus.FAILED),
        )
        return ctx


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PaymentView(generic.TemplateView):
    """The payment page of one of the buyer's orders: Stripe.js confirms the PaymentIntent in the
    browser, then returns to :class:`PaymentReturnView`."""

    template_name = "payments/stripe_payment.html"

    def get(self, request, number):
        order = payment_selectors.order_for_buyer(user=request.user, number=number)
        if order.status in OrderStatus.PAID_STATES or order.status == OrderStatus.AWAITING_TRANSFER:
            request.session["checkout_order_id"] = order.id
            return redirect("checkout:thank-you")
        intent, error = None, None
        if order.status == OrderStatus.PENDING:
            try:
                intent = payment_services.payment_intent_create(order=order)
            except payment_services.PaymentError as exc:
                error = exc.message
        else:
            intent = payment_selectors.order_intent(order=order)
        return self.render_to_response(
            self.get_context_data(
                order=order,
                intent=intent,
                error=error,
                can_pay=order.status == OrderStatus.PENDING and intent is not None,
                can_retry=order.status == OrderStatus.FAILED,
                publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
                stripe_js_url=getattr(settings, "STRIPE_JS_URL", "") or "https://js.stripe.com/v3/",
                return_url=request.build_absolute_uri(
                    reverse("checkout:payment-return", kwargs={"number": number})
                ),
            )
        )

    def post(self, request, number):
        order = payment_selectors.order_for_buyer(user=request.user, number=number)
        if request.POST.get("action") != "retry":
            return http.HttpResponseBadRequest(_("Unknown action."))
        try:
            payment_services.order_payment_retry(order=order)
        except payment_services.PaymentError as exc:
            messages.error(request, exc.message)
        else:
            messages.info(request, _("Your goods are reserved again; you can pay now."))
        return redirect("checkout:payment", number=order.number)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PaymentReturnView(generic.TemplateView):
    """Where Stripe sends the buyer back: Stripe is asked for the payment's state (whatever the
    query string claims), which is applied as a webhook event would be."""

    template_name = "payments/payment_processing.html"

    def get(self, request, number):
        order = payment_selectors.order_for_buyer(user=request.user, number=number)
        intent = payment_selectors.order_intent(order=order)
        if intent is None:
            return redirect("checkout:payment", number=order.number)
        try:
            payment_services.payment_intent_sync(payment_intent=intent)
        except payment_services.PaymentError as exc:
            messages.warning(request, exc.message)
        order.refresh_from_db()
        intent.refresh_from_db()
        if order.status in OrderStatus.PAID_STATES:
            request.session["checkout_order_id"] = order.id
            messages.success(request, _("Thank you: your payment was received."))
            return redirect("checkout:thank-you")
        if order.status == OrderStatus.FAILED:
            messages.error(
                request,
                _(
                    "Your payment did not go through (%(reason)s). The goods are no longer reserved; "
                    "you can try again."
                )
                % {"reason": intent.last_error or _("declined")},
            )
            return redirect("checkout:payment", number=order.number)
        if order.status == OrderStatus.CANCELLED:
            messages.error(request, _("This order has been cancelled."))
            return redirect("checkout:payment", number=order.number)
        return self.render_to_response(self.get_context_data(order=order, intent=intent))


class BuyerRequiredView(generic.TemplateView):
    """Why this person cannot check out, and where to sort it out (the company centre)."""

    template_name = "oscar/checkout/buyer_required.html"

    def get(self, request, *args, **kwargs):
        standing = buyer_standing(user=request.user)
        if standing.allowed:
            return redirect("checkout:index")
        return self.render_to_response(
            self.get_context_data(standing=standing, company_url=reverse("company:dashboard")), status=403
        )
