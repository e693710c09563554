"""Celery tasks shared by the site."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.core.mail import send_mail


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_mail_task(self, *, subject: str, body: str, recipients: list[str], html: str | None = None) -> int:
    """Send one e-mail outside the request; retried with back-off when the mail server fails."""
    try:
        return send_mail(subject, body, None, recipients, html_message=html)
    except (smtplib.SMTPException, OSError) as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task
def publish_scheduled_pages() -> None:
    """Publish and unpublish pages whose scheduled time has come (Wagtail's own command)."""
    from django.core.management import call_command

    call_command("publish_scheduled", verbosity=0)


@shared_task(acks_late=True)
def send_deferred_tasks() -> dict[str, int]:
    """Every minute (Celery beat): hand the broker the tasks it missed while it was down."""
    from .queue import deferred_send

    return deferred_send()
