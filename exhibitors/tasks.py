"""Scheduled work of the resource database (Celery beat, schedules in django-celery-beat)."""

from celery import shared_task


@shared_task
def certificates_daily() -> dict[str, int]:
    """Mark expired certificates and send the 30- and 7-day warnings; safe to run twice."""
    from .services import certificates_expire_and_warn

    return certificates_expire_and_warn()
