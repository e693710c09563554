"""Celery wrappers: processing a stored Stripe event, and the periodic reconciliation."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, max_retries=5, acks_late=True)
def process_stripe_event(self, event_pk: int) -> str:
    from .models import StripeEvent
    from .services import stripe_event_process  # local import: services import tasks

    event = StripeEvent.objects.get(pk=event_pk)
    try:
        return stripe_event_process(event=event)
    except OperationalError as exc:  # a lock timeout or deadlock victim: try again shortly
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc


@shared_task(acks_late=True)
def reconcile_payments() -> dict[str, int]:
    from .services import payments_reconcile

    return payments_reconcile()


@shared_task(acks_late=True)
def submit_refund(refund_pk: int) -> str:
    """Send a recorded refund to Stripe after the commit that recorded it."""
    from .models import Refund
    from .services import refund_submit

    return refund_submit(refund=Refund.objects.get(pk=refund_pk), raise_errors=False).status


@shared_task(acks_late=True)
def reconcile_refunds() -> dict[str, int]:
    from .services import refunds_reconcile

    return dict(refunds_reconcile())
