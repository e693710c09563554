"""E-mails of the platform, rendered from Oscar communication event types.

Each message has a code; its subject and bodies come from the staff-edited event type of
that code in the dashboard when one is saved there, else from the file templates
``templates/oscar/communication/emails/commtype_<code>_{subject,body}.txt`` (and ``_body.html``
when present). They render in the recipients' language and go out after commit through
``send_mail_task``, so a rolled-back change sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from oscar.core.loading import get_model


def mail_render(*, code: str, context: dict, language: str | None = None) -> dict[str, str]:
    """The subject, text body and HTML body (may be empty) of message ``code``."""
    event_type_model = get_model("communication", "CommunicationEventType")
    with translation.override(language or settings.LANGUAGE_CODE):
        return event_type_model.objects.get_and_render(code, dict(context))


def mail_send(*, code: str, context: dict, recipients: Iterable[str], language: str | None = None) -> None:
    """Render message ``code`` and send it to ``recipients`` once the transaction commits."""
    from expo.queue import enqueue_on_commit
    from expo.tasks import send_mail_task  # tasks import services, services import this

    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    messages = mail_render(code=code, context=context, language=language)
    enqueue_on_commit(
        send_mail_task,
        kwargs={
            "subject": messages["subject"].strip(),
            "body": messages["body"],
            "html": messages.get("html") or None,
            "recipients": recipients,
        },
    )
