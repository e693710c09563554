"""Scheduled work of the buyer side (Celery beat, schedules in django-celery-beat)."""

from celery import shared_task


@shared_task
def match_digest_weekly() -> dict[str, int]:
    """E-mail each member the matches new since their last e-mail; safe to run twice."""
    from .services import match_digest_send

    return match_digest_send()
