"""Inquiries and their threads: asking, answering, reading, and the batched e-mail of new messages."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibitors.models import Exhibitor, Membership

from ..models import Attachment, Inquiry, InquiryStatus, Message, Quote, Side, Thread, other_side
from .common import (
    _check_daily_limit,
    _check_files,
    _notify,
    _require_listed,
    _require_party,
    _require_side,
    _require_verified,
    _status_refusal,
    check_not_blocked,
)


def _add_message(*, thread: Thread, user, side: str, body: str, files) -> Message:
    now = timezone.now()
    message = Message.objects.create(thread=thread, author=user, side=side, body=body)
    for upload in files:
        Attachment.objects.create(message=message, file=upload, name=upload.name[:255], size=upload.size or 0)
    Thread.objects.filter(pk=thread.pk).update(
        last_message_at=now, last_message_side=side, **{f"{side}_seen_at": now}
    )
    thread.last_message_at, thread.last_message_side = now, side
    setattr(thread, f"{side}_seen_at", now)
    _schedule_notice(thread=thread, side=other_side(side))
    from notifications.services import notification_add

    reader, writer = (
        (thread.buyer, thread.exhibitor) if side == Side.EXHIBITOR else (thread.exhibitor, thread.buyer)
    )
    notification_add(
        company=reader,
        kind="message",
        about=writer,
        params={"subject": thread.subject},
        object_type="thread",
        object_ref=thread.pk,
    )
    return message


def _schedule_notice(*, thread: Thread, side: str) -> None:
    """At most one notice is pending per thread and side; it covers every message until it leaves."""
    delay = settings.NEGOTIATION_MAIL_DELAY_SECONDS
    due = timezone.now() + timedelta(seconds=delay)
    scheduled = Thread.objects.filter(pk=thread.pk, **{f"{side}_notice_due_at__isnull": True}).update(
        **{f"{side}_notice_due_at": due}
    )
    if scheduled:
        from expo.queue import enqueue_on_commit

        from ..tasks import thread_notice

        enqueue_on_commit(thread_notice, args=[thread.pk, str(side)], countdown=delay)


@transaction.atomic
def thread_notice_send(*, thread_id: int, side: str) -> int:
    """Send ``side`` one e-mail with the messages it has not seen or been told of; returns how
    many messages it listed (0: nothing to tell, no mail). Safe to run twice."""
    thread = (
        Thread.objects.select_for_update().select_related("buyer", "exhibitor").filter(pk=thread_id).first()
    )
    if thread is None:
        return 0
    now = timezone.now()
    setattr(thread, f"{side}_notice_due_at", None)
    since = max(
        (
            moment
            for moment in (getattr(thread, f"{side}_seen_at"), getattr(thread, f"{side}_notified_at"))
            if moment
        ),
        default=None,
    )
    messages = thread.messages.exclude(side=side).select_related("author")
    if since:
        messages = messages.filter(created_at__gt=since)
    messages = list(messages)
    if messages:
        setattr(thread, f"{side}_notified_at", now)
    thread.save(update_fields=[f"{side}_notice_due_at", f"{side}_notified_at"])
    if not messages:
        return 0
    company, sender = (
        (thread.buyer, thread.exhibitor) if side == Side.BUYER else (thread.exhibitor, thread.buyer)
    )
    _notify(
        company,
        code="NEGOTIATION_NEW_MESSAGES",
        link=("negotiation-thread", thread.pk),
        thread=thread,
        sender=sender,
        thread_messages=messages,
        count=len(messages),
    )
    return len(messages)


@transaction.atomic
def inquiry_create(
    *,
    membership: Membership,
    exhibitor: Exhibitor,
    products=(),
    quantity: int | None = None,
    destination: str = "",
    message: str,
    files=(),
) -> Inquiry:
    """A buyer asks an exhibitor about products; the message opens the inquiry's thread."""
    _require_side(membership, Side.BUYER)
    buyer = membership.buyer
    _require_verified(buyer)
    _require_listed(exhibitor)
    check_not_blocked(buyer_id=buyer.pk, exhibitor_id=exhibitor.pk, side=Side.BUYER)
    _check_daily_limit(buyer=buyer, kind="inquiry")
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Write what you would like to know."), code="message")
    if quantity is not None and quantity < 1:
        raise ValidationError(_("The quantity must be at least 1."), code="quantity")
    products = list(products)
    foreign = [p for p in products if not p.stockrecords.filter(partner_id=exhibitor.partner_id).exists()]
    if foreign:
        raise ValidationError(
            _("'%(title)s' is not a product of this exhibitor.") % {"title": foreign[0].get_title()},
            code="products",
        )
    files = _check_files(files)
    titles = ", ".join(p.get_title() for p in products[:3])
    thread = Thread.objects.create(
        buyer=buyer,
        exhibitor=exhibitor,
        subject=(_("Inquiry: %(products)s") % {"products": titles}) if titles else _("Inquiry"),
    )
    inquiry = Inquiry.objects.create(
        thread=thread,
        buyer=buyer,
        exhibitor=exhibitor,
        quantity=quantity,
        destination=(destination or "").strip()[:255],
        created_by=membership.user,
    )
    inquiry.products.set(products)
    thread.subject = f"{inquiry.label} · {thread.subject}"[:255]
    thread.save(update_fields=["subject"])
    _add_message(thread=thread, user=membership.user, side=Side.BUYER, body=message, files=files)
    return inquiry


@transaction.atomic
def message_post(*, membership: Membership, thread: Thread, body: str, files=()) -> Message:
    """A member of either company writes in a thread. The exhibitor's first answer to an inquiry
    makes it answered; the buyer's first reply on a quote counts as the buyer's answer."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    side = _require_party(membership, thread)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("The message is empty."), code="body")
    check_not_blocked(buyer_id=thread.buyer_id, exhibitor_id=thread.exhibitor_id, side=side)
    now = timezone.now()
    inquiry = Inquiry.objects.filter(thread=thread).first()
    quote = Quote.objects.filter(thread=thread).first()
    if inquiry is not None:
        if inquiry.is_closed:
            raise ValidationError(
                _("This inquiry is closed. Start a new inquiry to continue the conversation."), code="closed"
            )
        if side == Side.EXHIBITOR and inquiry.first_answered_at is None:
            inquiry.first_answered_at = now
            inquiry.status = InquiryStatus.ANSWERED
            inquiry.save(update_fields=["first_answered_at", "status"])
    if quote is not None:
        if not quote.takes_messages:
            raise _status_refusal(
                _("This quote is %(status)s; the conversation about it is closed."), quote, "closed"
            )
        if side == Side.BUYER and quote.first_answered_at is None:
            quote.first_answered_at = now
            quote.save(update_fields=["first_answered_at"])
    return _add_message(thread=thread, user=membership.user, side=side, body=body, files=_check_files(files))


def thread_mark_seen(*, membership: Membership, thread: Thread) -> None:
    side = _require_party(membership, thread)
    Thread.objects.filter(pk=thread.pk).update(**{f"{side}_seen_at": timezone.now()})


@transaction.atomic
def inquiry_close(*, membership: Membership, inquiry: Inquiry) -> Inquiry:
    _require_party(membership, inquiry)
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if not inquiry.is_closed:
        inquiry.status = InquiryStatus.CLOSED
        inquiry.closed_at = timezone.now()
        inquiry.save(update_fields=["status", "closed_at"])
    return inquiry
