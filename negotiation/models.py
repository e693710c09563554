"""Negotiation between a buyer company and an exhibitor: inquiries, samples, quotes, meetings.

Every record names both companies (``buyer`` and ``exhibitor``), so one filter on the
acting company's side scopes every read (see ``selectors``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitors.uploads import validate_document

SLOT_MINUTES = 15  # meetings start and end on the quarter hour; a booking holds every quarter


class Side(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    EXHIBITOR = "exhibitor", _("Exhibitor")


def other_side(side: str) -> str:
    return Side.EXHIBITOR if side == Side.BUYER else Side.BUYER


class Thread(models.Model):
    """A conversation between one buyer and one exhibitor (an inquiry's or a quote's).

    Read and mail state is kept per side: any member of a company reads and answers for it.
    """

    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="negotiation_threads")
    exhibitor = models.ForeignKey(
        "exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="negotiation_threads"
    )
    subject = models.CharField(_("Subject"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_message_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    buyer_seen_at = models.DateTimeField(null=True, blank=True)
    exhibitor_seen_at = models.DateTimeField(null=True, blank=True)
    # One e-mail per batch: set when a notice is scheduled, cleared when it is sent.
    buyer_notice_due_at = models.DateTimeField(null=True, blank=True)
    exhibitor_notice_due_at = models.DateTimeField(null=True, blank=True)
    buyer_notified_at = models.DateTimeField(null=True, blank=True)
    exhibitor_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        ordering = ["-last_message_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    """One message of a thread; ``side`` and ``author`` say which company and who wrote it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    body = models.TextField(_("Message"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


def attachment_path(instance, filename: str) -> str:
    """A random folder per file: attachments are private, so their paths must not be guessable."""
    return f"negotiation/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    """A file attached to a message; checked by its content (PDF, JPEG or PNG, at most 10 MB)
    and served only through the thread's permission check."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, validators=[validate_document])
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.name


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Inquiry(models.Model):
    """A buyer's inquiry (询盘) to an exhibitor about one or more products."""

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="inquiry")
    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="inquiries")
    exhibitor = models.ForeignKey("exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="inquiries")
    products = models.ManyToManyField("catalogue.Product", blank=True, related_name="inquiries")
    quantity = models.PositiveIntegerField(_("Quantity"), null=True, blank=True)
    destination = models.CharField(_("Destination"), max_length=255, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"I-{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == InquiryStatus.CLOSED


class SampleStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    ORDERED = "ordered", _("Ordered")
    SHIPPED = "shipped", _("Shipped")
    RECEIVED = "received", _("Received")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class SampleRequest(models.Model):
    """A buyer asks an exhibitor for samples of a product.

    Accepted free, the exhibitor ships; accepted at a price, the buyer orders it through the
    normal checkout (a negotiated price in ``partner``) and the exhibitor ships once paid.
    """

    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="sample_requests")
    exhibitor = models.ForeignKey(
        "exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="sample_requests"
    )
    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="sample_requests")
    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.SET_NULL, null=True, blank=True, related_name="sample_requests"
    )
    quantity = models.PositiveIntegerField(_("How many samples"))
    ship_to = models.TextField(_("Where to send them"))
    message = models.TextField(_("Message"), blank=True)
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=SampleStatus.choices,
        default=SampleStatus.REQUESTED,
        db_index=True,
    )
    unit_price = models.DecimalField(
        _("Sample price"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("Empty: free")
    )
    decline_reason = models.TextField(_("Reason"), blank=True)
    price_grant_id = models.PositiveIntegerField(null=True, blank=True)  # partner.NegotiatedPrice
    order_number = models.CharField(max_length=128, blank=True)
    tracking = models.CharField(_("Tracking number"), max_length=128, blank=True)
    feedback = models.TextField(_("Tasting feedback"), blank=True)
    feedback_rating = models.PositiveSmallIntegerField(_("Rating"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sample request")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"S-{self.pk}"

    @property
    def is_paid_sample(self) -> bool:
        return self.unit_price is not None and self.unit_price > 0

    @property
    def is_requested(self) -> bool:
        return self.status == SampleStatus.REQUESTED

    @property
    def is_accepted(self) -> bool:
        return self.status == SampleStatus.ACCEPTED

    @property
    def is_shipped(self) -> bool:
        return self.status == SampleStatus.SHIPPED

    @property
    def has_terms(self) -> bool:
        """Accepted at some point: free or at a price (declined, cancelled and new ones have none)."""
        return self.status not in (SampleStatus.REQUESTED, SampleStatus.DECLINED, SampleStatus.CANCELLED)

    @property
    def has_arrived(self) -> bool:
        """Shipped or received: the buyer may give tasting feedback."""
        return self.status in (SampleStatus.SHIPPED, SampleStatus.RECEIVED)

    @property
    def can_be_withdrawn(self) -> bool:
        return self.status in (SampleStatus.REQUESTED, SampleStatus.ACCEPTED)

    @property
    def awaits_shipping(self) -> bool:
        """Free samples accepted, or paid ones ordered: the exhibitor's turn to ship."""
        return self.status in (SampleStatus.ORDERED, SampleStatus.ACCEPTED)


class QuoteStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    NOT_CHOSEN = "not_chosen", _("Not chosen")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeliveryTerms(models.TextChoices):
    DELIVERED = "delivered", _("Delivered to the buyer's address")
    EXW = "EXW", _("EXW (ex works)")
    FCA = "FCA", _("FCA (free carrier)")
    FOB = "FOB", _("FOB (free on board)")
    CIF = "CIF", _("CIF (cost, insurance and freight)")
    DAP = "DAP", _("DAP (delivered at place)")
    DDP = "DDP", _("DDP (delivered duty paid)")


class Quote(models.Model):
    """An exhibitor's quote on a buyer's sourcing request; one per exhibitor and request.

    Accepted, it becomes a negotiated price the buyer checks out with until ``valid_until``.
    """

    request = models.ForeignKey("buyers.SourcingRequest", on_delete=models.CASCADE, related_name="quotes")
    exhibitor = models.ForeignKey("exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="quotes")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="quotes")
    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="quote")
    unit_price = models.DecimalField(_("Unit price"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("Currency"), max_length=3, default="CNY")
    moq = models.PositiveIntegerField(_("Minimum order quantity"))
    lead_time_days = models.PositiveIntegerField(_("Lead time (days)"))
    delivery_terms = models.CharField(_("Delivery terms"), max_length=16, choices=DeliveryTerms.choices)
    valid_until = models.DateField(_("Valid until"))
    message = models.TextField(_("Message"), blank=True)
    status = models.CharField(
        _("Status"), max_length=12, choices=QuoteStatus.choices, default=QuoteStatus.OPEN, db_index=True
    )
    price_grant_id = models.PositiveIntegerField(null=True, blank=True)  # partner.NegotiatedPrice
    order_number = models.CharField(max_length=128, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("quote")
        ordering = ["unit_price", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "exhibitor"], name="one_quote_per_exhibitor")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"Q-{self.pk}"

    @property
    def buyer_id(self) -> int:
        return self.request.buyer_id

    @property
    def is_open(self) -> bool:
        return self.status == QuoteStatus.OPEN

    @property
    def is_accepted(self) -> bool:
        return self.status == QuoteStatus.ACCEPTED

    @property
    def takes_messages(self) -> bool:
        """Open or accepted: the two companies may still talk about it."""
        return self.status in (QuoteStatus.OPEN, QuoteStatus.ACCEPTED)


class MeetingKind(models.TextChoices):
    BOOTH = "booth", _("At the booth, during the expo")
    ONLINE = "online", _("Online (video call)")


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PROPOSED = "proposed", _("Other time proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


# Asked and not yet agreed: the other side has to answer (within 72 hours).
MEETING_PENDING = (MeetingStatus.REQUESTED, MeetingStatus.PROPOSED)


class Outcome(models.TextChoices):
    MET = "met", _("Met")
    NO_SHOW = "no_show", _("No-show")


class Meeting(models.Model):
    """A meeting a buyer asks of an exhibitor, at the booth or online.

    Pending meetings hold no time; accepting books the exhibitor's attendee through
    ``MeetingBooking`` rows, whose unique constraint refuses a second booking of a person's
    quarter hour, whatever the database and however many requests race.
    """

    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="meetings")
    exhibitor = models.ForeignKey("exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("Where"), max_length=8, choices=MeetingKind.choices)
    edition_year = models.PositiveSmallIntegerField(_("Expo edition"), null=True, blank=True)
    video_url = models.URLField(_("Video link"), blank=True)
    topic = models.TextField(_("What to talk about"))
    duration_minutes = models.PositiveSmallIntegerField(_("Duration (minutes)"), default=30)
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=MeetingStatus.choices,
        default=MeetingStatus.REQUESTED,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="negotiation_meetings",
        verbose_name=_("Attending for the exhibitor"),
    )
    starts_at = models.DateTimeField(_("Starts"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("Ends"), null=True, blank=True)
    decline_reason = models.TextField(_("Reason"), blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    buyer_outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    exhibitor_outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("meeting")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"M-{self.pk}"

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def is_requested(self) -> bool:
        return self.status == MeetingStatus.REQUESTED

    @property
    def is_proposed(self) -> bool:
        return self.status == MeetingStatus.PROPOSED

    @property
    def is_accepted(self) -> bool:
        return self.status == MeetingStatus.ACCEPTED

    @property
    def is_pending(self) -> bool:
        return self.status in MEETING_PENDING

    @property
    def is_online(self) -> bool:
        return self.kind == MeetingKind.ONLINE

    @property
    def can_be_cancelled(self) -> bool:
        return self.is_pending or self.is_accepted

    @property
    def has_begun(self) -> bool:
        """Accepted and its time has come: the two sides may say whether they met."""
        return self.is_accepted and self.starts_at is not None and self.starts_at <= timezone.now()


class MeetingProposal(models.Model):
    """A time proposed for a meeting: up to three by the buyer, then the exhibitor's counter-proposal."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="proposals")
    starts_at = models.DateTimeField(_("Proposed time"))
    side = models.CharField(max_length=10, choices=Side.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "starts_at"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.starts_at:%Y-%m-%d %H:%M}"


class MeetingBooking(models.Model):
    """One quarter hour of one person's time, held by an accepted meeting."""

    attendee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    slot_start = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attendee", "slot_start"], name="attendee_booked_once")
        ]

    def __str__(self) -> str:
        return f"{self.attendee_id} {self.slot_start}"


class CompanyBlock(models.Model):
    """One side of a buyer–exhibitor pair refuses the other: no new inquiries, messages, samples,
    quotes or meetings between them, whichever side blocked."""

    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="+")
    exhibitor = models.ForeignKey("exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="+")
    blocked_by = models.CharField(max_length=10, choices=Side.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked company")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "exhibitor", "blocked_by"], name="block_once_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.blocked_by}: {self.buyer_id}/{self.exhibitor_id}"


class AbuseReport(models.Model):
    """A company reports abuse by its counterpart to the expo staff."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reporter_side = models.CharField(max_length=10, choices=Side.choices)
    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="+")
    exhibitor = models.ForeignKey("exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("About"), max_length=64, blank=True)
    reason = models.TextField(_("What happened"))
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("abuse report")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="abuse_report_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.pk}"

    @property
    def reported(self):
        return self.exhibitor if self.reporter_side == Side.BUYER else self.buyer
