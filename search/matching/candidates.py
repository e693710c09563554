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

from django.db.models import (
    Exists,
    Min,
    OuterRef,
    Q,
)
from oscar.core.loading import get_model

from catalogue.claims import claim_q
from exhibitors.models import Certificate, CompanyStatus, Exhibitor, Participation
from exhibitors.selectors import counting_certificates

from ..lookups import among
from .categories import Closeness
from .markets import places
from .subjects import Subject

ProductCategory = get_model("catalogue", "ProductCategory")
ProductPriceTier = get_model("catalogue", "ProductPriceTier")
StockRecord = get_model("partner", "StockRecord")

# How many candidates of each kind are scored in Python; the SQL order puts the likeliest
# first (exact category, then the category's descendants, then keyword hits).
CANDIDATE_LIMIT = 300
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
    answer_rate: float | None = None
    answer_hours: float | None = None
    credit: object | None = None  # a supplier's credit.selectors.CreditSignal, once asked
    signals: dict[str, float] = field(default_factory=dict)
    fit: Closeness | None = None
    market: str | None = None
    score: float = 0.0


def _holds(code: str, *, day: date, partner: str | None = None) -> Exists | Q:
    """The outer exhibitor (or the exhibitor of the outer partner) holds ``code`` validly."""
    certificates = Certificate.objects.filter(counting_certificates(day=day), code=code)
    if partner:
        return Q(**{f"{partner}__in": certificates.values("exhibitor__partner_id")})
    return Exists(certificates.filter(exhibitor_id=OuterRef("pk")))


def _covered(code: str, prefix: str = "", *, day: date) -> Q:
    """The product covers ``code`` on ``day`` (its claim not ended early, see ``catalogue.claims``)."""
    return claim_q(code, day=day, prefix=prefix)


def _listed_products(subject: Subject, *, as_of: date):
    """Listed public products of the subject's storage covering every code it requires (the
    product's side of the hard rules; the company's side is ``_holds``)."""
    products = StockRecord.objects.filter(product__is_public=True, product__structure__in=LISTED)
    for code in subject.required:
        products = products.filter(_covered(code, "product__", day=as_of))
    if subject.storage:
        products = products.filter(product__storage=subject.storage)
    return products


def _listed_records(subject: Subject, *, as_of: date):
    """Stock records of listed products of verified exhibitors that fill the hard rules.

    The exhibitor is reached by its partner id (a semi-join), not by joining partner and
    exhibitor to every record."""
    records = _listed_products(subject, as_of=as_of).filter(
        partner_id__in=Exhibitor.objects.filter(status=CompanyStatus.VERIFIED).values("partner_id")
    )
    for code in subject.required:
        records = records.filter(_holds(code, day=as_of, partner="partner_id"))
    return records


def _own_key(subject: Subject) -> str:
    """A company that both sells and buys has the same key on both sides: never its own match."""
    return subject.company.key


def supplier_candidates(
    subject: Subject,
    *,
    fit: set[int],
    found: dict[str, set[int]] | None,
    as_of: date,
    since: datetime | None,
    edition: int | None,
) -> list[Candidate]:
    """Products and exhibitors for a buyer or a request.

    Products: listed, of a verified exhibitor, in a wanted category (``fit``) or, for a
    subject naming no category, among the keyword hits (``found``); certified and stored as
    required; those in an exact category first, then the newest, ``CANDIDATE_LIMIT`` at most.
    Exhibitors: verified, holding every required certificate, declaring a wanted category or
    selling one of those products (for a request naming a storage: selling a product of
    exactly that storage in its category). An exhibitor's categories are its declared ones
    plus those of its products among the candidates.
    """
    if not fit and not (found and any(found.values())):
        return []
    records = _listed_records(subject, as_of=as_of)
    if fit:
        # Exact categories, then the rest of the tree below them; each newest first, which
        # lets the database stop early instead of sorting every product that fits.
        rows = _product_rows(records.filter(product__categories__in=subject.wanted), since, CANDIDATE_LIMIT)
        if len(rows) < CANDIDATE_LIMIT and fit - subject.wanted:
            below = records.filter(product__categories__in=fit - subject.wanted)
            rows += _product_rows(below, since, CANDIDATE_LIMIT - len(rows))
    else:
        rows = _product_rows(records.filter(among("product_id", found["product"])), since, CANDIDATE_LIMIT)
    owners = {  # partner: its exhibitor's id, key and place
        partner_id: (exhibitor_id, key, places(province=province, city=city, country=country), country)
        for partner_id, exhibitor_id, key, province, city, country in Exhibitor.objects.filter(
            among("partner_id", {row[5] for row in rows})
        ).values_list("partner_id", "id", "key", "province", "city", "country")
    }
    products: dict[int, Candidate] = {}
    sold: dict[int, set[int]] = {}  # partner: categories of its candidate products
    for product_id, category_id, sku, price, currency, partner_id, storage, moq, origin in rows:
        if fit:
            sold.setdefault(partner_id, set()).add(category_id)
        candidate = products.get(product_id)
        if candidate is None:  # sold by two partners: the first stock record stands for it
            exhibitor_id, key, where, country = owners[partner_id]
            candidate = products[product_id] = Candidate(
                kind="product",
                id=product_id,
                key=f"{key}/{sku}",
                company_id=exhibitor_id,
                categories=set(),
                where=(*where, origin) if origin else where,
                country=country,
                storage=storage or "",
                moq=moq,
                price=price,
                currency=currency or "",
            )
        if category_id is not None:
            candidate.categories.add(category_id)
    if subject.quantity is not None:
        _tier_prices(list(products.values()), quantity=subject.quantity)

    declared: dict[int, set[int]] = {}
    exhibitors = Exhibitor.objects.filter(status=CompanyStatus.VERIFIED).exclude(key=_own_key(subject))
    if subject.storage:  # only exhibitors with a product that fills the request
        # (the exhibitor's own rules, verified and certified, are checked on it below)
        fitting = _listed_products(subject, as_of=as_of)
        fitting = (
            fitting.filter(product__categories__in=fit)
            if fit
            else fitting.filter(among("product_id", found["product"]))
        )
        exhibitors = exhibitors.filter(partner_id__in=fitting.values("partner_id"))
    if fit:
        for exhibitor_id, category_id in Exhibitor.categories.through.objects.filter(
            category_id__in=fit
        ).values_list("exhibitor_id", "category_id"):
            declared.setdefault(exhibitor_id, set()).add(category_id)
        exhibitors = exhibitors.filter(Q(among("id", declared)) | Q(among("partner_id", sold)))
    else:
        exhibitors = exhibitors.filter(among("id", found["exhibitor"]))
    for code in subject.required:
        exhibitors = exhibitors.filter(_holds(code, day=as_of))
    if since is not None:
        exhibitors = exhibitors.filter(created_at__gte=since)
    companies = [
        Candidate(
            kind="exhibitor",
            id=exhibitor_id,
            key=key,
            company_id=exhibitor_id,
            categories=declared.get(exhibitor_id, set()) | sold.get(partner_id, set()),
            where=places(province=province, city=city, country=country),
            country=country,
        )
        for exhibitor_id, key, partner_id, province, city, country in exhibitors.order_by().values_list(
            "id", "key", "partner_id", "province", "city", "country"
        )
    ]
    companies = _first(companies, wanted=subject.wanted)
    if subject.request is not None:
        offers: dict[int, list] = {}  # exhibitor: its candidate products in the request's category
        for product in products.values():
            if product.categories & fit:
                offers.setdefault(product.company_id, []).append(
                    (product.moq or 1, product.price, product.currency)
                )
        for company in companies:
            company.currency = subject.currency
            lowest_offer(company, offers.get(company.id, []))
    candidates = [*products.values(), *companies]
    _exhibiting(candidates, edition=edition)
    return candidates


def _product_rows(records, since: datetime | None, limit: int) -> list[tuple]:
    if since is not None:
        records = records.filter(product__date_created__gte=since)
    return list(
        records.order_by("-product_id").values_list(
            "product_id",
            "product__categories",
            "partner_sku",
            "price",
            "price_currency",
            "partner_id",
            "product__storage",
            "product__moq",
            "product__origin",
        )[:limit]
    )


def _exhibiting(candidates: list[Candidate], *, edition: int | None) -> None:
    """Which suppliers exhibit at the current edition."""
    if edition:  # (every candidate's exhibitor is verified)
        exhibiting = set(
            Participation.objects.filter(
                among("exhibitor_id", {c.company_id for c in candidates}), edition=edition, withdrawn=False
            ).values_list("exhibitor_id", flat=True)
        )
        for candidate in candidates:
            candidate.exhibiting = edition if candidate.company_id in exhibiting else None


def _first(candidates, *, wanted: set[int]) -> list[Candidate]:
    """The likeliest ``CANDIDATE_LIMIT``: those in an exact category first, then the newest."""
    return sorted(candidates, key=lambda c: (not (c.categories & wanted), -c.id))[:CANDIDATE_LIMIT]


def _tier_prices(candidates: list[Candidate], *, quantity: Decimal) -> None:
    """The unit price at the requested quantity: the best wholesale tier that applies."""
    best = dict(
        ProductPriceTier.objects.filter(
            among("product_id", [c.id for c in candidates]), min_quantity__lte=quantity
        )
        .values("product_id")
        .annotate(best=Min("unit_price"))
        .values_list("product_id", "best")
    )
    for candidate in candidates:
        tier = best.get(candidate.id)
        if tier is not None and (candidate.price is None or tier < candidate.price):
            candidate.price = tier


def lowest_offer(candidate: Candidate, offers: list[tuple[int, Decimal | None, str]]) -> None:
    """The lowest minimum order, and the lowest unit price in the candidate's currency, among
    the (minimum order, unit price, currency) of the products that could fill a request."""
    if offers:
        candidate.moq = min(moq for moq, _price, _currency in offers)
        prices = [
            price for _moq, price, currency in offers if price is not None and currency == candidate.currency
        ]
        candidate.price = min(prices, default=None)
