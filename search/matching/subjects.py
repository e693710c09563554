"""Who a match is for: a buyer, one of its sourcing requests, or an exhibitor, read once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from oscar.core.loading import get_model

from buyers.models import Buyer, RequestStatus, SourcingRequest
from catalogue.claims import claims
from exhibitors.models import Certificate, Company, Exhibitor
from exhibitors.selectors import counting_certificates

from . import terms as term_tools
from .categories import CategoryTree
from .markets import places

ProductCategory = get_model("catalogue", "ProductCategory")
ProductPriceTier = get_model("catalogue", "ProductPriceTier")
StockRecord = get_model("partner", "StockRecord")

SUBJECT_KINDS = ("buyer", "request", "exhibitor")
# Codes that are also words a buyer may write ("halal snacks", "organic tea").
WORD_CODES = {"HALAL": "halal", "KOSHER": "kosher", "ORGANIC": "organic"}
EXHIBITOR_TERMS = 12


class UnknownSubject(LookupError):
    """No buyer, request or exhibitor has this key."""

    def __init__(self, kind: str, key: str) -> None:
        self.kind, self.key = kind, key
        super().__init__(f"Unknown {kind} key '{key}'.")


def codes(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(v).strip().upper() for v in values or () if str(v).strip()))


@dataclass(frozen=True)
class OwnProduct:
    """One of an exhibitor subject's public products, enough to check a request against it."""

    id: int
    storage: str
    certifications: tuple[str, ...]
    categories: frozenset[int]
    moq: int
    price: Decimal | None
    currency: str
    tiers: tuple[tuple[int, Decimal], ...] = ()
    ended: frozenset[str] = frozenset()  # codes whose product claim ended early (catalogue.claims)
    claims_none: bool = False  # the product claims none of its exhibitor's certificates

    def covers(self, code: str) -> bool:
        if self.claims_none or code in self.ended:
            return False
        return not self.certifications or code in self.certifications

    def price_at(self, quantity: Decimal | None) -> Decimal | None:
        """The unit price for ``quantity`` units: the best wholesale tier that applies."""
        best = self.price
        if quantity is not None:
            for least, price in self.tiers:
                if least <= quantity and price is not None and (best is None or price < best):
                    best = price
        return best


@dataclass
class Subject:
    kind: str
    key: str
    company: Company
    request: SourcingRequest | None = None
    wanted: set[int] = field(default_factory=set)  # categories a buyer or request wants
    have: set[int] = field(default_factory=set)  # categories an exhibitor sells
    required: tuple[str, ...] = ()
    held: set[str] = field(default_factory=set)  # codes an exhibitor validly holds
    products: list[OwnProduct] = field(default_factory=list)
    storage: str = ""
    quantity: Decimal | None = None
    target_price: Decimal | None = None
    currency: str = "CNY"
    markets: list[str] = field(default_factory=list)  # where a buyer sells or a request delivers
    where: tuple[str, ...] = ()  # where an exhibitor is and its goods come from
    terms: list[str] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.request is not None and self.request.status == RequestStatus.CLOSED

    @property
    def seeks_suppliers(self) -> bool:
        return self.kind in ("buyer", "request")


def load_subject(kind: str, key: str, *, tree: CategoryTree, as_of: date) -> Subject:
    if kind == "buyer":
        buyer = Buyer.objects.prefetch_related("interests").filter(key=key).first()
        if buyer is None:
            raise UnknownSubject(kind, key)
        return _buyer_subject(buyer)
    if kind == "request":
        buyer_key, _slash, reference = key.partition("/")
        request = (
            SourcingRequest.objects.select_related("buyer", "category")
            .filter(buyer__key=buyer_key, reference=reference)
            .first()
            if reference
            else None
        )
        if request is None:
            raise UnknownSubject(kind, key)
        return _request_subject(request, tree=tree)
    if kind == "exhibitor":
        exhibitor = Exhibitor.objects.prefetch_related("categories").filter(key=key).first()
        if exhibitor is None:
            raise UnknownSubject(kind, key)
        return _exhibitor_subject(exhibitor, tree=tree, as_of=as_of)
    raise UnknownSubject(kind, key)


def _buyer_subject(buyer: Buyer) -> Subject:
    return Subject(
        kind="buyer",
        key=buyer.key,
        company=buyer,
        wanted={c.id for c in buyer.interests.all()},
        required=codes(buyer.required_certifications),
        markets=[m for m in buyer.target_markets or [] if m],
        terms=term_tools.unique(buyer.keywords or []),
    )


def _request_subject(request: SourcingRequest, *, tree: CategoryTree) -> Subject:
    buyer = request.buyer
    wording = [request.title, request.description]
    vocabulary = [
        *(buyer.keywords or []),
        *(n for node in tree.by_id.values() for n in (node.name, node.name_en)),
    ]
    return Subject(
        kind="request",
        key=f"{buyer.key}/{request.reference}",
        company=buyer,
        request=request,
        wanted={request.category_id} if request.category_id else set(),
        required=codes([*(buyer.required_certifications or []), *(request.required_certifications or [])]),
        storage=request.storage or "",
        quantity=request.quantity,
        target_price=request.target_price,
        currency=request.currency or "CNY",
        markets=[m for m in [request.delivery_region, *(buyer.target_markets or [])] if m],
        terms=term_tools.unique(
            [*term_tools.vocabulary_in(wording, vocabulary), *term_tools.words_of(*wording)]
        ),
    )


def _exhibitor_subject(exhibitor: Exhibitor, *, tree: CategoryTree, as_of: date) -> Subject:
    held = set(
        Certificate.objects.filter(counting_certificates(day=as_of), exhibitor=exhibitor).values_list(
            "code", flat=True
        )
    )
    rows = list(
        StockRecord.objects.filter(
            partner_id=exhibitor.partner_id,
            product__is_public=True,
            product__structure__in=("standalone", "parent"),
        ).values_list(
            "product_id",
            "product__storage",
            "product__certifications",
            "product__moq",
            "price",
            "price_currency",
            "product__origin",
            "product__certification_expiry",
            "product__claims_none",
        )
    )
    tiers: dict[int, list[tuple[int, Decimal]]] = {}
    for product_id, least, price in ProductPriceTier.objects.filter(
        product_id__in=[row[0] for row in rows]
    ).values_list("product_id", "min_quantity", "unit_price"):
        tiers.setdefault(product_id, []).append((least, price))
    product_categories: dict[int, set[int]] = {}
    for product_id, category_id in ProductCategory.objects.filter(
        product_id__in=[row[0] for row in rows]
    ).values_list("product_id", "category_id"):
        product_categories.setdefault(product_id, set()).add(category_id)
    products = [
        OwnProduct(
            id=product_id,
            storage=storage or "",
            certifications=codes(certifications),
            categories=frozenset(product_categories.get(product_id, ())),
            moq=moq or 1,
            price=price,
            currency=currency or "CNY",
            tiers=tuple(tiers.get(product_id, ())),
            ended=frozenset(code for code in (ends or {}) if not claims((), ends, code, day=as_of)),
            claims_none=claims_none,
        )
        for product_id, storage, certifications, moq, price, currency, _origin, ends, claims_none in rows
    ]
    have = {c.id for c in exhibitor.categories.all()} | {c for p in products for c in p.categories}
    # What buyers write about what it sells: its category names in both languages (without
    # the explanation in brackets) and the certificates that are also words (halal, organic).
    nodes = [tree.by_id[c] for c in sorted(have) if c in tree.by_id]
    terms = term_tools.unique(
        [
            *(node.name for node in nodes),
            *(node.name_en.split("(")[0].strip() for node in nodes),
            *(WORD_CODES[code] for code in sorted(held) if code in WORD_CODES),
        ],
        limit=EXHIBITOR_TERMS,
    )
    return Subject(
        kind="exhibitor",
        key=exhibitor.key,
        company=exhibitor,
        have=have,
        held=held,
        products=products,
        where=places(
            province=exhibitor.province,
            city=exhibitor.city,
            country=exhibitor.country,
            origins=sorted({row[6] for row in rows if row[6]}),
        ),
        terms=terms,
    )
