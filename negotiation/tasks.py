"""Celery tasks of negotiation: thin wrappers around the services."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, max_retries=3, acks_late=True)
def thread_notice(self, thread_id: int, side: str) -> int:
    """The one batched e-mail telling a company of new messages in a thread."""
    from .services import thread_notice_send

    return thread_notice_send(thread_id=thread_id, side=side)


@shared_task
def negotiation_periodic() -> dict[str, int]:
    """Every quarter hour (Celery beat): expire unanswered meetings, remind of tomorrow's,
    expire stale quotes, and send thread notices whose task was lost. Safe to run twice."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Side, Thread
    from .services import meetings_expire, meetings_remind, quotes_expire, thread_notice_send

    overdue = 0
    now = timezone.now() - timedelta(minutes=10)
    for side in Side.values:
        for thread_id in Thread.objects.filter(**{f"{side}_notice_due_at__lt": now}).values_list(
            "pk", flat=True
        ):
            overdue += bool(thread_notice_send(thread_id=thread_id, side=side))
    return {
        "meetings_expired": meetings_expire(),
        "meetings_reminded": meetings_remind(),
        "quotes_expired": quotes_expire(),
        "notices_sent": overdue,
    }
