"""Checkout forms: the payment method, and the confirmation that places the order."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from payments.models import PaymentMethod


def available_payment_methods() -> list[tuple[str, str]]:
    """Online payment only when Stripe is configured; bank transfer always."""
    choices = []
    if getattr(settings, "STRIPE_SECRET_KEY", "") and getattr(settings, "STRIPE_PUBLISHABLE_KEY", ""):
        choices.append((PaymentMethod.STRIPE.value, PaymentMethod.STRIPE.label))
    choices.append((PaymentMethod.BANK_TRANSFER.value, PaymentMethod.BANK_TRANSFER.label))
    return choices


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(label=_("How would you like to pay?"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = available_payment_methods()


class PlaceOrderForm(forms.Form):
    """What the preview page showed: its digest and total must still hold when the order is placed."""

    fingerprint = forms.CharField(max_length=64)
    total = forms.DecimalField(max_digits=14, decimal_places=2)
