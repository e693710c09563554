"""Reads of the catalogue scoped to the acting exhibitor."""

from django.db.models import QuerySet
from django.http import Http404
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
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


def category_children(category_id: int | None) -> list[int]:
    """Ids of the public sub-categories one level below ``category_id`` (the top level for
    ``None``): the category facet of both search backends counts these."""
    if category_id is None:
        return list(Category.objects.filter(depth=1, is_public=True).values_list("id", flat=True))
    parent = Category.objects.filter(pk=category_id).values_list("path", "depth").first()
    if parent is None:
        return []
    return list(
        Category.objects.filter(path__startswith=parent[0], depth=parent[1] + 1, is_public=True).values_list(
            "id", flat=True
        )
    )
