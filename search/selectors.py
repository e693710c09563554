"""Product browsing and search on the database: paginated in SQL, never loaded whole."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")

SORTS = {
    "newest": ("-date_created", "-id"),
    "title": ("title", "id"),
}
MAX_QUERY_LENGTH = 200


def product_browse(*, q: str = "", category: Category | None = None, sort: str = "newest") -> QuerySet:
    """Public products, optionally in a category (and its descendants) and matching ``q``.

    ``q`` matches each of its words in the Chinese or English title or description, so
    辣条 finds 卫龙大面筋辣条. The ordering is stable, so pages never repeat a product.
    """
    qs = Product.objects.filter(is_public=True, structure__in=["standalone", "parent"])
    if category is not None:
        qs = qs.filter(categories__path__startswith=category.path).distinct()
    for word in q[:MAX_QUERY_LENGTH].split():
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(title_en__icontains=word)
            | Q(description__icontains=word)
            | Q(description_en__icontains=word)
        )
    return qs.order_by(*SORTS.get(sort, SORTS["newest"])).prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order")),
        "stockrecords__partner__exhibitor",
    )


def category_tree() -> list[Category]:
    return list(Category.objects.filter(is_public=True).order_by("path"))
