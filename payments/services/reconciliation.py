"""The periodic sweep that settles what webhooks missed."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from ..models import (
    OrderStatus,
    PaymentIntent,
    StripeEvent,
)
from .common import PaymentError
from .intents import order_cancel, payment_intent_sync
from .refunds import refunds_reconcile
from .webhooks import stripe_event_process

logger = logging.getLogger("payments")

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

# Reconciliation ---------------------------------------------------------------------------------


def payments_reconcile(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic sweep (Celery beat): ask Stripe about orders still unpaid after
    ``STRIPE_RECONCILE_AFTER_MINUTES`` and apply what it says; cancel Stripe orders still unpaid
    after ``STRIPE_PAYMENT_TIMEOUT_MINUTES`` and bank transfers after
    ``BANK_TRANSFER_TIMEOUT_DAYS``, releasing their stock; process events stored but never
    processed; settle refunds left "Processing". Safe to run at any time and twice at once
    (every step locks and re-checks)."""
    now = now or timezone.now()
    after = timedelta(minutes=getattr(settings, "STRIPE_RECONCILE_AFTER_MINUTES", 15))
    timeout = timedelta(minutes=getattr(settings, "STRIPE_PAYMENT_TIMEOUT_MINUTES", 60))
    transfer_timeout = timedelta(days=getattr(settings, "BANK_TRANSFER_TIMEOUT_DAYS", 7))
    counts: Counter = Counter()

    unpaid = (OrderStatus.PENDING, OrderStatus.FAILED)
    for record in PaymentIntent.objects.filter(order__status__in=unpaid, created_at__lte=now - after):
        try:
            counts[payment_intent_sync(payment_intent=record)] += 1
        except PaymentError:
            counts["unreachable"] += 1
        except Exception:
            logger.exception("PaymentIntent %s: could not reconcile", record.intent_id)
            counts["errors"] += 1

    expired = Order._default_manager.filter(
        status__in=unpaid, date_placed__lte=now - timeout, bank_transfer__isnull=True
    )
    overdue = Order._default_manager.filter(
        status=OrderStatus.AWAITING_TRANSFER, date_placed__lte=now - transfer_timeout
    )
    for order in [*expired, *overdue]:
        try:
            order_cancel(order=order, reason=_("The order was not paid in time."))
            counts["expired"] += 1
        except PaymentError as exc:
            logger.info("Order %s kept: %s", order.number, exc.message)
            counts["kept"] += 1
        except Exception:  # one broken order must not stop the sweep
            logger.exception("Order %s: could not expire", order.number)
            counts["errors"] += 1

    for event in StripeEvent.objects.filter(
        processed_at__isnull=True, received_at__lte=now - timedelta(minutes=5)
    ):
        try:
            stripe_event_process(event=event)
            counts["events"] += 1
        except Exception:
            logger.exception("Stripe event %s: could not process", event.event_id)
            counts["errors"] += 1
    for key, value in refunds_reconcile().items():
        counts[f"refunds_{key}"] += value
    return dict(counts)
