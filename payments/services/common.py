"""Shared by the payment services: errors worded for people, the Stripe client, amounts in
Stripe's smallest units and what Stripe says about a PaymentIntent."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.conf import settings
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from config.currencies import is_supported, supported_currencies

from ..models import (
    PaymentMethod,
)

logger = logging.getLogger("payments")

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

CENT = Decimal("0.01")
# https://docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL_CURRENCIES = set("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
SOURCE_TYPE_NAMES = {PaymentMethod.STRIPE: "Stripe", PaymentMethod.BANK_TRANSFER: "Bank transfer 对公转账"}
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: references are typed by hand
HANDLED_EVENTS = ("payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled")


class PaymentError(Exception):
    """A payment action that cannot be done, worded for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PaymentNotConfigured(PaymentError):
    pass


class PaymentServiceUnavailable(PaymentError):
    pass


class RefundError(PaymentError):
    pass


class WebhookRejected(Exception):
    """The request is not a genuine Stripe event (bad signature, stale, malformed)."""


# Stripe --------------------------------------------------------------------------------


def stripe_client() -> stripe.StripeClient:
    """A client for Stripe, or for the Stripe-compatible server named by ``STRIPE_API_BASE``."""
    key = getattr(settings, "STRIPE_SECRET_KEY", "")
    if not key:
        raise PaymentNotConfigured(
            _("Online payment is not available at the moment. Please choose bank transfer.")
        )
    base = getattr(settings, "STRIPE_API_BASE", "")
    options = {"base_addresses": {"api": base}} if base else {}
    return stripe.StripeClient(key, max_network_retries=2, **options)


def payment_method_types() -> list[str]:
    """Stripe payment method types offered (``STRIPE_PAYMENT_METHOD_TYPES``); Alipay and WeChat Pay
    are switched on there where the Stripe account allows them."""
    return list(getattr(settings, "STRIPE_PAYMENT_METHOD_TYPES", None) or ["card"])


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Stripe amounts are integers in the currency's smallest unit (fen for CNY)."""
    factor = 1 if currency.lower() in ZERO_DECIMAL_CURRENCIES else 100
    return int((Decimal(amount) * factor).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def from_minor_units(amount: int, currency: str) -> Decimal:
    factor = 1 if currency.lower() in ZERO_DECIMAL_CURRENCIES else 100
    return (Decimal(int(amount)) / factor).quantize(CENT)


@dataclass(frozen=True)
class IntentState:
    """What Stripe says about a PaymentIntent, from the API or from an event."""

    intent_id: str
    status: str
    amount: int
    currency: str
    error_message: str = ""

    @classmethod
    def from_stripe(cls, obj) -> IntentState:
        data = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
        error = data.get("last_payment_error") or {}
        return cls(
            intent_id=data.get("id", ""),
            status=data.get("status") or "",
            amount=int(data.get("amount") or 0),
            currency=(data.get("currency") or "").lower(),
            error_message=(error.get("message") or error.get("code") or "")
            if isinstance(error, dict)
            else "",
        )


def stripe_currency(code: str) -> str:
    """The Stripe currency (lower case) for ``code``, refused unless it is one the platform
    trades in (``EXPO_CURRENCIES``, read through :mod:`config.currencies`)."""
    if not is_supported(code):
        raise PaymentError(
            _("Online payment in %(currency)s is not offered; the platform trades in %(supported)s.")
            % {"currency": code or "?", "supported": ", ".join(supported_currencies())}
        )
    return code.strip().lower()
