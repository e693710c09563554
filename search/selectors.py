"""Reads of search: product and company search through the active backend, and the plain
catalogue query (``product_browse``) that pages fall back to when the engine is down."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.claims import claim_q
from exhibitors.codes import CERTIFICATION_CODES
from exhibitors.models import Certificate, CompanyStatus
from exhibitors.selectors import counting_certificates

from . import text
from .backends import CompanyQuery, ProductQuery, SearchResults, SearchUnavailable, get_backend

logger = logging.getLogger(__name__)

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

SORTS = {
    "relevance": ("-date_created", "-id"),  # the plain catalogue query has no relevance: newest
    "newest": ("-date_created", "-id"),
    "price": ("min_price", "id"),
    "-price": ("-min_price", "id"),
    "title": ("title", "id"),
}
COMPANY_SORT_KEYS = ("relevance", "name", "newest")
MAX_QUERY_LENGTH = text.MAX_QUERY_LENGTH
STORAGES = ("ambient", "chilled", "frozen")
PER_PAGE = 24
MAX_PAGE = 10_000
# A search with fewer hits than this shows, under its hits, more products of the top hit's
# category ("More in Instant noodles"): what a buyer would browse next.
MORE_BELOW = 10
MORE_LIMIT = 8


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() and 0 <= number < 10**12 else None


def _int(value: str) -> int | None:
    try:
        number = int(value)
    except (ValueError, TypeError):
        return None
    return number if 0 <= number < 2**31 else None


def page_number(value) -> int:
    number = _int(str(value or "1").strip())
    return min(max(number or 1, 1), MAX_PAGE)


def category_by_slug(slug: str):
    if not slug:
        return None
    return Category.objects.filter(slug=slug[:255], is_public=True).first()


MAX_LITERAL_WORDS = 10


def literal_words(raw: str) -> tuple[str, ...]:
    """The words of a ``literal`` parameter (``frozen,ketchup``): cleaned, at most ten."""
    words = (text.clean_query(word)[:64] for word in (raw or "").split(","))
    return tuple(dict.fromkeys(word for word in words if word))[:MAX_LITERAL_WORDS]


@dataclass(frozen=True)
class ProductFilters:
    """What a buyer searches and narrows the catalogue by, read from a query string.

    Unknown or malformed values are dropped and described in ``notices`` (shown on the
    page), so odd input never fails.
    """

    q: str = ""
    category: str = ""
    certification: str = ""
    storage: str = ""
    province: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    max_moq: int | None = None
    sort: str = ""
    # words of ``q`` the reader wants taken as typed (a removed chip), comma-separated in the URL
    literal: tuple[str, ...] = ()
    notices: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_query(cls, query) -> ProductFilters:
        notices = []
        raw_q = query.get("q", "")
        q = text.clean_query(raw_q)
        if len(" ".join(raw_q.split())) > MAX_QUERY_LENGTH:
            notices.append(
                _("Your search was shortened to its first %(count)s characters.")
                % {"count": MAX_QUERY_LENGTH}
            )
        if q and not text.query_terms(q):
            notices.append(_("Your search has no letters or characters to look for; showing everything."))
            q = ""
        certification = query.get("certification", "").strip().upper()[:32]
        if certification and certification not in CERTIFICATION_CODES:
            notices.append(_("Unknown certificate “%(value)s”: ignored.") % {"value": certification})
            certification = ""
        storage = query.get("storage", "").strip().lower()
        if storage and storage not in STORAGES:
            notices.append(_("Unknown storage “%(value)s”: ignored.") % {"value": storage[:32]})
            storage = ""
        values = {}
        for name, parse in (("min_price", _decimal), ("max_price", _decimal), ("max_moq", _int)):
            raw = query.get(name, "").strip()
            values[name] = parse(raw) if raw else None
            if raw and values[name] is None:
                notices.append(_("“%(value)s” is not a valid number: ignored.") % {"value": raw[:32]})
        sort = query.get("sort", "")
        if sort not in SORTS:
            sort = ""
        return cls(
            q=q,
            literal=literal_words(query.get("literal", "")),
            category=query.get("category", "").strip()[:255],
            certification=certification,
            storage=storage,
            province=query.get("province", "").strip()[:64],
            sort=sort,
            notices=tuple(notices),
            **values,
        )

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q else "newest")

    def as_query(self) -> dict[str, str]:
        values = {
            f.name: str(getattr(self, f.name))
            for f in fields(self)
            if f.name not in ("notices", "literal") and getattr(self, f.name) not in ("", None)
        }
        if self.literal:
            values["literal"] = ",".join(self.literal)
        return values

    def to_query(self, *, category_id: int | None, page: int = 1, per_page: int = PER_PAGE) -> ProductQuery:
        sort = self.effective_sort
        return ProductQuery(
            q=self.q,
            category=category_id,
            certification=self.certification,
            storage=self.storage,
            province=self.province,
            min_price=self.min_price,
            max_price=self.max_price,
            max_moq=self.max_moq,
            sort=sort if sort in ("relevance", "newest", "price", "-price", "title") else "newest",
            page=page,
            per_page=per_page,
            literal=self.literal,
        )


def _holds_valid(code: str):
    partners = StockRecord.objects.filter(product=OuterRef(OuterRef("pk"))).values("partner_id")
    return Exists(
        Certificate.objects.filter(counting_certificates(), exhibitor__partner_id__in=partners, code=code)
    )


def _card_prefetch(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order")),
        "stockrecords__partner__exhibitor",
    )


def product_browse(*, filters: ProductFilters, category: Category | None = None) -> QuerySet:
    """Public products of verified exhibitors matching the filters, straight from the catalogue
    tables: what pages show when the search engine is down.

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
    for word in text.query_terms(filters.q):
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
            claim_q(filters.certification, day=timezone.localdate())
        )
    if filters.effective_sort in ("price", "-price"):
        qs = qs.annotate(
            min_price=Subquery(sold_by.order_by("price").values("price")[:1]),
        )
    return _card_prefetch(qs.order_by(*SORTS[filters.effective_sort]))


def products_in_order(ids: list[int], *, details: bool = False) -> list:
    """The products of ``ids`` with their card data, in the order given (missing ones skipped);
    ``details`` also loads categories and the exhibitors' certificates (the API shows them)."""
    if not ids:
        return []
    qs = _card_prefetch(Product.objects.filter(pk__in=ids))
    if details:
        qs = qs.prefetch_related("categories", "stockrecords__partner__exhibitor__certificates")
    found = {p.pk: p for p in qs}
    return [found[pk] for pk in ids if pk in found]


@dataclass
class SearchPage:
    """One page of a search as pages and the API show it."""

    results: SearchResults | None
    objects: list
    total: int
    page: int
    per_page: int
    unavailable: bool = False
    more: list = field(default_factory=list)  # products of the top hit's category, not hits
    more_category: Category | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def facets(self) -> dict:
        return self.results.facets if self.results else {}

    @property
    def highlights(self) -> dict:
        return self.results.highlights if self.results else {}


def product_search(
    *, query: ProductQuery, clamp: bool = True, details: bool = False, more: bool = True
) -> SearchPage:
    """Search products through the active backend; raises SearchUnavailable when it is down.

    ``clamp``: a page past the end answers the last page instead (pages do; the API says 404).
    ``more``: a worded search with few hits also lists products of the top hit's category.
    """
    backend = get_backend()
    results = backend.search_products(query)
    if clamp and results.total and not results.ids and query.page > results.pages:
        query = replace(query, page=results.pages)
        results = backend.search_products(query)
    found = SearchPage(
        results=results,
        objects=products_in_order(results.ids, details=details),
        total=results.total,
        page=query.page,
        per_page=query.per_page,
    )
    if more:
        found.more_category, more_ids = category_neighbours(backend, query, results)
        found.more = products_in_order(more_ids, details=details)
    return found


def category_neighbours(
    backend, query: ProductQuery, results: SearchResults
) -> tuple[Category | None, list[int]]:
    """The top hit's category and its other products, under the query's filters, for a
    worded first page with fewer than ``MORE_BELOW`` hits; else ``(None, [])``.

    The top hit is the first of the first three hits that has a category (its first by id)."""
    hits = results.ids
    if not hits or query.page != 1 or results.total >= MORE_BELOW or not text.query_terms(query.q):
        return None, []
    ProductCategory = get_model("catalogue", "ProductCategory")
    order = {pk: position for position, pk in enumerate(hits)}
    link = min(
        ProductCategory.objects.filter(product_id__in=hits[:3]).select_related("category"),
        key=lambda link: (order[link.product_id], link.category_id),
        default=None,
    )
    if link is None:
        return None, []
    around = replace(
        query,
        q="",
        literal=(),
        category=link.category_id,
        sort="title",
        page=1,
        per_page=MORE_LIMIT + len(hits),
        facets=False,
        highlight=False,
    )
    shown = set(hits)
    neighbours = [pk for pk in backend.search_products(around).ids if pk not in shown][:MORE_LIMIT]
    return link.category, neighbours


def product_browse_page(*, filters: ProductFilters, category=None, page: int, per_page: int = PER_PAGE):
    """The fallback page when the engine is down: the catalogue query, no facets."""
    from django.core.paginator import Paginator

    paginator = Paginator(product_browse(filters=filters, category=category), per_page)
    current = paginator.get_page(page)
    return SearchPage(
        results=None,
        objects=list(current.object_list),
        total=paginator.count,
        page=current.number,
        per_page=per_page,
        unavailable=True,
    )


def company_search(*, query: CompanyQuery, clamp: bool = True) -> SearchPage:
    """Search the exhibitor directory (or buyers) through the active backend."""
    from buyers.models import Buyer
    from exhibitors.models import Exhibitor

    backend = get_backend()
    results = backend.search_companies(query)
    if clamp and results.total and not results.ids and query.page > results.pages:
        query = replace(query, page=results.pages)
        results = backend.search_companies(query)
    model = Exhibitor if query.kind == "exhibitor" else Buyer
    qs = model.objects.filter(pk__in=results.ids).prefetch_related(
        "categories" if model is Exhibitor else "interests"
    )
    if model is Exhibitor:
        qs = qs.prefetch_related("certificates", "participations")
    found = {company.pk: company for company in qs}
    return SearchPage(
        results=results,
        objects=[found[pk] for pk in results.ids if pk in found],
        total=results.total,
        page=query.page,
        per_page=query.per_page,
    )


def suggestions_for(query: str) -> dict:
    """What to offer when a search finds nothing: other spellings that do find something,
    related categories, and the words of a longer query one by one."""
    from .suggestions import related_categories

    backend = get_backend()
    terms = text.query_terms(query)
    spellings = []
    try:
        for option in backend.suggest(query, limit=5):
            if (
                option != " ".join(terms)
                and backend.search_products(
                    ProductQuery(q=option, per_page=1, facets=False, highlight=False)
                ).total
            ):
                spellings.append(option)
            if len(spellings) >= 3:
                break
    except SearchUnavailable:
        pass
    return {
        "spellings": spellings,
        "categories": related_categories(query),
        "words": terms if len(terms) > 1 else [],
    }


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


def edition_choices() -> list[int]:
    from exhibitors.models import Participation

    return list(
        Participation.objects.filter(withdrawn=False, exhibitor__status=CompanyStatus.VERIFIED)
        .order_by("-edition")
        .values_list("edition", flat=True)
        .distinct()
    )
