"""Reads of buyer companies."""

from django.http import Http404

from exhibitors.models import CompanyStatus

from .models import Buyer


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
