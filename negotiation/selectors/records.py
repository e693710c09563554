"""Reads of negotiation records, scoped to the acting company: a third company reaches nothing (404)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from exhibitors.models import CompanyStatus, Membership

from ..models import (
    Attachment,
    CompanyBlock,
    Inquiry,
    InquiryStatus,
    Meeting,
    MeetingStatus,
    Message,
    Quote,
    QuoteStatus,
    SampleRequest,
    SampleStatus,
    Side,
    Thread,
)

# --- scoping --------------------------------------------------------------------------------


def side_of(membership: Membership) -> str:
    return Side.EXHIBITOR if membership.exhibitor_id else Side.BUYER


def _mine(membership: Membership, prefix: str = "") -> Q:
    if membership.exhibitor_id:
        return Q(**{f"{prefix}exhibitor_id": membership.exhibitor_id})
    return Q(**{f"{prefix}buyer_id": membership.buyer_id})


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def thread_list(*, membership: Membership) -> QuerySet[Thread]:
    return Thread.objects.filter(_mine(membership)).select_related("buyer", "exhibitor")


def thread_get(*, membership: Membership, pk: int) -> Thread:
    return _get(thread_list(membership=membership), pk)


def _unread_q(side: str) -> Q:
    seen = f"{side}_seen_at"
    return (
        Q(last_message_at__isnull=False)
        & ~Q(last_message_side=side)
        & (Q(**{f"{seen}__isnull": True}) | Q(last_message_at__gt=F(seen)))
    )


def unread_thread_count(*, membership: Membership) -> int:
    """Threads whose latest message came from the other company and was not opened since."""
    return Thread.objects.filter(_mine(membership)).filter(_unread_q(side_of(membership))).count()


def unread_thread_ids(*, membership: Membership, threads) -> set[int]:
    side = side_of(membership)
    return set(
        Thread.objects.filter(pk__in=[t.pk for t in threads])
        .filter(_unread_q(side))
        .values_list("pk", flat=True)
    )


def message_list(*, thread: Thread) -> list[Message]:
    return list(thread.messages.select_related("author").prefetch_related("attachments"))


def attachment_get(*, membership: Membership, pk: int) -> Attachment:
    return _get(Attachment.objects.filter(_mine(membership, "message__thread__")), pk)


def inquiry_list(*, membership: Membership) -> QuerySet[Inquiry]:
    return (
        Inquiry.objects.filter(_mine(membership))
        .select_related("buyer", "exhibitor", "thread")
        .prefetch_related("products")
    )


def inquiry_get(*, membership: Membership, pk: int) -> Inquiry:
    return _get(inquiry_list(membership=membership), pk)


def sample_list(*, membership: Membership) -> QuerySet[SampleRequest]:
    return SampleRequest.objects.filter(_mine(membership)).select_related("buyer", "exhibitor", "product")


def sample_get(*, membership: Membership, pk: int) -> SampleRequest:
    return _get(sample_list(membership=membership), pk)


def quote_list(*, membership: Membership) -> QuerySet[Quote]:
    """An exhibitor's own quotes, or the quotes on a buyer's requests."""
    scope = _mine(membership) if membership.exhibitor_id else Q(request__buyer_id=membership.buyer_id)
    return Quote.objects.filter(scope).select_related(
        "request", "request__buyer", "exhibitor", "product", "thread"
    )


def quote_get(*, membership: Membership, pk: int) -> Quote:
    return _get(quote_list(membership=membership), pk)


def quote_for_thread(*, membership: Membership, thread: Thread) -> Quote | None:
    return quote_list(membership=membership).filter(thread=thread).first()


def buyer_request_list(*, membership: Membership) -> QuerySet:
    """The buyer's own sourcing requests with their quote counts."""
    from buyers.models import SourcingRequest

    if not membership.buyer_id:
        raise Http404("Only buyers have sourcing requests.")
    return SourcingRequest.objects.filter(buyer_id=membership.buyer_id).annotate(quote_count=Count("quotes"))


def buyer_request_get(*, membership: Membership, pk: int):
    return _get(buyer_request_list(membership=membership), pk)


def quotable_request_get(*, membership: Membership, pk):
    """A sourcing request an exhibitor may quote on: any open request of a visible buyer."""
    from buyers.models import RequestStatus, SourcingRequest

    if not membership.exhibitor_id:
        raise Http404("Only exhibitors quote.")
    request = _get(
        SourcingRequest.objects.select_related("buyer").exclude(buyer__status=CompanyStatus.REJECTED), pk
    )
    if (
        request.status != RequestStatus.OPEN
        and not Quote.objects.filter(request=request, exhibitor_id=membership.exhibitor_id).exists()
    ):
        raise Http404("This request is closed.")
    return request


def meeting_list(*, membership: Membership) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(_mine(membership))
        .select_related("buyer", "exhibitor", "attendee")
        .prefetch_related("proposals")
    )


def meeting_get(*, membership: Membership, pk: int) -> Meeting:
    return _get(meeting_list(membership=membership), pk)


def member_choices(*, membership: Membership) -> list[Membership]:
    """The exhibitor's members who can attend a meeting."""
    if not membership.exhibitor_id:
        return []
    return list(Membership.objects.filter(exhibitor_id=membership.exhibitor_id).select_related("user"))


def attendee_busy(
    *, attendee_id: int, starts_at: datetime, ends_at: datetime, exclude_meeting: int | None = None
):
    """The accepted meeting that holds the attendee during the time, if any."""
    qs = Meeting.objects.filter(
        attendee_id=attendee_id, status=MeetingStatus.ACCEPTED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_meeting:
        qs = qs.exclude(pk=exclude_meeting)
    return qs.first()


def block_list(*, membership: Membership) -> QuerySet[CompanyBlock]:
    return CompanyBlock.objects.filter(_mine(membership), blocked_by=side_of(membership)).select_related(
        "buyer", "exhibitor"
    )


def blocked_between(*, buyer_id: int, exhibitor_id: int) -> CompanyBlock | None:
    return CompanyBlock.objects.filter(buyer_id=buyer_id, exhibitor_id=exhibitor_id).first()


def action_counts(*, membership: Membership) -> dict[str, int]:
    """What waits for the company's answer, for the overview."""
    if membership.exhibitor_id:
        return {
            "inquiries": Inquiry.objects.filter(
                exhibitor_id=membership.exhibitor_id, status=InquiryStatus.OPEN
            ).count(),
            "samples": SampleRequest.objects.filter(
                exhibitor_id=membership.exhibitor_id, status=SampleStatus.REQUESTED
            ).count(),
            "meetings": Meeting.objects.filter(
                exhibitor_id=membership.exhibitor_id, status=MeetingStatus.REQUESTED
            ).count(),
        }
    return {
        "quotes": Quote.objects.filter(
            request__buyer_id=membership.buyer_id, status=QuoteStatus.OPEN
        ).count(),
        "meetings": Meeting.objects.filter(
            buyer_id=membership.buyer_id, status=MeetingStatus.PROPOSED
        ).count(),
        "samples": SampleRequest.objects.filter(
            buyer_id=membership.buyer_id, status__in=[SampleStatus.ACCEPTED, SampleStatus.SHIPPED]
        ).count(),
    }


def exhibitor_editions(*, exhibitor) -> list:
    """The live expo editions, still to come or running, at which the exhibitor has a booth."""
    from expo.models import ExpoEditionPage

    years = exhibitor.participations.filter(withdrawn=False).values_list("edition", flat=True)
    editions, seen = [], set()
    for edition in (
        ExpoEditionPage.objects.live()
        .filter(year__in=years, ends_at__gte=timezone.now())
        .order_by("starts_at")
    ):
        if edition.year not in seen:
            seen.add(edition.year)
            editions.append(edition)
    return editions
