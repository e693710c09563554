"""Reads of the catalogue scoped to the acting exhibitor."""

from django.db.models import QuerySet
from django.http import Http404
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


def exhibitor_product_list(*, membership) -> QuerySet:
    """The current company's products only (an exhibitor's products are its partner's)."""
    if membership.exhibitor_id is None:
        raise Http404("Only exhibitors sell products.")
    return (
        Product.objects.filter(stockrecords__partner_id=membership.exhibitor.partner_id)
        .prefetch_related("stockrecords", "categories", "price_tiers")
        .order_by("-date_updated", "-id")
        .distinct()
    )


def exhibitor_product_get(*, membership, pk: int):
    try:
        return exhibitor_product_list(membership=membership).get(pk=pk)
    except Product.DoesNotExist:
        raise Http404 from None
