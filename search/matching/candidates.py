"""Candidates of a match, filtered in SQL: the hard rules and the categories (or the keyword
hits of the search backend) decide who may be scored at all; each set is bounded.

Hard rules, never broken whatever the score:
- a counterpart lacking a certificate the subject requires, valid on ``as_of``, is left out
  (the company holds it; a product is covered by it: its list names it or is empty);
- a request that names a storage is filled only by products of exactly that storage, and by
  exhibitors with at least one such product in the request's category;
- closed requests and unverified companies are never candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import BooleanField, Exists, ExpressionWrapper, Min, OuterRef, Q
from oscar.core.loading import get_model

from buyers.models import Buyer, RequestStatus, SourcingRequest
from exhibitors.codes import CERTIFICATION_CODES
from exhibitors.models import Certificate, CompanyStatus, Exhibitor, Participation
from exhibitors.selectors import counting_certificates

from .categories import CategoryTree, Closeness
from .markets import places
from .subjects import Subject, codes

ProductCategory = get_model("catalogue", "ProductCategory")
ProductPriceTier = get_model("catalogue", "ProductPriceTier")
StockRecord = get_model("partner", "StockRecord")

# How many candidates of each kind are scored in Python; the SQL order puts the likeliest
# first (exact category, then the category's descendants, then keyword hits).
CANDIDATE_LIMIT = 1500
LISTED = ("standalone", "parent")


@dataclass
class Candidate:
    """A counterpart being scored. ``company_id`` is the exhibitor (products, exhibitors) or
    the buyer (buyers, requests) whose responsiveness counts."""

    kind: str
    id: int
    key: str
    company_id: int
    categories: set[int]
    where: tuple[str, ...] = ()  # a supplier: where it is and its goods come from
    markets: tuple[str, ...] = ()  # a buyer or request: where it sells or delivers
    country: str = ""
    required: tuple[str, ...] = ()  # a buyer or request: codes it requires
    storage: str = ""
    moq: int | None = None
    price: Decimal | None = None
    currency: str = ""
    quantity: Decimal | None = None
    target_price: Decimal | None = None
    exhibiting: int | None = None  # the year of the current edition it exhibits at
    partner_id: int | None = None
    answer_rate: float | None = None
    answer_hours: float | None = None
    signals: dict[str, float] = field(default_factory=dict)
    fit: Closeness | None = None
    market: str | None = None
    score: float = 0.0


def _holds(code: str, *, day: date, partner: str | None = None) -> Exists:
    """The outer exhibitor (or the exhibitor of the outer partner) holds ``code`` validly."""
    certificates = Certificate.objects.filter(counting_certificates(day=day), code=code)
    if partner:
        return Exists(certificates.filter(exhibitor__partner_id=OuterRef(partner)))
    return Exists(certificates.filter(exhibitor_id=OuterRef("pk")))


def _covered(code: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}certifications": []}) | Q(**{f"{prefix}certifications__icontains": f'"{code}"'})


def _listed_records():
    return StockRecord.objects.filter(
        partner__exhibitor__status=CompanyStatus.VERIFIED,
        product__is_public=True,
        product__structure__in=LISTED,
    )


def product_candidates(
    subject: Subject,
    *,
    fit: set[int],
    keyword_ids: set[int],
    as_of: date,
    since: datetime | None,
) -> list[Candidate]:
    """Products for a buyer or a request: in a wanted category (or a keyword hit), of a
    verified exhibitor, certified and stored as required."""
    if not fit and not keyword_ids:
        return []
    records = _listed_records()
    for code in subject.required:
        records = records.filter(_holds(code, day=as_of, partner="partner_id")).filter(
            _covered(code, "product__")
        )
    if subject.storage:
        records = records.filter(product__storage=subject.storage)
    if since is not None:
        records = records.filter(product__date_created__gte=since)
    in_fit = Exists(ProductCategory.objects.filter(product_id=OuterRef("product_id"), category_id__in=fit))
    exact = Exists(
        ProductCategory.objects.filter(product_id=OuterRef("product_id"), category_id__in=subject.wanted)
    )
    rows = list(
        records.filter(in_fit | Q(product_id__in=keyword_ids))
        .annotate(exact=exact, fits=in_fit)
        .order_by("-exact", "-fits", "-product_id")
        .values_list(
            "product_id",
            "partner_sku",
            "price",
            "price_currency",
            "partner_id",
            "partner__exhibitor__id",
            "partner__exhibitor__key",
            "product__storage",
            "product__moq",
            "product__origin",
        )[:CANDIDATE_LIMIT]
    )
    categories: dict[int, set[int]] = {}
    for product_id, category_id in ProductCategory.objects.filter(
        product_id__in=[row[0] for row in rows]
    ).values_list("product_id", "category_id"):
        categories.setdefault(product_id, set()).add(category_id)
    candidates, seen = [], set()
    for product_id, sku, price, currency, partner_id, exhibitor_id, key, storage, moq, origin in rows:
        if product_id in seen:
            continue  # sold by two partners: the first stock record stands for it
        seen.add(product_id)
        candidates.append(
            Candidate(
                kind="product",
                id=product_id,
                key=f"{key}/{sku}",
                company_id=exhibitor_id,
                partner_id=partner_id,
                categories=categories.get(product_id, set()),
                where=(origin,) if origin else (),
                storage=storage or "",
                moq=moq,
                price=price,
                currency=currency or "",
            )
        )
    if subject.quantity is not None:
        _tier_prices(candidates, quantity=subject.quantity)
    return candidates


def _tier_prices(candidates: list[Candidate], *, quantity: Decimal) -> None:
    """The unit price at the requested quantity: the best wholesale tier that applies."""
    best = dict(
        ProductPriceTier.objects.filter(product_id__in=[c.id for c in candidates], min_quantity__lte=quantity)
        .values("product_id")
        .annotate(best=Min("unit_price"))
        .values_list("product_id", "best")
    )
    for candidate in candidates:
        tier = best.get(candidate.id)
        if tier is not None and (candidate.price is None or tier < candidate.price):
            candidate.price = tier


def exhibitor_candidates(
    subject: Subject,
    *,
    fit: set[int],
    keyword_ids: set[int],
    as_of: date,
    since: datetime | None,
) -> list[Candidate]:
    """Verified exhibitors for a buyer or a request: declaring or selling a wanted category
    (or a keyword hit), holding every required certificate; for a request naming a storage,
    with at least one product of that storage in the request's category."""
    if not fit and not keyword_ids:
        return []
    qs = Exhibitor.objects.filter(status=CompanyStatus.VERIFIED).exclude(key=_own_key(subject))
    for code in subject.required:
        qs = qs.filter(_holds(code, day=as_of))
    sells = StockRecord.objects.filter(
        partner_id=OuterRef("partner_id"), product__is_public=True, product__structure__in=LISTED
    )
    declared = Exhibitor.categories.through.objects.filter(exhibitor_id=OuterRef("pk"))
    in_fit = Exists(declared.filter(category_id__in=fit)) | Exists(sells.filter(product__categories__in=fit))
    qs = qs.filter(in_fit | Q(pk__in=keyword_ids))
    if subject.storage:
        fitting = sells.filter(product__storage=subject.storage)
        if subject.wanted:
            fitting = fitting.filter(product__categories__in=fit)
        for code in subject.required:
            fitting = fitting.filter(_covered(code, "product__"))
        qs = qs.filter(Exists(fitting))
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    exact = Exists(declared.filter(category_id__in=subject.wanted)) | Exists(
        sells.filter(product__categories__in=subject.wanted)
    )
    rows = list(
        qs.annotate(exact=exact)
        .order_by("-exact", "-pk")
        .values_list("id", "key", "partner_id", "province", "city", "country")[:CANDIDATE_LIMIT]
    )
    ids = [row[0] for row in rows]
    categories: dict[int, set[int]] = {}
    for exhibitor_id, category_id in Exhibitor.categories.through.objects.filter(
        exhibitor_id__in=ids, category_id__in=fit
    ).values_list("exhibitor_id", "category_id"):
        categories.setdefault(exhibitor_id, set()).add(category_id)
    by_partner = {row[2]: row[0] for row in rows}
    for partner_id, category_id in (
        ProductCategory.objects.filter(
            category_id__in=fit,
            product__is_public=True,
            product__stockrecords__partner_id__in=list(by_partner),
        )
        .values_list("product__stockrecords__partner_id", "category_id")
        .distinct()
    ):
        categories.setdefault(by_partner[partner_id], set()).add(category_id)
    return [
        Candidate(
            kind="exhibitor",
            id=exhibitor_id,
            key=key,
            company_id=exhibitor_id,
            partner_id=partner_id,
            categories=categories.get(exhibitor_id, set()),
            where=places(province=province, city=city, country=country),
            country=country,
        )
        for exhibitor_id, key, partner_id, province, city, country in rows
    ]


def supplier_details(candidates: list[Candidate], *, edition: int | None) -> None:
    """Where each supplier is and whether it exhibits at the current edition, in two queries
    for all of them (products take their exhibitor's)."""
    ids = {c.company_id for c in candidates}
    rows = {
        row[0]: row[1:]
        for row in Exhibitor.objects.filter(id__in=ids).values_list("id", "province", "city", "country")
    }
    exhibiting = (
        set(
            Participation.objects.filter(exhibitor_id__in=ids, edition=edition, withdrawn=False).values_list(
                "exhibitor_id", flat=True
            )
        )
        if edition
        else set()
    )
    for candidate in candidates:
        province, city, country = rows[candidate.company_id]
        if candidate.kind == "product":
            candidate.where = places(province=province, city=city, country=country, origins=candidate.where)
        candidate.country = country
        candidate.exhibiting = edition if candidate.company_id in exhibiting else None


def _own_key(subject: Subject) -> str:
    """A company that both sells and buys has the same key on both sides: never its own match."""
    return subject.company.key


def _not_held(subject: Subject) -> list[str]:
    return sorted(CERTIFICATION_CODES - subject.held)


def buyer_candidates(
    subject: Subject,
    *,
    tree: CategoryTree,
    keyword_ids: set[int],
    since: datetime | None,
) -> list[Candidate]:
    """Verified buyers for an exhibitor: interested in what it sells (an interest in a parent
    category counts) or a keyword hit, and requiring no certificate it lacks."""
    fit = tree.lineage_ids(subject.have)
    if not fit and not keyword_ids:
        return []
    qs = Buyer.objects.filter(status=CompanyStatus.VERIFIED).exclude(key=_own_key(subject))
    for code in _not_held(subject):
        qs = qs.exclude(required_certifications__icontains=f'"{code}"')
    interests = Buyer.interests.through.objects.filter(buyer_id=OuterRef("pk"))
    qs = qs.filter(Exists(interests.filter(category_id__in=fit)) | Q(pk__in=keyword_ids))
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    rows = list(
        qs.annotate(exact=Exists(interests.filter(category_id__in=subject.have)))
        .order_by("-exact", "-pk")
        .values_list("id", "key", "country", "target_markets", "required_certifications")[:CANDIDATE_LIMIT]
    )
    categories: dict[int, set[int]] = {}
    for buyer_id, category_id in Buyer.interests.through.objects.filter(
        buyer_id__in=[row[0] for row in rows], category_id__in=fit
    ).values_list("buyer_id", "category_id"):
        categories.setdefault(buyer_id, set()).add(category_id)
    candidates = []
    for buyer_id, key, country, markets, required in rows:
        required = codes(required)
        if not set(required) <= subject.held:
            continue
        candidates.append(
            Candidate(
                kind="buyer",
                id=buyer_id,
                key=key,
                company_id=buyer_id,
                categories=categories.get(buyer_id, set()),
                markets=tuple(m for m in markets or () if m),
                country=country,
                required=required,
            )
        )
    return candidates


def request_candidates(
    subject: Subject,
    *,
    tree: CategoryTree,
    keyword_ids: set[int],
    since: datetime | None,
) -> list[Candidate]:
    """Open requests of verified buyers for an exhibitor: in a category it sells (or a
    parent of one) or a keyword hit; requiring no certificate it lacks; and, when a storage
    is named, answerable by one of its products of exactly that storage in that category."""
    fit = tree.lineage_ids(subject.have)
    if not fit and not keyword_ids:
        return []
    qs = SourcingRequest.objects.filter(
        status=RequestStatus.OPEN, buyer__status=CompanyStatus.VERIFIED
    ).exclude(buyer__key=_own_key(subject))
    for code in _not_held(subject):
        qs = qs.exclude(required_certifications__icontains=f'"{code}"').exclude(
            buyer__required_certifications__icontains=f'"{code}"'
        )
    storages = {p.storage for p in subject.products if p.storage}
    qs = qs.filter(Q(category_id__in=fit) | Q(pk__in=keyword_ids)).filter(
        Q(storage="") | Q(storage__in=storages)
    )
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    order = ("-pk",)
    if subject.have:
        qs = qs.annotate(
            exact=ExpressionWrapper(Q(category_id__in=subject.have), output_field=BooleanField())
        )
        order = ("-exact", "-pk")
    rows = list(
        qs.order_by(*order).values_list(
            "id",
            "reference",
            "buyer_id",
            "buyer__key",
            "buyer__country",
            "category_id",
            "storage",
            "quantity",
            "target_price",
            "currency",
            "delivery_region",
            "required_certifications",
            "buyer__required_certifications",
            "buyer__target_markets",
        )[:CANDIDATE_LIMIT]
    )
    candidates, subtrees = [], {}
    for (
        request_id,
        reference,
        buyer_id,
        buyer_key,
        country,
        category_id,
        storage,
        quantity,
        target_price,
        currency,
        region,
        required,
        buyer_required,
        buyer_markets,
    ) in rows:
        required = codes([*(buyer_required or []), *(required or [])])
        if not set(required) <= subject.held:
            continue
        if category_id and category_id not in subtrees:
            subtrees[category_id] = tree.subtree_ids([category_id])
        answering = _answering_products(subject, fit=subtrees.get(category_id), required=required)
        if storage:
            answering = [p for p in answering if p.storage == storage]
            if not answering:
                continue
        candidate = Candidate(
            kind="request",
            id=request_id,
            key=f"{buyer_key}/{reference}",
            company_id=buyer_id,
            categories={category_id} if category_id else set(),
            markets=tuple(m for m in [region, *(buyer_markets or [])] if m),
            country=country,
            required=required,
            storage=storage or "",
            quantity=quantity,
            target_price=target_price,
            currency=currency or "CNY",
        )
        _best_offer(candidate, answering)
        candidates.append(candidate)
    return candidates


def _answering_products(subject: Subject, *, fit: set[int] | None, required) -> list:
    """The exhibitor subject's products that could fill a request: in its category (``fit``,
    when it names one) and covered by every certificate it requires."""
    return [
        p
        for p in subject.products
        if (fit is None or p.categories & fit) and all(p.covers(code) for code in required)
    ]


def _best_offer(candidate: Candidate, products: list) -> None:
    """The lowest minimum order and unit price among the products that could fill it."""
    if products:
        candidate.moq = min(p.moq for p in products)
        prices = [
            p.price_at(candidate.quantity)
            for p in products
            if p.price is not None and p.currency == candidate.currency
        ]
        candidate.price = min(prices) if prices else None
