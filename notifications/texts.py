"""A notification's title, text and link, built in the reader's language when it is read."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import Notification, NotificationKind


def _name(params: dict, prefix: str = "company") -> str:
    zh, en = params.get(f"{prefix}_zh", ""), params.get(f"{prefix}_en", "")
    return (en or zh) if (get_language() or "").startswith("en") else (zh or en)


def _status(notification: Notification) -> str:
    """The status the event left its object in, in the reader's words (the value is stored)."""
    from negotiation.models import MeetingStatus, SampleStatus

    value = (notification.params or {}).get("status", "")
    choices = {"sample": SampleStatus, "meeting": MeetingStatus}.get(notification.object_type)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return _(value) if value else ""  # order statuses are their own (English) msgids


def title(notification: Notification) -> str:
    return {
        NotificationKind.MESSAGE: _("New message"),
        NotificationKind.QUOTE: _("New quote"),
        NotificationKind.QUOTE_ACCEPTED: _("Quote accepted"),
        NotificationKind.SAMPLE: _("Sample request"),
        NotificationKind.MEETING: _("Meeting"),
        NotificationKind.ORDER_STATUS: _("Order"),
    }.get(notification.kind, _("Notification"))


def text(notification: Notification) -> str:
    p = notification.params or {}
    company, label = _name(p), p.get("label", "")
    kind = notification.kind
    if kind == NotificationKind.MESSAGE:
        return _("%(company)s wrote in %(subject)s.") % {"company": company, "subject": p.get("subject", "")}
    if kind == NotificationKind.QUOTE:
        return _("%(company)s quoted on your sourcing request %(request)s.") % {
            "company": company,
            "request": p.get("request", ""),
        }
    if kind == NotificationKind.QUOTE_ACCEPTED:
        return _("%(company)s accepted your quote %(label)s.") % {"company": company, "label": label}
    if kind in (NotificationKind.SAMPLE, NotificationKind.MEETING):
        return _("%(label)s with %(company)s is now %(status)s.") % {
            "label": label,
            "company": company,
            "status": _status(notification).lower(),
        }
    if kind == NotificationKind.ORDER_STATUS:
        return _("Order %(number)s: %(status)s.") % {"number": label, "status": _status(notification)}
    return label


PAGES = {
    "thread": "company:negotiation-thread",
    "quote": "company:negotiation-quote",
    "request": "company:negotiation-request-quotes",
    "sample": "company:negotiation-sample",
    "meeting": "company:negotiation-meeting",
}


def url(notification: Notification) -> str:
    """The site page of the notification's object (the app opens its own screen by ``object``)."""
    if notification.object_type == "order":
        try:
            return reverse("customer:order", kwargs={"order_number": notification.object_ref})
        except NoReverseMatch:
            return ""
    name = PAGES.get(notification.object_type)
    if not name or not notification.object_ref.isdigit():
        return ""
    return reverse(name, args=[int(notification.object_ref)])
