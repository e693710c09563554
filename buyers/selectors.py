"""Reads of buyer companies and their sourcing requests.

A buyer's own sourcing requests are read through the acting membership (see
``exhibitors.selectors``): another company's requests are a 404, never a filter by hand.
"""

from django.db.models import QuerySet
from django.http import Http404

from exhibitors.models import CompanyStatus, Membership

from .models import Buyer, MatchDigest, SourcingRequest


def public_buyer_get(*, key: str) -> Buyer:
    """A buyer's public profile; rejected companies are not shown."""
    try:
        return (
            Buyer.objects.exclude(status=CompanyStatus.REJECTED)
            .prefetch_related("interests", "photos")
            .get(key=key)
        )
    except Buyer.DoesNotExist:
        raise Http404 from None


def buyer_of(membership: Membership) -> Buyer:
    if membership.buyer_id is None:
        raise Http404("Only buyers post sourcing requests.")
    return membership.buyer


def sourcing_request_list(*, membership: Membership) -> QuerySet[SourcingRequest]:
    """The current buyer's requests, open ones first, newest first."""
    return (
        SourcingRequest.objects.filter(buyer=buyer_of(membership))
        .select_related("buyer", "category")
        .order_by("-status", "-created_at", "-id")
    )


def sourcing_request_get(*, membership: Membership, pk: int) -> SourcingRequest:
    try:
        return sourcing_request_list(membership=membership).get(pk=pk)
    except SourcingRequest.DoesNotExist:
        raise Http404 from None


def match_digest_enabled(*, membership: Membership) -> bool:
    """Whether this member gets the weekly e-mail of new matches (on unless switched off)."""
    setting = MatchDigest.objects.filter(membership=membership).first()
    return setting is None or setting.enabled
