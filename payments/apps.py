"""Payments: Stripe PaymentIntents (card, Alipay, WeChat Pay where the account allows) and
bank transfer (对公转账); the Stripe webhook, event idempotency, reconciliation and refunds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"
