"""Meetings at the booth or online: requested with up to three times, accepted, re-proposed,
declined, cancelled, expired after 72 hours unanswered, reminded of a day ahead, marked held."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibitors.models import Exhibitor, Membership

from ..models import (
    MEETING_PENDING,
    Meeting,
    MeetingKind,
    MeetingProposal,
    MeetingStatus,
    Outcome,
    Side,
)
from .common import (
    MAX_MEETING_TIMES,
    MEETING_ANSWER_HOURS,
    MEETING_DURATIONS,
    _app_notice,
    _check_daily_limit,
    _local,
    _notify,
    _require_listed,
    _require_party,
    _require_side,
    _require_verified,
    check_not_blocked,
)
from .meeting_times import _book, _check_attendee, _check_time, _locked_meeting, _require_status


def _meeting_notice(meeting: Meeting, company, code: str, **context) -> None:
    _notify(company, code=code, link=("negotiation-meeting", meeting.pk), meeting=meeting, **context)
    if code != "NEGOTIATION_MEETING_REMINDER":
        about = meeting.exhibitor if company.kind == "buyer" else meeting.buyer
        _app_notice(company, kind="meeting", obj=meeting, about=about)


def _counterpart(meeting: Meeting, side: str):
    return meeting.buyer if side == Side.EXHIBITOR else meeting.exhibitor


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
    _require_listed(exhibitor)
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
    _meeting_notice(
        meeting,
        exhibitor,
        "NEGOTIATION_MEETING_REQUESTED",
        buyer=buyer,
        times=[start for start, _e, _ed in checked],
        answer_hours=MEETING_ANSWER_HOURS,
    )
    return meeting


@transaction.atomic
def meeting_accept(
    *, membership: Membership, meeting: Meeting, starts_at: datetime, attendee, video_url: str = ""
) -> Meeting:
    """The exhibitor accepts one of the buyer's proposed times and names who attends."""
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, meeting)
    meeting = _locked_meeting(meeting)
    _require_status(meeting, MeetingStatus.REQUESTED)
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
    _meeting_notice(meeting, meeting.buyer, "NEGOTIATION_MEETING_ACCEPTED")
    return meeting


@transaction.atomic
def meeting_propose(*, membership: Membership, meeting: Meeting, starts_at: datetime, attendee) -> Meeting:
    """The exhibitor proposes another time (with who would attend); the buyer then accepts or declines."""
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, meeting)
    meeting = _locked_meeting(meeting)
    _require_status(meeting, *MEETING_PENDING)
    _check_attendee(meeting=meeting, attendee=attendee)
    starts_at, ends_at, edition = _check_time(
        meeting_kind=meeting.kind,
        exhibitor=meeting.exhibitor,
        starts_at=starts_at,
        minutes=meeting.duration_minutes,
    )
    from ..selectors import attendee_busy

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
    _meeting_notice(meeting, meeting.buyer, "NEGOTIATION_MEETING_PROPOSED", proposed_at=starts_at)
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
    _require_status(meeting, MeetingStatus.PROPOSED)
    proposal = latest_counter_proposal(meeting)
    if proposal is None or proposal.starts_at <= timezone.now():
        raise ValidationError(_("The proposed time has passed; ask for another."), code="past")
    if meeting.attendee is None:
        raise ValidationError(_("The exhibitor has not said who attends; ask again."), code="attendee")
    _book(meeting=meeting, attendee=meeting.attendee, starts_at=proposal.starts_at)
    meeting.save()
    _meeting_notice(meeting, meeting.exhibitor, "NEGOTIATION_MEETING_PROPOSAL_ACCEPTED")
    return meeting


@transaction.atomic
def meeting_decline(*, membership: Membership, meeting: Meeting, reason: str) -> Meeting:
    """The exhibitor declines a request, or the buyer declines the exhibitor's proposal; with a reason."""
    side = _require_party(membership, meeting)
    meeting = _locked_meeting(meeting)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason."), code="reason")
    _require_status(meeting, MeetingStatus.REQUESTED if side == Side.EXHIBITOR else MeetingStatus.PROPOSED)
    meeting.status = MeetingStatus.DECLINED
    meeting.decline_reason = reason
    meeting.expires_at = None
    meeting.first_answered_at = meeting.first_answered_at or timezone.now()
    meeting.save()
    _meeting_notice(meeting, _counterpart(meeting, side), "NEGOTIATION_MEETING_DECLINED")
    return meeting


@transaction.atomic
def meeting_cancel(*, membership: Membership, meeting: Meeting, reason: str = "") -> Meeting:
    """Either side calls off a meeting; an accepted one frees its attendee's time."""
    side = _require_party(membership, meeting)
    meeting = _locked_meeting(meeting)
    _require_status(meeting, *MEETING_PENDING, MeetingStatus.ACCEPTED)
    if meeting.has_begun:
        raise ValidationError(_("The meeting has begun; mark whether it took place instead."), code="status")
    meeting.bookings.all().delete()
    meeting.status = MeetingStatus.CANCELLED
    meeting.decline_reason = (reason or "").strip()
    meeting.expires_at = None
    meeting.save()
    _meeting_notice(meeting, _counterpart(meeting, side), "NEGOTIATION_MEETING_CANCELLED")
    return meeting


@transaction.atomic
def meeting_mark_outcome(*, membership: Membership, meeting: Meeting, outcome: str) -> Meeting:
    side = _require_party(membership, meeting)
    meeting = _locked_meeting(meeting)
    if outcome not in Outcome.values:
        raise ValidationError(_("Say whether you met."), code="outcome")
    if not meeting.has_begun:
        raise ValidationError(_("Say whether you met once the meeting's time has come."), code="status")
    setattr(meeting, f"{side}_outcome", outcome)
    meeting.save(update_fields=[f"{side}_outcome"])
    return meeting


def meetings_expire(*, now: datetime | None = None) -> int:
    """Requests and proposals not answered within 72 hours expire; the buyer (and exhibitor) are told."""
    now = now or timezone.now()
    count = 0
    for meeting_id in Meeting.objects.filter(status__in=MEETING_PENDING, expires_at__lt=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            meeting = (
                Meeting.objects.select_for_update()
                .select_related("buyer", "exhibitor")
                .filter(pk=meeting_id, status__in=MEETING_PENDING)
                .first()
            )
            if meeting is None:
                continue
            was_requested = meeting.status == MeetingStatus.REQUESTED
            meeting.status = MeetingStatus.EXPIRED
            meeting.save(update_fields=["status"])
            context = {"was_requested": was_requested, "answer_hours": MEETING_ANSWER_HOURS}
            if not was_requested:  # the buyer let the exhibitor's proposal lapse
                _meeting_notice(
                    meeting, meeting.exhibitor, "NEGOTIATION_MEETING_EXPIRED", **context, to_exhibitor=True
                )
            _meeting_notice(
                meeting, meeting.buyer, "NEGOTIATION_MEETING_EXPIRED", **context, to_exhibitor=False
            )
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
            for company in (meeting.buyer, meeting.exhibitor):
                _meeting_notice(meeting, company, "NEGOTIATION_MEETING_REMINDER")
            count += 1
    return count
