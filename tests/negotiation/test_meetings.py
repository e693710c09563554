"""Meetings: proposals, no double booking of a person, expo dates, expiry, reminders, .ics."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone, translation

from negotiation import services
from negotiation.models import Meeting, MeetingBooking, MeetingStatus
from tests.factories.buyers import BuyerFactory
from tests.factories.members import MembershipFactory
from tests.factories.negotiation import booth, edition_page, make_pair, quarter


def zh(msgid: str) -> str:
    """Subjects are in the recipient company's language; the test companies are Chinese."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


@pytest.fixture
def pair(db):
    return make_pair()


def request_meeting(member, exhibitor, *times, kind="online", minutes=30):
    return services.meeting_request(
        membership=member,
        exhibitor=exhibitor,
        kind=kind,
        times=list(times),
        topic="辣条出口哈萨克斯坦",
        duration_minutes=minutes,
    )


def other_buyer():
    return MembershipFactory(exhibitor=None, buyer=BuyerFactory())


@pytest.mark.django_db
def test_exhibitor_accepts_one_proposed_time_and_names_the_attendee(pair):
    t1, t2 = quarter(3, 10), quarter(3, 14)
    meeting = request_meeting(pair.buyer_member, pair.exhibitor, t1, t2)
    assert meeting.status == MeetingStatus.REQUESTED and meeting.proposals.count() == 2
    assert not MeetingBooking.objects.exists()  # a pending request holds no slot
    services.meeting_accept(
        membership=pair.exhibitor_member,
        meeting=meeting,
        starts_at=t2,
        attendee=pair.exhibitor_colleague.user,
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.starts_at, meeting.ends_at) == (
        MeetingStatus.ACCEPTED,
        t2,
        t2 + timedelta(minutes=30),
    )
    assert MeetingBooking.objects.filter(attendee=pair.exhibitor_colleague.user).count() == 2


@pytest.mark.django_db
def test_a_member_is_never_booked_twice_and_a_pending_request_holds_nothing(pair):
    t = quarter(4, 9, 30)
    first = request_meeting(pair.buyer_member, pair.exhibitor, t, minutes=60)
    second = request_meeting(other_buyer(), pair.exhibitor, t + timedelta(minutes=45))
    attendee = pair.exhibitor_member.user
    services.meeting_accept(membership=pair.exhibitor_member, meeting=first, starts_at=t, attendee=attendee)
    with pytest.raises(ValidationError, match="already booked"):
        services.meeting_accept(
            membership=pair.exhibitor_member,
            meeting=second,
            starts_at=t + timedelta(minutes=45),
            attendee=attendee,
        )
    second.refresh_from_db()
    assert second.status == MeetingStatus.REQUESTED and not second.bookings.exists()
    # the colleague is free at that time
    services.meeting_accept(
        membership=pair.exhibitor_member,
        meeting=second,
        starts_at=t + timedelta(minutes=45),
        attendee=pair.exhibitor_colleague.user,
    )
    # back to back is fine
    third = request_meeting(other_buyer(), pair.exhibitor, t + timedelta(minutes=60))
    services.meeting_accept(
        membership=pair.exhibitor_member,
        meeting=third,
        starts_at=t + timedelta(minutes=60),
        attendee=attendee,
    )


@pytest.mark.django_db
def test_exhibitor_proposes_another_time_and_the_buyer_accepts_it(pair):
    meeting = request_meeting(pair.buyer_member, pair.exhibitor, quarter(3, 10))
    other = quarter(3, 16, 15)
    services.meeting_propose(
        membership=pair.exhibitor_member,
        meeting=meeting,
        starts_at=other,
        attendee=pair.exhibitor_member.user,
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PROPOSED and meeting.first_answered_at is not None
    services.meeting_accept_proposal(membership=pair.buyer_colleague, meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.starts_at, meeting.attendee) == (
        MeetingStatus.ACCEPTED,
        other,
        pair.exhibitor_member.user,
    )


@pytest.mark.django_db
def test_two_buyers_accepting_the_last_slot_of_one_member_one_wins_the_other_is_told(pair):
    slot = quarter(5, 11)
    rivals = [pair.buyer_member, other_buyer()]
    meetings = [request_meeting(m, pair.exhibitor, quarter(5, 9)) for m in rivals]
    for meeting in meetings:
        services.meeting_propose(
            membership=pair.exhibitor_member,
            meeting=meeting,
            starts_at=slot,
            attendee=pair.exhibitor_member.user,
        )
    services.meeting_accept_proposal(membership=rivals[0], meeting=meetings[0])
    with pytest.raises(ValidationError, match="already booked .* another meeting took this time first"):
        services.meeting_accept_proposal(membership=rivals[1], meeting=meetings[1])
    meetings[1].refresh_from_db()
    assert meetings[1].status == MeetingStatus.PROPOSED


@pytest.mark.django_db
def test_on_site_meetings_only_while_the_expo_is_open(pair):
    opens = quarter(20, 9)
    edition = edition_page(year=opens.year + 50, starts_at=opens, days=2)
    with pytest.raises(ValidationError, match="no booth at a coming expo"):
        request_meeting(pair.buyer_member, pair.exhibitor, quarter(21, 10), kind="booth")
    booth(exhibitor=pair.exhibitor, year=edition.year)
    with pytest.raises(ValidationError, match="outside the expo dates"):
        request_meeting(pair.buyer_member, pair.exhibitor, quarter(25, 10), kind="booth")
    assert not Meeting.objects.exists()
    meeting = request_meeting(pair.buyer_member, pair.exhibitor, quarter(21, 10), kind="booth")
    assert meeting.edition_year == edition.year
    # the exhibitor's counter-proposal must also fall inside the expo
    with pytest.raises(ValidationError, match="outside the expo dates"):
        services.meeting_propose(
            membership=pair.exhibitor_member,
            meeting=meeting,
            starts_at=quarter(2, 10),
            attendee=pair.exhibitor_member.user,
        )


@pytest.mark.django_db
def test_bad_times_are_refused_clearly(pair):
    with pytest.raises(ValidationError, match="already passed"):
        request_meeting(pair.buyer_member, pair.exhibitor, timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="quarter hour"):
        request_meeting(pair.buyer_member, pair.exhibitor, quarter(3, 10, 7))
    with pytest.raises(ValidationError, match="at most three"):
        request_meeting(pair.buyer_member, pair.exhibitor, *[quarter(3, h) for h in (9, 10, 11, 12)])
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_unanswered_requests_expire_after_72_hours_and_the_buyer_is_told(
    pair, django_capture_on_commit_callbacks
):
    meeting = request_meeting(pair.buyer_member, pair.exhibitor, quarter(6, 10))
    assert services.meetings_expire() == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meetings_expire(now=timezone.now() + timedelta(hours=73)) == 1
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.EXPIRED
    assert any(
        zh("Meeting request expired") in m.subject and pair.buyer_member.user.email in m.to
        for m in mail.outbox
    )


@pytest.mark.django_db
def test_one_reminder_24_hours_before(pair, django_capture_on_commit_callbacks):
    start = quarter(2, 10)
    meeting = request_meeting(pair.buyer_member, pair.exhibitor, start)
    services.meeting_accept(
        membership=pair.exhibitor_member,
        meeting=meeting,
        starts_at=start,
        attendee=pair.exhibitor_member.user,
    )
    assert services.meetings_remind() == 0  # two days ahead
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meetings_remind(now=start - timedelta(hours=20)) == 1
        assert services.meetings_remind(now=start - timedelta(hours=19)) == 0
    assert sum(zh("Meeting tomorrow") in m.subject for m in mail.outbox) == 2  # both companies


@pytest.mark.django_db
def test_met_or_no_show_only_after_the_time(pair):
    start = quarter(2, 10)
    meeting = request_meeting(pair.buyer_member, pair.exhibitor, start)
    services.meeting_accept(
        membership=pair.exhibitor_member,
        meeting=meeting,
        starts_at=start,
        attendee=pair.exhibitor_member.user,
    )
    with pytest.raises(ValidationError, match="once the meeting's time has come"):
        services.meeting_mark_outcome(membership=pair.buyer_member, meeting=meeting, outcome="met")
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    services.meeting_mark_outcome(membership=pair.buyer_member, meeting=meeting, outcome="met")
    services.meeting_mark_outcome(membership=pair.exhibitor_member, meeting=meeting, outcome="no_show")
    meeting.refresh_from_db()
    assert (meeting.buyer_outcome, meeting.exhibitor_outcome) == ("met", "no_show")


@pytest.mark.django_db
def test_cancelling_frees_the_attendee(pair):
    start = quarter(3, 10)
    meeting = request_meeting(pair.buyer_member, pair.exhibitor, start)
    services.meeting_accept(
        membership=pair.exhibitor_member,
        meeting=meeting,
        starts_at=start,
        attendee=pair.exhibitor_member.user,
    )
    services.meeting_cancel(membership=pair.buyer_member, meeting=meeting, reason="行程变更")
    assert not MeetingBooking.objects.exists()
    again = request_meeting(other_buyer(), pair.exhibitor, start)
    services.meeting_accept(
        membership=pair.exhibitor_member, meeting=again, starts_at=start, attendee=pair.exhibitor_member.user
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_bookings_of_one_members_slot_exactly_one_is_accepted():
    """Ten buyers accept the same proposed time of one exhibitor member at once, each in its
    own connection and transaction: the database lets exactly one booking through."""
    pair = make_pair()
    slot = quarter(7, 15)
    attendee = pair.exhibitor_member.user
    buyers = [pair.buyer_member] + [other_buyer() for _ in range(9)]
    meetings = []
    for member in buyers:
        meeting = request_meeting(member, pair.exhibitor, quarter(7, 9))
        services.meeting_propose(
            membership=pair.exhibitor_member, meeting=meeting, starts_at=slot, attendee=attendee
        )
        meetings.append(meeting)
    barrier = threading.Barrier(len(buyers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(member, meeting):
        from django.utils import translation

        translation.activate("en")  # each thread starts in the default language (Chinese)
        try:
            barrier.wait(timeout=30)
            services.meeting_accept_proposal(membership=member, meeting=meeting)
            result = "accepted"
        except ValidationError as error:
            result = "taken" if "already booked" in " ".join(error.messages) else f"error: {error.messages}"
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            result = f"error: {error!r}"
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=pair_) for pair_ in zip(buyers, meetings, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["accepted"] + ["taken"] * 9, outcomes
    assert Meeting.objects.filter(status=MeetingStatus.ACCEPTED).count() == 1
    assert MeetingBooking.objects.filter(attendee=attendee).count() == 2
