"""Meetings at the booth or online, the times proposed for them, and the time they hold."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .threads import Side

SLOT_MINUTES = 15  # meetings start and end on the quarter hour; a booking holds every quarter


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
