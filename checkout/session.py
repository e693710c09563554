"""Checkout conditions: verified buyers only, a sellable basket, a chosen payment method; and the
per-exhibitor shipping breakdown in every checkout page's context."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import exceptions
from oscar.apps.checkout.session import CheckoutSessionMixin as CoreCheckoutSessionMixin

from payments.models import PaymentMethod
from shipping.methods import shipping_breakdown

from .forms import available_payment_methods
from .selectors import buyer_standing
from .services import CheckoutError, basket_check


class CheckoutSessionMixin(CoreCheckoutSessionMixin):
    def get_pre_conditions(self, request):
        return self.with_expo_conditions(super().get_pre_conditions(request))

    @staticmethod
    def with_expo_conditions(conditions) -> list[str]:
        """Every step that looks at the basket first checks the buyer, then the basket's sellers."""
        conditions = list(conditions)
        if "check_basket_is_not_empty" in conditions and "check_basket_is_sellable" not in conditions:
            position = conditions.index("check_basket_is_not_empty") + 1
            conditions.insert(position, "check_basket_is_sellable")
            conditions.insert(0, "check_user_is_verified_buyer")
        return conditions

    def check_user_is_verified_buyer(self, request):
        if not buyer_standing(user=request.user).allowed:
            raise exceptions.FailedPreCondition(url=reverse("checkout:buyer-required"))

    def check_basket_is_sellable(self, request):
        try:
            basket_check(basket=request.basket)
        except CheckoutError as exc:
            raise exceptions.FailedPreCondition(url=reverse("basket:summary"), message=exc.message) from exc

    def check_payment_data_is_captured(self, request):
        chosen = self.checkout_session.payment_method()
        if chosen not in {code for code, _label in available_payment_methods()}:
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:payment-method"), message=_("Please choose how you would like to pay.")
            )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        method = ctx.get("shipping_method")
        ctx["shipping_breakdown"] = shipping_breakdown(method, ctx["basket"]) if method else []
        chosen = self.checkout_session.payment_method()
        ctx["payment_method_code"] = chosen
        ctx["payment_method_label"] = PaymentMethod(chosen).label if chosen in PaymentMethod.values else ""
        return ctx
