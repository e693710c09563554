"""Business rules of negotiation: inquiries and threads, samples, quotes, meetings, blocks.

Every service takes the acting membership and refuses what that company may not do with a
``ValidationError`` carrying a clear message; each runs in one transaction, so a refusal
leaves nothing half-saved. E-mails leave through Celery after the commit, in both languages
like the rest of the site's mail.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from buyers.models import Buyer, RequestStatus, SourcingRequest
from exhibitors.models import CompanyStatus, Exhibitor, Membership
from exhibitors.uploads import validate_document
from expo.tasks import send_mail_task

from .models import (
    SLOT_MINUTES,
    AbuseReport,
    Attachment,
    CompanyBlock,
    DeliveryTerms,
    Inquiry,
    InquiryStatus,
    Meeting,
    MeetingBooking,
    MeetingKind,
    MeetingProposal,
    MeetingStatus,
    Message,
    Outcome,
    Quote,
    QuoteStatus,
    SampleRequest,
    SampleStatus,
    Side,
    Thread,
    other_side,
)

MAX_ATTACHMENTS = 5
MAX_SAMPLES = 100
MAX_MEETING_TIMES = 3
MEETING_ANSWER_HOURS = 72
MEETING_DURATIONS = (15, 30, 45, 60, 90, 120)
SAMPLE_PRICE_DAYS = 30


# --- helpers ---------------------------------------------------------------------------------


def _side(membership: Membership) -> str:
    return Side.EXHIBITOR if membership.exhibitor_id else Side.BUYER


def _require_side(membership: Membership, side: str) -> None:
    if _side(membership) != side:
        if side == Side.BUYER:
            raise ValidationError(_("Only a buyer company can do this; switch to your buyer company."))
        raise ValidationError(_("Only the exhibitor can do this."))


def _require_party(membership: Membership, obj) -> str:
    """The acting company's side in ``obj``; anyone else is refused (views already 404 them)."""
    side = _side(membership)
    buyer_id = obj.request.buyer_id if isinstance(obj, Quote) else obj.buyer_id
    if (side == Side.BUYER and buyer_id != membership.buyer_id) or (
        side == Side.EXHIBITOR and obj.exhibitor_id != membership.exhibitor_id
    ):
        raise ValidationError(_("This belongs to other companies."))
    return side


def _require_verified(company) -> None:
    if company.status != CompanyStatus.VERIFIED:
        raise ValidationError(
            _("%(company)s is not verified yet; it can start talks once the expo staff have verified it.")
            % {"company": company.display_name}
        )


def check_not_blocked(*, buyer_id: int, exhibitor_id: int, side: str) -> None:
    """Refuse anything new between a pair when either of them blocked the other."""
    blocks = set(
        CompanyBlock.objects.filter(buyer_id=buyer_id, exhibitor_id=exhibitor_id).values_list(
            "blocked_by", flat=True
        )
    )
    if side in blocks:
        raise ValidationError(
            _("You have blocked this company. Unblock it under “Blocked companies” to write to it again."),
            code="blocked_by_you",
        )
    if blocks:
        raise ValidationError(
            _("This company does not accept messages or requests from your company."), code="blocked_you"
        )


def _check_daily_limit(*, buyer: Buyer, kind: str) -> None:
    limit = settings.NEGOTIATION_DAILY_LIMITS.get(kind)
    if not limit:
        return
    model = {"inquiry": Inquiry, "meeting": Meeting, "sample": SampleRequest}[kind]
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if model.objects.filter(buyer=buyer, created_at__gte=start).count() >= limit:
        names = {"inquiry": _("inquiries"), "meeting": _("meeting requests"), "sample": _("sample requests")}
        raise ValidationError(
            _("Your company has reached today's limit of %(limit)s new %(what)s. Please try again tomorrow.")
            % {"limit": limit, "what": names[kind]},
            code="daily_limit",
        )


def _member_emails(company) -> list[str]:
    """Every member of a company hears about its negotiations (any of them may answer)."""
    emails = set(
        Membership.objects.filter(**{company.kind: company})
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not emails and company.contact_email:
        emails.add(company.contact_email)
    return sorted(emails)


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _company_url(name: str, *args) -> str:
    with override("zh-hans"):
        return _absolute(reverse(f"company:{name}", args=args))


def _notify(company, *, subject: str, body: str) -> None:
    recipients = _member_emails(company)
    if recipients:
        transaction.on_commit(lambda: send_mail_task.delay(subject=subject, body=body, recipients=recipients))


def _name_en(company) -> str:
    return company.name_en or company.name_zh


def _name_zh(company) -> str:
    return company.name_zh or company.name_en


def _exhibitor_of_product(product) -> Exhibitor:
    exhibitor = Exhibitor.objects.filter(partner__stockrecords__product=product).first()
    if exhibitor is None:
        raise ValidationError(_("'%(title)s' has no exhibitor.") % {"title": product.get_title()})
    return exhibitor


def _check_files(files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("Attach at most %(count)s files to one message.") % {"count": MAX_ATTACHMENTS}
        )
    for upload in files:
        try:
            validate_document(upload)
        except ValidationError as error:
            raise ValidationError(
                _("%(name)s: %(error)s") % {"name": upload.name, "error": " ".join(error.messages)},
                code="attachment",
            ) from None
    return files


# --- threads and inquiries ---------------------------------------------------------------------


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
    return message


def _schedule_notice(*, thread: Thread, side: str) -> None:
    """At most one notice is pending per thread and side; it covers every message until it leaves."""
    delay = settings.NEGOTIATION_MAIL_DELAY_SECONDS
    due = timezone.now() + timedelta(seconds=delay)
    scheduled = Thread.objects.filter(pk=thread.pk, **{f"{side}_notice_due_at__isnull": True}).update(
        **{f"{side}_notice_due_at": due}
    )
    if scheduled:
        from .tasks import thread_notice

        thread_id = thread.pk
        transaction.on_commit(lambda: thread_notice.apply_async(args=[thread_id, str(side)], countdown=delay))


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
    company = thread.buyer if side == Side.BUYER else thread.exhibitor
    sender = thread.exhibitor if side == Side.BUYER else thread.buyer
    url = _company_url("negotiation-thread", thread.pk)
    lines = [
        f"[{m.created_at.astimezone(timezone.get_current_timezone()):%Y-%m-%d %H:%M}] "
        f"{(m.author.get_full_name() or m.author.email) if m.author else '-'}: {m.body[:500]}"
        for m in messages
    ]
    _notify(
        company,
        subject=f"{_name_zh(sender)} 发来 {len(messages)} 条新消息 · {len(messages)} new message(s) from "
        f"{_name_en(sender)}: {thread.subject}",
        body="\n\n".join(lines) + f"\n\n回复 / Reply: {url}\n",
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
    if exhibitor.status == CompanyStatus.REJECTED:
        raise ValidationError(_("This exhibitor is not on the platform."))
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
        if inquiry.status == InquiryStatus.CLOSED:
            raise ValidationError(
                _("This inquiry is closed. Start a new inquiry to continue the conversation."), code="closed"
            )
        if side == Side.EXHIBITOR and inquiry.first_answered_at is None:
            inquiry.first_answered_at = now
            inquiry.status = InquiryStatus.ANSWERED
            inquiry.save(update_fields=["first_answered_at", "status"])
    if quote is not None:
        if quote.status in (QuoteStatus.EXPIRED, QuoteStatus.WITHDRAWN, QuoteStatus.NOT_CHOSEN):
            raise ValidationError(
                _("This quote is %(status)s; the conversation about it is closed.")
                % {"status": quote.get_status_display().lower()},
                code="closed",
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
    if inquiry.status != InquiryStatus.CLOSED:
        inquiry.status = InquiryStatus.CLOSED
        inquiry.closed_at = timezone.now()
        inquiry.save(update_fields=["status", "closed_at"])
    return inquiry


# --- samples -----------------------------------------------------------------------------------


@transaction.atomic
def sample_request_create(
    *,
    membership: Membership,
    product,
    quantity: int,
    ship_to: str,
    message: str = "",
    inquiry: Inquiry | None = None,
) -> SampleRequest:
    _require_side(membership, Side.BUYER)
    buyer = membership.buyer
    _require_verified(buyer)
    exhibitor = _exhibitor_of_product(product)
    if inquiry is not None and (inquiry.buyer_id != buyer.pk or inquiry.exhibitor_id != exhibitor.pk):
        raise ValidationError(_("That inquiry is not about this exhibitor's products."))
    check_not_blocked(buyer_id=buyer.pk, exhibitor_id=exhibitor.pk, side=Side.BUYER)
    _check_daily_limit(buyer=buyer, kind="sample")
    if quantity is None or quantity < 1 or quantity > MAX_SAMPLES:
        raise ValidationError(
            _("Ask for between 1 and %(max)s samples.") % {"max": MAX_SAMPLES}, code="quantity"
        )
    ship_to = (ship_to or "").strip()
    if not ship_to:
        raise ValidationError(_("Say where the samples should be sent."), code="ship_to")
    sample = SampleRequest.objects.create(
        buyer=buyer,
        exhibitor=exhibitor,
        product=product,
        inquiry=inquiry,
        quantity=quantity,
        ship_to=ship_to,
        message=(message or "").strip(),
        created_by=membership.user,
    )
    _notify(
        exhibitor,
        subject=f"{_name_zh(buyer)} 申请样品 · Sample request from {_name_en(buyer)} ({sample.label})",
        body=f"{product.title or product.title_en} × {quantity}\n{sample.message}\n\n"
        f"{_company_url('negotiation-sample', sample.pk)}\n",
    )
    return sample


def _locked_sample(sample: SampleRequest) -> SampleRequest:
    return (
        SampleRequest.objects.select_for_update()
        .select_related("buyer", "exhibitor", "product")
        .get(pk=sample.pk)
    )


@transaction.atomic
def sample_accept(
    *, membership: Membership, sample: SampleRequest, free: bool, unit_price: Decimal | None = None
) -> SampleRequest:
    """The exhibitor sends the samples free, or at a sample price the buyer pays through checkout."""
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    if sample.status != SampleStatus.REQUESTED:
        raise ValidationError(
            _("This sample request is already %(status)s.") % {"status": sample.get_status_display().lower()}
        )
    now = timezone.now()
    sample.first_answered_at = sample.first_answered_at or now
    sample.status = SampleStatus.ACCEPTED
    if free:
        sample.unit_price = None
        body_zh, body_en = "免费寄送样品。", "The samples are free; they will be sent to you."
    else:
        if unit_price is None:
            unit_price = getattr(sample.product, "sample_price", None)
        try:
            unit_price = Decimal(unit_price) if unit_price is not None else None
        except (InvalidOperation, TypeError, ValueError):
            unit_price = None
        if unit_price is None or not unit_price.is_finite() or unit_price <= 0:
            raise ValidationError(
                _("Give the sample price (more than 0), or send the samples free."), code="price"
            )
        from partner.services import negotiated_price_grant

        grant = negotiated_price_grant(
            buyer=sample.buyer,
            product=sample.product,
            unit_price=unit_price,
            quantity=sample.quantity,
            kind="sample",
            valid_until=timezone.localdate() + timedelta(days=SAMPLE_PRICE_DAYS),
            reference=sample.label,
        )
        sample.unit_price = grant.unit_price
        sample.price_grant_id = grant.pk
        body_zh = f"样品价 {grant.unit_price} {grant.currency} × {sample.quantity}，请在平台下单付款。"
        body_en = (
            f"Sample price {grant.unit_price} {grant.currency} × {sample.quantity}; "
            "order and pay on the platform."
        )
    sample.save()
    _notify(
        sample.buyer,
        subject=f"样品申请已接受 · Sample request accepted ({sample.label})",
        body=f"{body_zh}\n{body_en}\n\n{_company_url('negotiation-sample', sample.pk)}\n",
    )
    return sample


@transaction.atomic
def sample_decline(*, membership: Membership, sample: SampleRequest, reason: str) -> SampleRequest:
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the buyer a reason."), code="reason")
    if sample.status != SampleStatus.REQUESTED:
        raise ValidationError(
            _("This sample request is already %(status)s.") % {"status": sample.get_status_display().lower()}
        )
    sample.status = SampleStatus.DECLINED
    sample.decline_reason = reason
    sample.first_answered_at = sample.first_answered_at or timezone.now()
    sample.save()
    _notify(
        sample.buyer,
        subject=f"样品申请未被接受 · Sample request declined ({sample.label})",
        body=f"{reason}\n\n{_company_url('negotiation-sample', sample.pk)}\n",
    )
    return sample


def sample_order(sample: SampleRequest):
    """The paid order of a paid sample, or None."""
    if not sample.order_number:
        return None
    from oscar.core.loading import get_model

    return get_model("order", "Order").objects.filter(number=sample.order_number).first()


PAID_ORDER_STATUSES = {"Paid", "Partially shipped", "Shipped", "Delivered"}


@transaction.atomic
def sample_ship(*, membership: Membership, sample: SampleRequest, tracking: str) -> SampleRequest:
    """The exhibitor ships: a free sample once accepted, a paid one once its order is paid
    (its order lines are confirmed and shipped with the same tracking number)."""
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    tracking = (tracking or "").strip()
    if not tracking:
        raise ValidationError(_("Give the tracking number of the shipment."), code="tracking")
    if sample.is_paid_sample:
        order = sample_order(sample)
        if sample.status != SampleStatus.ORDERED or order is None:
            raise ValidationError(_("The buyer has not ordered these samples yet."), code="status")
        if order.status not in PAID_ORDER_STATUSES:
            raise ValidationError(
                _("Order %(number)s is not paid yet.") % {"number": order.number}, code="status"
            )
        _ship_order_lines(membership=membership, order=order, product_id=sample.product_id, tracking=tracking)
    elif sample.status != SampleStatus.ACCEPTED:
        raise ValidationError(
            _("This sample request is %(status)s; it cannot be shipped.")
            % {"status": sample.get_status_display().lower()},
            code="status",
        )
    sample.status = SampleStatus.SHIPPED
    sample.tracking = tracking[:128]
    sample.shipped_at = timezone.now()
    sample.save()
    _notify(
        sample.buyer,
        subject=f"样品已寄出 · Samples shipped ({sample.label})",
        body=f"运单号 / Tracking: {tracking}\n\n{_company_url('negotiation-sample', sample.pk)}\n",
    )
    return sample


def _ship_order_lines(*, membership: Membership, order, product_id: int, tracking: str) -> None:
    """Confirm and ship the order's lines of the sample product through the order app."""
    from order import services as order_services

    lines = list(order.lines.filter(partner_id=membership.exhibitor.partner_id, product_id=product_id))
    to_confirm = [line.pk for line in lines if line.status == "Paid"]
    if to_confirm:
        order_services.exhibitor_lines_confirm(membership=membership, order=order, line_ids=to_confirm)
    confirmed = order.lines.filter(pk__in=[line.pk for line in lines], status="Confirmed")
    quantities = {line.pk: line.quantity for line in confirmed}
    if quantities:
        order_services.exhibitor_lines_ship(
            membership=membership, order=order, quantities=quantities, tracking=tracking
        )


@transaction.atomic
def sample_confirm_receipt(*, membership: Membership, sample: SampleRequest) -> SampleRequest:
    _require_side(membership, Side.BUYER)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    if sample.status != SampleStatus.SHIPPED:
        raise ValidationError(_("The samples have not been shipped yet."), code="status")
    sample.status = SampleStatus.RECEIVED
    sample.received_at = timezone.now()
    sample.save()
    return sample


@transaction.atomic
def sample_feedback(
    *, membership: Membership, sample: SampleRequest, feedback: str, rating: int | None = None
) -> SampleRequest:
    """Tasting feedback from the buyer, seen by that exhibitor only."""
    _require_side(membership, Side.BUYER)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    if sample.status not in (SampleStatus.SHIPPED, SampleStatus.RECEIVED):
        raise ValidationError(_("Give feedback once the samples have arrived."), code="status")
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError(_("Write how the samples tasted."), code="feedback")
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError(_("Rate from 1 to 5."), code="rating")
    if sample.status == SampleStatus.SHIPPED:
        sample.status = SampleStatus.RECEIVED
        sample.received_at = timezone.now()
    sample.feedback = feedback
    sample.feedback_rating = rating
    sample.save()
    _notify(
        sample.exhibitor,
        subject=f"样品试吃反馈 · Tasting feedback ({sample.label})",
        body=f"{_company_url('negotiation-sample', sample.pk)}\n",
    )
    return sample


@transaction.atomic
def sample_cancel(*, membership: Membership, sample: SampleRequest) -> SampleRequest:
    _require_side(membership, Side.BUYER)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    if sample.status not in (SampleStatus.REQUESTED, SampleStatus.ACCEPTED):
        raise ValidationError(_("This sample request can no longer be withdrawn."), code="status")
    sample.status = SampleStatus.CANCELLED
    sample.save(update_fields=["status"])
    return sample


# --- quotes --------------------------------------------------------------------------------------


def _locked_request(request_id: int) -> SourcingRequest:
    return SourcingRequest.objects.select_for_update().select_related("buyer").get(pk=request_id)


@transaction.atomic
def quote_submit(
    *,
    membership: Membership,
    request: SourcingRequest,
    product,
    unit_price: Decimal,
    moq: int,
    lead_time_days: int,
    delivery_terms: str,
    valid_until: date,
    message: str = "",
) -> Quote:
    """An exhibitor quotes on an open request, or revises its open quote on it."""
    _require_side(membership, Side.EXHIBITOR)
    exhibitor = membership.exhibitor
    _require_verified(exhibitor)
    request = _locked_request(request.pk)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This sourcing request is closed; it takes no more quotes."), code="closed")
    check_not_blocked(buyer_id=request.buyer_id, exhibitor_id=exhibitor.pk, side=Side.EXHIBITOR)
    if not product.stockrecords.filter(partner_id=exhibitor.partner_id).exists():
        raise ValidationError(_("Quote one of your own products."), code="product")
    if unit_price is None or unit_price <= 0:
        raise ValidationError(_("The unit price must be more than 0."), code="unit_price")
    if moq is None or moq < 1:
        raise ValidationError(_("The minimum order quantity must be at least 1."), code="moq")
    if lead_time_days is None or lead_time_days < 0:
        raise ValidationError(_("Give the lead time in days."), code="lead_time_days")
    if delivery_terms not in DeliveryTerms.values:
        raise ValidationError(_("Choose the delivery terms."), code="delivery_terms")
    if valid_until is None or valid_until < timezone.localdate():
        raise ValidationError(_("The quote must be valid until today or later."), code="valid_until")
    fields = {
        "product": product,
        "unit_price": Decimal(unit_price).quantize(Decimal("0.01")),
        "currency": request.currency or "CNY",
        "moq": moq,
        "lead_time_days": lead_time_days,
        "delivery_terms": delivery_terms,
        "valid_until": valid_until,
        "message": (message or "").strip(),
    }
    quote = Quote.objects.select_for_update().filter(request=request, exhibitor=exhibitor).first()
    if quote is not None:
        if quote.status != QuoteStatus.OPEN:
            raise ValidationError(
                _("Your quote on this request is %(status)s; it cannot be changed.")
                % {"status": quote.get_status_display().lower()},
                code="status",
            )
        for name, value in fields.items():
            setattr(quote, name, value)
        quote.save()
        revised = True
    else:
        thread = Thread.objects.create(
            buyer=request.buyer,
            exhibitor=exhibitor,
            subject=_("Quote on %(title)s") % {"title": request.title},
        )
        quote = Quote.objects.create(
            request=request, exhibitor=exhibitor, thread=thread, created_by=membership.user, **fields
        )
        thread.subject = f"{quote.label} · {thread.subject}"[:255]
        thread.save(update_fields=["subject"])
        revised = False
    _notify(
        request.buyer,
        subject=f"{'报价已更新' if revised else '新报价'} · {'Quote revised' if revised else 'New quote'}: "
        f"{request.title} ({quote.label})",
        body=f"{_name_zh(exhibitor)} / {_name_en(exhibitor)}: {quote.unit_price} {quote.currency}, "
        f"MOQ {quote.moq}, {quote.lead_time_days} d, {quote.delivery_terms}, → {quote.valid_until}\n\n"
        f"{_company_url('negotiation-request-quotes', request.pk)}\n",
    )
    return quote


def quote_quantity(quote: Quote) -> int:
    """What the buyer orders at the quoted price: the request's quantity, at least the quote's MOQ."""
    import math

    wanted = math.ceil(quote.request.quantity) if quote.request.quantity else 0
    return max(int(wanted), quote.moq, 1)


def _close_other_quotes(*, request: SourcingRequest, status: str, exclude: int | None = None) -> None:
    others = (
        Quote.objects.select_for_update()
        .filter(request=request, status=QuoteStatus.OPEN)
        .select_related("exhibitor")
    )
    if exclude:
        others = others.exclude(pk=exclude)
    now = timezone.now()
    for other in others:
        other.status = status
        other.decided_at = now
        other.first_answered_at = other.first_answered_at or now
        other.save(update_fields=["status", "decided_at", "first_answered_at"])
        if status == QuoteStatus.NOT_CHOSEN:
            zh, en = "买家选择了其他报价", "the buyer chose another quote"
        else:
            zh, en = "采购需求已关闭，报价失效", "the request was closed, so the quote expired"
        _notify(
            other.exhibitor,
            subject=f"报价未被选中 · Quote not chosen: {request.title} ({other.label})"
            if status == QuoteStatus.NOT_CHOSEN
            else f"报价已失效 · Quote expired: {request.title} ({other.label})",
            body=f"{zh} / {en}.\n\n{_company_url('negotiation-quote', other.pk)}\n",
        )


@transaction.atomic
def quote_accept(*, membership: Membership, quote: Quote) -> Quote:
    """The buyer accepts one quote: it becomes a negotiated price for this buyer until the quote
    expires, the request closes and the other open quotes are told they were not chosen."""
    _require_side(membership, Side.BUYER)
    _require_party(membership, quote)
    request = _locked_request(quote.request_id)  # one acceptance per request, even when two race
    quote = (
        Quote.objects.select_for_update().select_related("request", "product", "exhibitor").get(pk=quote.pk)
    )
    if quote.status != QuoteStatus.OPEN:
        raise ValidationError(
            _("This quote is %(status)s and can no longer be accepted.")
            % {"status": quote.get_status_display().lower()},
            code="status",
        )
    if quote.valid_until < timezone.localdate():
        raise ValidationError(
            _("This quote expired on %(date)s. Ask the exhibitor for a new one in its conversation.")
            % {"date": quote.valid_until.isoformat()},
            code="expired",
        )
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This sourcing request is closed."), code="closed")
    check_not_blocked(buyer_id=request.buyer_id, exhibitor_id=quote.exhibitor_id, side=Side.BUYER)
    from partner.services import negotiated_price_grant

    grant = negotiated_price_grant(
        buyer=request.buyer,
        product=quote.product,
        unit_price=quote.unit_price,
        quantity=quote_quantity(quote),
        kind="quote",
        valid_until=quote.valid_until,
        reference=quote.label,
    )
    now = timezone.now()
    quote.status = QuoteStatus.ACCEPTED
    quote.price_grant_id = grant.pk
    quote.decided_at = now
    quote.first_answered_at = quote.first_answered_at or now
    quote.save()
    request.status = RequestStatus.CLOSED
    request.save(update_fields=["status", "updated_at"])
    _close_other_quotes(request=request, status=QuoteStatus.NOT_CHOSEN, exclude=quote.pk)
    _notify(
        quote.exhibitor,
        subject=f"报价已被接受 · Quote accepted: {request.title} ({quote.label})",
        body=f"{_name_zh(request.buyer)} / {_name_en(request.buyer)}: "
        f"{quote_quantity(quote)} × {quote.unit_price} {quote.currency}\n\n"
        f"{_company_url('negotiation-quote', quote.pk)}\n",
    )
    return quote


def quote_price_grant(quote_or_sample):
    """The negotiated price a quote or sample created, or None."""
    if not quote_or_sample.price_grant_id:
        return None
    from oscar.core.loading import get_model

    return get_model("partner", "NegotiatedPrice").objects.filter(pk=quote_or_sample.price_grant_id).first()


@transaction.atomic
def request_close(*, membership: Membership, request: SourcingRequest) -> SourcingRequest:
    """The buyer closes a request without choosing; its open quotes expire with a notice."""
    _require_side(membership, Side.BUYER)
    if request.buyer_id != membership.buyer_id:
        raise ValidationError(_("This belongs to other companies."))
    request = _locked_request(request.pk)
    if request.status != RequestStatus.CLOSED:
        request.status = RequestStatus.CLOSED
        request.save(update_fields=["status", "updated_at"])
    _close_other_quotes(request=request, status=QuoteStatus.EXPIRED)
    return request


@transaction.atomic
def quote_withdraw(*, membership: Membership, quote: Quote) -> Quote:
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, quote)
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.status != QuoteStatus.OPEN:
        raise ValidationError(_("Only an open quote can be withdrawn."), code="status")
    quote.status = QuoteStatus.WITHDRAWN
    quote.decided_at = timezone.now()
    quote.save(update_fields=["status", "decided_at"])
    return quote


def quotes_expire(*, today: date | None = None) -> int:
    """Open quotes past their date, or on requests closed elsewhere, expire with a notice."""
    today = today or timezone.localdate()
    count = 0
    stale = Quote.objects.filter(status=QuoteStatus.OPEN).filter(
        Q(valid_until__lt=today) | ~Q(request__status=RequestStatus.OPEN)
    )
    for quote_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            quote = (
                Quote.objects.select_for_update()
                .select_related("request", "request__buyer", "exhibitor")
                .filter(pk=quote_id, status=QuoteStatus.OPEN)
                .first()
            )
            if quote is None:
                continue
            quote.status = QuoteStatus.EXPIRED
            quote.decided_at = timezone.now()
            quote.save(update_fields=["status", "decided_at"])
            for company in (quote.exhibitor, quote.request.buyer):
                _notify(
                    company,
                    subject=f"报价已失效 · Quote expired: {quote.request.title} ({quote.label})",
                    body=f"{_company_url('negotiation-quote', quote.pk)}\n",
                )
            count += 1
    return count


# --- orders from negotiated prices ------------------------------------------------------------


@transaction.atomic
def negotiated_order_record(*, grant_id: int, order_number: str) -> None:
    """An order was placed with a sample's or a quote's negotiated price."""
    for sample in SampleRequest.objects.select_for_update().filter(price_grant_id=grant_id):
        sample.order_number = order_number
        if sample.status == SampleStatus.ACCEPTED:
            sample.status = SampleStatus.ORDERED
        sample.save(update_fields=["order_number", "status"])
        _notify(
            sample.exhibitor,
            subject=f"样品已下单 · Samples ordered ({sample.label}, {order_number})",
            body=f"{_company_url('negotiation-sample', sample.pk)}\n",
        )
    Quote.objects.filter(price_grant_id=grant_id).update(order_number=order_number)


# --- meetings ------------------------------------------------------------------------------------


def _on_quarter(moment: datetime) -> bool:
    return (
        moment.second == 0 and moment.microsecond == 0 and int(moment.timestamp()) % (SLOT_MINUTES * 60) == 0
    )


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _edition_for(*, exhibitor: Exhibitor, starts_at: datetime, ends_at: datetime):
    """The expo edition the exhibitor shows at that covers the time; else a clear refusal."""
    from expo.models import ExpoEditionPage

    years = set(exhibitor.participations.filter(withdrawn=False).values_list("edition", flat=True))
    editions = list(ExpoEditionPage.objects.live().filter(year__in=years).order_by("starts_at"))
    seen = set()
    unique = []
    for edition in editions:
        if edition.year not in seen:
            seen.add(edition.year)
            unique.append(edition)
    for edition in unique:
        if edition.starts_at <= starts_at and ends_at <= edition.ends_at:
            return edition
    upcoming = [e for e in unique if e.ends_at >= timezone.now()]
    if not upcoming:
        raise ValidationError(
            _("This exhibitor has no booth at a coming expo; ask for an online meeting instead."),
            code="edition",
        )
    dates = "; ".join(f"{_local(e.starts_at)} – {_local(e.ends_at)}" for e in upcoming)
    raise ValidationError(
        _("%(time)s is outside the expo dates (%(dates)s). Booth meetings take place while the expo is open.")
        % {"time": _local(starts_at), "dates": dates},
        code="outside_expo",
    )


def _check_time(*, meeting_kind: str, exhibitor: Exhibitor, starts_at: datetime, minutes: int):
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at <= timezone.now():
        raise ValidationError(_("%(time)s has already passed.") % {"time": _local(starts_at)}, code="past")
    if not _on_quarter(starts_at):
        raise ValidationError(
            _("Meetings start on the quarter hour (:00, :15, :30, :45); %(time)s does not.")
            % {"time": _local(starts_at)},
            code="quarter",
        )
    ends_at = starts_at + timedelta(minutes=minutes)
    edition = None
    if meeting_kind == MeetingKind.BOOTH:
        edition = _edition_for(exhibitor=exhibitor, starts_at=starts_at, ends_at=ends_at)
    return starts_at, ends_at, edition


@transaction.atomic
def meeting_request(
    *,
    membership: Membership,
    exhibitor: Exhibitor,
    kind: str,
    times: list[datetime],
    topic: str,
    duration_minutes: int = 30,
    video_url: str = "",
) -> Meeting:
    """A buyer asks for a meeting, proposing one to three times; nothing is held until accepted."""
    _require_side(membership, Side.BUYER)
    buyer = membership.buyer
    _require_verified(buyer)
    if exhibitor.status == CompanyStatus.REJECTED:
        raise ValidationError(_("This exhibitor is not on the platform."))
    check_not_blocked(buyer_id=buyer.pk, exhibitor_id=exhibitor.pk, side=Side.BUYER)
    _check_daily_limit(buyer=buyer, kind="meeting")
    if kind not in MeetingKind.values:
        raise ValidationError(_("Choose where to meet."), code="kind")
    if duration_minutes not in MEETING_DURATIONS:
        raise ValidationError(_("Choose a duration from the list."), code="duration")
    times = [t for t in times if t]
    if not times:
        raise ValidationError(_("Propose at least one time."), code="times")
    if len(times) > MAX_MEETING_TIMES:
        raise ValidationError(_("Propose at most three times."), code="times")
    if len(set(times)) != len(times):
        raise ValidationError(_("The proposed times must differ."), code="times")
    topic = (topic or "").strip()
    if not topic:
        raise ValidationError(_("Say what you would like to talk about."), code="topic")
    checked = [
        _check_time(meeting_kind=kind, exhibitor=exhibitor, starts_at=t, minutes=duration_minutes)
        for t in times
    ]
    editions = {edition.year for _s, _e, edition in checked if edition}
    meeting = Meeting.objects.create(
        buyer=buyer,
        exhibitor=exhibitor,
        kind=kind,
        edition_year=min(editions) if editions else None,
        video_url=(video_url or "").strip() if kind == MeetingKind.ONLINE else "",
        topic=topic,
        duration_minutes=duration_minutes,
        requested_by=membership.user,
        expires_at=timezone.now() + timedelta(hours=MEETING_ANSWER_HOURS),
    )
    MeetingProposal.objects.bulk_create(
        [MeetingProposal(meeting=meeting, starts_at=start, side=Side.BUYER) for start, _e, _ed in checked]
    )
    _notify(
        exhibitor,
        subject=f"{_name_zh(buyer)} 预约洽谈 · Meeting request from {_name_en(buyer)} ({meeting.label})",
        body="\n".join(_local(start) for start, _e, _ed in checked)
        + f"\n{topic}\n\n72 小时内答复 / Answer within 72 hours: "
        + f"{_company_url('negotiation-meeting', meeting.pk)}\n",
    )
    return meeting


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("buyer", "exhibitor").get(pk=meeting.pk)


def _check_attendee(*, meeting: Meeting, attendee) -> None:
    if (
        attendee is None
        or not Membership.objects.filter(user=attendee, exhibitor_id=meeting.exhibitor_id).exists()
    ):
        raise ValidationError(_("Choose a member of your company to attend."), code="attendee")


def _book(*, meeting: Meeting, attendee, starts_at: datetime) -> None:
    """Hold the attendee's quarter hours; a person already booked at that time is refused.

    The unique (attendee, quarter) constraint decides between concurrent bookings: the second
    insert fails, its savepoint rolls back, and the caller's transaction stays usable.
    """
    ends_at = starts_at + meeting.duration
    quarters = [
        starts_at + timedelta(minutes=SLOT_MINUTES * i)
        for i in range(meeting.duration_minutes // SLOT_MINUTES)
    ]
    try:
        with transaction.atomic():
            MeetingBooking.objects.bulk_create(
                [MeetingBooking(attendee=attendee, meeting=meeting, slot_start=q) for q in quarters]
            )
    except IntegrityError:
        raise ValidationError(
            _(
                "%(person)s is already booked at %(time)s — another meeting took this time first. "
                "Please choose another time."
            )
            % {"person": attendee.get_full_name() or attendee.email, "time": _local(starts_at)},
            code="taken",
        ) from None
    meeting.attendee = attendee
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.status = MeetingStatus.ACCEPTED
    meeting.accepted_at = timezone.now()
    meeting.expires_at = None


def _meeting_notice(meeting: Meeting, company, zh: str, en: str, extra: str = "") -> None:
    _notify(
        company,
        subject=f"{zh} · {en} ({meeting.label})",
        body=(extra + "\n\n" if extra else "") + _company_url("negotiation-meeting", meeting.pk) + "\n",
    )


@transaction.atomic
def meeting_accept(
    *, membership: Membership, meeting: Meeting, starts_at: datetime, attendee, video_url: str = ""
) -> Meeting:
    """The exhibitor accepts one of the buyer's proposed times and names who attends."""
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, meeting)
    meeting = _locked_meeting(meeting)
    if meeting.status != MeetingStatus.REQUESTED:
        raise ValidationError(
            _("This meeting is %(status)s.") % {"status": meeting.get_status_display().lower()}, code="status"
        )
    if not meeting.proposals.filter(side=Side.BUYER, starts_at=starts_at).exists():
        raise ValidationError(_("Choose one of the proposed times, or propose another."), code="time")
    if starts_at <= timezone.now():
        raise ValidationError(_("%(time)s has already passed.") % {"time": _local(starts_at)}, code="past")
    _check_attendee(meeting=meeting, attendee=attendee)
    _book(meeting=meeting, attendee=attendee, starts_at=starts_at)
    meeting.first_answered_at = meeting.first_answered_at or timezone.now()
    if meeting.kind == MeetingKind.ONLINE and video_url:
        meeting.video_url = video_url.strip()
    meeting.save()
    _meeting_notice(meeting, meeting.buyer, "洽谈已确认", "Meeting accepted", _local(meeting.starts_at))
    return meeting


@transaction.atomic
def meeting_propose(*, membership: Membership, meeting: Meeting, starts_at: datetime, attendee) -> Meeting:
    """The exhibitor proposes another time (with who would attend); the buyer then accepts or declines."""
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, meeting)
    meeting = _locked_meeting(meeting)
    if meeting.status not in (MeetingStatus.REQUESTED, MeetingStatus.PROPOSED):
        raise ValidationError(
            _("This meeting is %(status)s.") % {"status": meeting.get_status_display().lower()}, code="status"
        )
    _check_attendee(meeting=meeting, attendee=attendee)
    starts_at, ends_at, edition = _check_time(
        meeting_kind=meeting.kind,
        exhibitor=meeting.exhibitor,
        starts_at=starts_at,
        minutes=meeting.duration_minutes,
    )
    from .selectors import attendee_busy

    if attendee_busy(attendee_id=attendee.pk, starts_at=starts_at, ends_at=ends_at):
        raise ValidationError(
            _("%(person)s is already booked at %(time)s.")
            % {"person": attendee.get_full_name() or attendee.email, "time": _local(starts_at)},
            code="taken",
        )
    MeetingProposal.objects.create(meeting=meeting, starts_at=starts_at, side=Side.EXHIBITOR)
    meeting.status = MeetingStatus.PROPOSED
    meeting.attendee = attendee
    meeting.first_answered_at = meeting.first_answered_at or timezone.now()
    meeting.expires_at = timezone.now() + timedelta(hours=MEETING_ANSWER_HOURS)
    if edition:
        meeting.edition_year = edition.year
    meeting.save()
    _meeting_notice(
        meeting, meeting.buyer, "参展商提议了新时间", "The exhibitor proposes another time", _local(starts_at)
    )
    return meeting


def latest_counter_proposal(meeting: Meeting) -> MeetingProposal | None:
    return meeting.proposals.filter(side=Side.EXHIBITOR).order_by("-created_at", "-id").first()


@transaction.atomic
def meeting_accept_proposal(*, membership: Membership, meeting: Meeting) -> Meeting:
    """The buyer takes the exhibitor's proposed time. When someone else booked that person
    meanwhile, the buyer is told and nothing changes."""
    _require_side(membership, Side.BUYER)
    _require_party(membership, meeting)
    meeting = _locked_meeting(meeting)
    if meeting.status != MeetingStatus.PROPOSED:
        raise ValidationError(
            _("This meeting is %(status)s.") % {"status": meeting.get_status_display().lower()}, code="status"
        )
    proposal = latest_counter_proposal(meeting)
    if proposal is None or proposal.starts_at <= timezone.now():
        raise ValidationError(_("The proposed time has passed; ask for another."), code="past")
    if meeting.attendee is None:
        raise ValidationError(_("The exhibitor has not said who attends; ask again."), code="attendee")
    _book(meeting=meeting, attendee=meeting.attendee, starts_at=proposal.starts_at)
    meeting.save()
    _meeting_notice(
        meeting,
        meeting.exhibitor,
        "买家接受了新时间",
        "The buyer accepted your time",
        _local(meeting.starts_at),
    )
    return meeting


@transaction.atomic
def meeting_decline(*, membership: Membership, meeting: Meeting, reason: str) -> Meeting:
    """The exhibitor declines a request, or the buyer declines the exhibitor's proposal; with a reason."""
    side = _require_party(membership, meeting)
    meeting = _locked_meeting(meeting)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason."), code="reason")
    allowed = MeetingStatus.REQUESTED if side == Side.EXHIBITOR else MeetingStatus.PROPOSED
    if meeting.status != allowed:
        raise ValidationError(
            _("This meeting is %(status)s.") % {"status": meeting.get_status_display().lower()}, code="status"
        )
    meeting.status = MeetingStatus.DECLINED
    meeting.decline_reason = reason
    meeting.expires_at = None
    meeting.first_answered_at = meeting.first_answered_at or timezone.now()
    meeting.save()
    other = meeting.buyer if side == Side.EXHIBITOR else meeting.exhibitor
    _meeting_notice(meeting, other, "洽谈未能安排", "Meeting declined", reason)
    return meeting


@transaction.atomic
def meeting_cancel(*, membership: Membership, meeting: Meeting, reason: str = "") -> Meeting:
    """Either side calls off a meeting; an accepted one frees its attendee's time."""
    side = _require_party(membership, meeting)
    meeting = _locked_meeting(meeting)
    if meeting.status not in (MeetingStatus.REQUESTED, MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED):
        raise ValidationError(
            _("This meeting is %(status)s.") % {"status": meeting.get_status_display().lower()}, code="status"
        )
    if meeting.status == MeetingStatus.ACCEPTED and meeting.starts_at and meeting.starts_at <= timezone.now():
        raise ValidationError(_("The meeting has begun; mark whether it took place instead."), code="status")
    meeting.bookings.all().delete()
    meeting.status = MeetingStatus.CANCELLED
    meeting.decline_reason = (reason or "").strip()
    meeting.expires_at = None
    meeting.save()
    other = meeting.buyer if side == Side.EXHIBITOR else meeting.exhibitor
    _meeting_notice(meeting, other, "洽谈已取消", "Meeting cancelled", meeting.decline_reason)
    return meeting


@transaction.atomic
def meeting_mark_outcome(*, membership: Membership, meeting: Meeting, outcome: str) -> Meeting:
    side = _require_party(membership, meeting)
    meeting = _locked_meeting(meeting)
    if outcome not in Outcome.values:
        raise ValidationError(_("Say whether you met."), code="outcome")
    if (
        meeting.status != MeetingStatus.ACCEPTED
        or meeting.starts_at is None
        or meeting.starts_at > timezone.now()
    ):
        raise ValidationError(_("Say whether you met once the meeting's time has come."), code="status")
    setattr(meeting, f"{side}_outcome", outcome)
    meeting.save(update_fields=[f"{side}_outcome"])
    return meeting


def meetings_expire(*, now: datetime | None = None) -> int:
    """Requests and proposals not answered within 72 hours expire; the buyer (and exhibitor) are told."""
    now = now or timezone.now()
    count = 0
    for meeting_id in Meeting.objects.filter(
        status__in=[MeetingStatus.REQUESTED, MeetingStatus.PROPOSED], expires_at__lt=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            meeting = (
                Meeting.objects.select_for_update()
                .select_related("buyer", "exhibitor")
                .filter(pk=meeting_id, status__in=[MeetingStatus.REQUESTED, MeetingStatus.PROPOSED])
                .first()
            )
            if meeting is None:
                continue
            was = meeting.status
            meeting.status = MeetingStatus.EXPIRED
            meeting.save(update_fields=["status"])
            if was == MeetingStatus.REQUESTED:
                _meeting_notice(
                    meeting,
                    meeting.buyer,
                    "洽谈申请已过期",
                    "Meeting request expired",
                    "参展商 72 小时内未答复。/ The exhibitor did not answer within 72 hours.",
                )
            else:
                _meeting_notice(
                    meeting,
                    meeting.exhibitor,
                    "洽谈提议已过期",
                    "Meeting proposal expired",
                    "买家 72 小时内未答复。/ The buyer did not answer within 72 hours.",
                )
                _meeting_notice(meeting, meeting.buyer, "洽谈提议已过期", "Meeting proposal expired")
            count += 1
    return count


def meetings_remind(*, now: datetime | None = None) -> int:
    """One reminder, 24 hours ahead, to both companies' members of each accepted meeting."""
    now = now or timezone.now()
    count = 0
    for meeting_id in Meeting.objects.filter(
        status=MeetingStatus.ACCEPTED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=24),
    ).values_list("pk", flat=True):
        with transaction.atomic():
            meeting = (
                Meeting.objects.select_for_update(of=("self",))
                .select_related("buyer", "exhibitor", "attendee")
                .filter(pk=meeting_id, reminder_sent_at__isnull=True)
                .first()
            )
            if meeting is None:
                continue
            meeting.reminder_sent_at = now
            meeting.save(update_fields=["reminder_sent_at"])
            where = meeting.video_url if meeting.kind == MeetingKind.ONLINE else "展位 / booth"
            text = (
                f"{_local(meeting.starts_at)} · {_name_zh(meeting.exhibitor)} × "
                f"{_name_zh(meeting.buyer)} · {where}"
            )
            for company in (meeting.buyer, meeting.exhibitor):
                _meeting_notice(meeting, company, "明天的洽谈", "Meeting tomorrow", text)
            count += 1
    return count


# --- blocks and abuse ------------------------------------------------------------------------------


def _pair(membership: Membership, counterpart) -> dict:
    side = _side(membership)
    if side == Side.BUYER and isinstance(counterpart, Exhibitor):
        return {"buyer_id": membership.buyer_id, "exhibitor_id": counterpart.pk}
    if side == Side.EXHIBITOR and isinstance(counterpart, Buyer):
        return {"buyer_id": counterpart.pk, "exhibitor_id": membership.exhibitor_id}
    raise ValidationError(_("Buyers block exhibitors and exhibitors block buyers."))


@transaction.atomic
def company_block(*, membership: Membership, counterpart) -> CompanyBlock:
    pair = _pair(membership, counterpart)
    block, _created = CompanyBlock.objects.get_or_create(
        **pair, blocked_by=_side(membership), defaults={"created_by": membership.user}
    )
    return block


@transaction.atomic
def company_unblock(*, membership: Membership, counterpart) -> None:
    CompanyBlock.objects.filter(**_pair(membership, counterpart), blocked_by=_side(membership)).delete()


def _staff_emails() -> list[str]:
    configured = list(settings.NEGOTIATION_STAFF_EMAILS)
    if configured:
        return configured
    return sorted(
        set(
            get_user_model()
            .objects.filter(is_superuser=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


@transaction.atomic
def abuse_report(*, membership: Membership, counterpart, reason: str, subject: str = "") -> AbuseReport:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what happened."), code="reason")
    pair = _pair(membership, counterpart)
    report = AbuseReport.objects.create(
        reporter=membership.user,
        reporter_side=_side(membership),
        subject=(subject or "").strip()[:64],
        reason=reason[:5000],
        **pair,
    )
    recipients = _staff_emails()
    if recipients:
        reporter = membership.company
        body = (
            f"{_name_zh(reporter)} / {_name_en(reporter)} ({reporter.key}) → "
            f"{_name_zh(counterpart)} / {_name_en(counterpart)} ({counterpart.key})\n"
            f"{report.subject}\n\n{reason}\n"
        )
        transaction.on_commit(
            lambda: send_mail_task.delay(
                subject=f"滥用举报 · Abuse report #{report.pk}", body=body, recipients=recipients
            )
        )
    return report
