"""When a meeting may take place, and holding the attendee's time once it is agreed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibitors.models import Exhibitor, Membership

from ..models import SLOT_MINUTES, Meeting, MeetingBooking, MeetingKind, MeetingStatus
from .common import _local


def _on_quarter(moment: datetime) -> bool:
    return (
        moment.second == 0 and moment.microsecond == 0 and int(moment.timestamp()) % (SLOT_MINUTES * 60) == 0
    )


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


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("buyer", "exhibitor").get(pk=meeting.pk)


def _require_status(meeting: Meeting, *statuses: str) -> None:
    if meeting.status not in statuses:
        raise ValidationError(
            _("This meeting is %(status)s.") % {"status": meeting.get_status_display().lower()}, code="status"
        )


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
