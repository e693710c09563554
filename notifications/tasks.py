"""Celery wrappers of the notification services."""

from celery import shared_task


@shared_task(bind=True, max_retries=3)
def notification_push(self, notification_id: int) -> int:
    from .services import notification_push as push

    return push(notification_id=notification_id)
