"""Product browsing and search on the database: paginated in SQL, never loaded whole."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from oscar.core.loading import get_model

from exhibitors.models import Certificate, CompanyStatus
from exhibitors.selectors import counting_certificates

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

SORTS = {
    "newest": ("-date_created", "-id"),
    "price": ("min_price", "id"),
    "-price": ("-min_price", "id"),
    "title": ("title", "id"),
}
MAX_QUERY_LENGTH = 200
STORAGES = ("ambient", "chilled", "frozen")


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() and number >= 0 else None


def _int(value: str) -> int | None:
    try:
        number = int(value)
    except (ValueError, TypeError):
        return None
    return number if number >= 0 else None


@dataclass(frozen=True)
class ProductFilters:
    """What a buyer narrows the catalogue by; unknown or malformed values are ignored."""

    q: str = ""
    certification: str = ""
    storage: str = ""
    province: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    max_moq: int | None = None
    sort: str = "newest"

    @classmethod
    def from_query(cls, query) -> ProductFilters:
        storage = query.get("storage", "")
        sort = query.get("sort", "newest")
        return cls(
            q=query.get("q", "").strip()[:MAX_QUERY_LENGTH],
            certification=query.get("certification", "").strip().upper()[:16],
            storage=storage if storage in STORAGES else "",
            province=query.get("province", "").strip()[:64],
            min_price=_decimal(query.get("min_price", "")),
            max_price=_decimal(query.get("max_price", "")),
            max_moq=_int(query.get("max_moq", "")),
            sort=sort if sort in SORTS else "newest",
        )

    def as_query(self) -> dict[str, str]:
        return {
            f.name: str(getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) not in ("", None)
        }


def _holds_valid(code: str):
    partners = StockRecord.objects.filter(product=OuterRef(OuterRef("pk"))).values("partner_id")
    return Exists(
        Certificate.objects.filter(counting_certificates(), exhibitor__partner_id__in=partners, code=code)
    )


def product_browse(*, filters: ProductFilters, category: Category | None = None) -> QuerySet:
    """Public products of verified exhibitors matching the filters, with card data prefetched.

    ``q`` matches each of its words in the Chinese or English title or description, so
    辣条 finds 卫龙大面筋辣条. A certificate counts only while the exhibitor holds it
    validly and the product is covered (an empty product list means all of them).
    """
    # Exists() subqueries rather than joins: no duplicate rows, so no DISTINCT over the
    # whole catalogue (which made counting 30,000 products slow).
    sold_by = StockRecord.objects.filter(product=OuterRef("pk"))
    qs = Product.objects.filter(
        Exists(sold_by.filter(partner__exhibitor__status=CompanyStatus.VERIFIED)),
        is_public=True,
        structure__in=["standalone", "parent"],
    )
    if category is not None:
        qs = qs.filter(
            Exists(
                ProductCategory.objects.filter(
                    product=OuterRef("pk"), category__path__startswith=category.path
                )
            )
        )
    for word in filters.q.split():
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(title_en__icontains=word)
            | Q(description__icontains=word)
            | Q(description_en__icontains=word)
        )
    if filters.storage:
        qs = qs.filter(storage=filters.storage)
    if filters.province:
        qs = qs.filter(Exists(sold_by.filter(partner__exhibitor__province=filters.province)))
    if filters.min_price is not None:
        qs = qs.filter(Exists(sold_by.filter(price__gte=filters.min_price)))
    if filters.max_price is not None:
        qs = qs.filter(Exists(sold_by.filter(price__lte=filters.max_price)))
    if filters.max_moq is not None:
        qs = qs.filter(moq__lte=filters.max_moq)
    if filters.certification:
        qs = qs.filter(_holds_valid(filters.certification)).filter(
            Q(certifications=[]) | Q(certifications__icontains=f'"{filters.certification}"')
        )
    if filters.sort in ("price", "-price"):
        qs = qs.annotate(
            min_price=Subquery(sold_by.order_by("price").values("price")[:1]),
        )
    return qs.order_by(*SORTS[filters.sort]).prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order")),
        "stockrecords__partner__exhibitor",
    )


def category_tree() -> list[Category]:
    return list(Category.objects.filter(is_public=True).order_by("path"))


def province_choices() -> list[str]:
    from exhibitors.models import Exhibitor

    return list(
        Exhibitor.objects.filter(status=CompanyStatus.VERIFIED)
        .exclude(province="")
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )
