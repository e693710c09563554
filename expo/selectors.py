"""Reads for the expo's pages; each runs a fixed number of queries."""

from django.db.models import Prefetch, QuerySet
from oscar.core.loading import get_model

from buyers.models import Buyer
from exhibitors.models import CompanyStatus, Exhibitor

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")


def home_page_figures() -> dict[str, int]:
    """Key figures computed from the resource database, never typed in."""
    return {
        "exhibitors": Exhibitor.objects.filter(status=CompanyStatus.VERIFIED).count(),
        "buyers": Buyer.objects.filter(status=CompanyStatus.VERIFIED).count(),
        "products": Product.objects.filter(is_public=True).count(),
    }


def top_categories() -> QuerySet:
    return Category.objects.filter(depth=1, is_public=True).order_by("path")


def home_page_products(*, limit: int) -> list:
    """The newest public products with their first image and exhibitor, in three queries."""
    return list(
        Product.objects.filter(is_public=True, structure__in=["standalone", "parent"])
        .order_by("-date_created", "-id")
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order")),
            "stockrecords__partner__exhibitor",
        )[:limit]
    )
