"""Stripe webhook events: checked, stored once, processed by a task."""

from __future__ import annotations

import json
import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from ..models import (
    StripeEvent,
)
from .common import HANDLED_EVENTS, IntentState, WebhookRejected
from .intents import payment_intent_apply
from .refunds import _charge_refunded

logger = logging.getLogger("payments")

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

# Webhook events -------------------------------------------------------------------------------


def stripe_event_receive(*, payload: bytes, sig_header: str) -> StripeEvent:
    """Check the signature and store the event once; processing goes to a Celery task after the
    commit. A replay of a processed event changes nothing."""
    from expo.queue import enqueue_on_commit

    from ..tasks import process_stripe_event  # local import: tasks import services

    secret = getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
    if not secret:
        logger.error("STRIPE_WEBHOOK_SECRET is not set: webhook refused")
        raise WebhookRejected("webhook secret not configured")
    try:
        stripe.Webhook.construct_event(payload, sig_header or "", secret)
        data = json.loads(payload)
        event_id, event_type = data["id"], data.get("type", "")
        data["data"]["object"]  # noqa: B018 - a genuine event always carries its object
    except stripe.SignatureVerificationError as exc:
        raise WebhookRejected(f"bad signature: {exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise WebhookRejected(f"malformed event: {exc}") from exc
    with transaction.atomic():
        event, created = StripeEvent.objects.get_or_create(
            event_id=event_id, defaults={"type": event_type[:128], "payload": data}
        )
        if created or event.processed_at is None:
            enqueue_on_commit(process_stripe_event, args=[event.pk], robust=True)
    return event


def stripe_event_process(*, event: StripeEvent) -> str:
    """Apply one stored event; idempotent (the event row is locked and marked processed)."""
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().get(pk=event.pk)
        if event.processed_at is not None:
            return event.outcome
        obj = event.payload.get("data", {}).get("object", {})
        if event.type in HANDLED_EVENTS:
            outcome = payment_intent_apply(
                state=IntentState.from_stripe(obj), failed=event.type == "payment_intent.payment_failed"
            )
        elif event.type == "charge.refunded":
            outcome = _charge_refunded(obj)
        else:
            outcome = "not_handled"
        event.outcome = outcome
        event.processed_at = timezone.now()
        event.save(update_fields=["outcome", "processed_at"])
    return outcome
