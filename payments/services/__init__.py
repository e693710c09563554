"""Payments: Stripe PaymentIntents, bank transfers, refunds, webhook events and reconciliation.

Everything Stripe tells us (a webhook event, the return page asking after a payment, the
periodic reconciliation) goes through :func:`payment_intent_apply`, which locks the order and
moves it along the status pipeline only forwards, so duplicates and any order of delivery end
in the same state. Stripe is called only from this package, through :func:`stripe_client`, and
never inside a database transaction for writes whose outcome must be recorded (refunds).
E-mails leave through Celery after the commit.

Modules: ``common`` (errors, client, amounts), ``notifications`` (e-mails), ``orders`` (status
moves), ``intents`` (PaymentIntents, cancellation), ``bank_transfer``, ``refunds``,
``webhooks`` and ``reconciliation``. The names below are the public interface.
"""

from .bank_transfer import bank_transfer_confirm, bank_transfer_create
from .common import (
    CENT,
    ZERO_DECIMAL_CURRENCIES,
    IntentState,
    PaymentError,
    PaymentNotConfigured,
    PaymentServiceUnavailable,
    RefundError,
    WebhookRejected,
    from_minor_units,
    payment_method_types,
    stripe_client,
    stripe_currency,
    to_minor_units,
)
from .intents import (
    order_cancel,
    order_payment_retry,
    payment_intent_apply,
    payment_intent_create,
    payment_intent_sync,
    payment_start,
)
from .notifications import payment_placed_notify
from .reconciliation import payments_reconcile
from .refunds import (
    refund_approve,
    refund_create,
    refund_reject,
    refund_settle_from_stripe,
    refund_submit,
    refunds_reconcile,
)
from .webhooks import stripe_event_process, stripe_event_receive

__all__ = [
    "CENT",
    "ZERO_DECIMAL_CURRENCIES",
    "IntentState",
    "PaymentError",
    "PaymentNotConfigured",
    "PaymentServiceUnavailable",
    "RefundError",
    "WebhookRejected",
    "bank_transfer_confirm",
    "bank_transfer_create",
    "from_minor_units",
    "order_cancel",
    "order_payment_retry",
    "payment_intent_apply",
    "payment_intent_create",
    "payment_intent_sync",
    "payment_method_types",
    "payment_placed_notify",
    "payment_start",
    "payments_reconcile",
    "refund_approve",
    "refund_create",
    "refund_reject",
    "refund_settle_from_stripe",
    "refund_submit",
    "refunds_reconcile",
    "stripe_client",
    "stripe_currency",
    "stripe_event_process",
    "stripe_event_receive",
    "to_minor_units",
]
