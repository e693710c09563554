"""What goes into a search index: one plain document per searchable object, for every backend.

``build(kind, ids)`` returns the documents of those objects that search may show (listed
products of verified exhibitors, verified exhibitors and buyers, open requests of verified
buyers); ids it leaves out are to be removed from the index. Each batch costs a fixed
number of queries, whatever its size.

A document::

    {"id": 7, "key": "EXHIBITOR_KEY/SKU", "owner_id": 3,
     "title_zh": ..., "title_en": ..., "body_zh": ..., "body_en": ...,
     "extra": [category names, keywords, company names ...],
     "categories": [ids, ancestors included], "certificates": [{"code", "valid_until"}],
     "editions": [2025, 2026], "storage": "ambient", "province": "河南",
     "price": Decimal | None, "moq": int | None, "created": datetime, "suggest": [...]}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Min, Prefetch, QuerySet
from oscar.core.loading import get_model

from buyers.models import Buyer, RequestStatus, SourcingRequest
from catalogue.claims import claim_end, earlier
from exhibitors.models import Certificate, CertificateStatus, CompanyStatus, Exhibitor, Participation

from . import food_kinds

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

KINDS = ("product", "exhibitor", "buyer", "request")
BATCH_SIZE = 1000
MAX_PRODUCT_TITLES = 60  # an exhibitor's product titles that make its directory entry searchable


def place_names(country: str | None, province: str | None) -> list[str]:
    """Where a company is, in words a buyer may type: the country in Chinese and English
    (Kazakhstan, 哈萨克斯坦) and the province (河南 with Henan)."""
    from babel import Locale

    from .understanding import PROVINCES

    names = []
    code = (country or "").upper()
    if code:
        names += [Locale("en").territories.get(code, ""), Locale("zh").territories.get(code, "")]
    if province:
        bare = province.strip()
        for zh, en in PROVINCES.items():
            if bare.startswith(zh) or bare.casefold() == en.casefold():
                names += [zh, en]
                break
        else:
            names.append(bare)
    return [name for name in dict.fromkeys(names) if name]


class CategoryTree:
    """Every category by id, with its ancestors (read once per batch: the tree is small)."""

    def __init__(self) -> None:
        rows = list(Category.objects.values_list("id", "path", "name", "name_en", "slug"))
        self.by_path = {path: (pk, name, name_en, slug) for pk, path, name, name_en, slug in rows}
        self.path_of = {pk: path for pk, path, _n, _e, _s in rows}
        self.steplen = Category.steplen

    def lineage(self, category_id: int) -> list[int]:
        """The category and its ancestors, root first."""
        path = self.path_of.get(category_id)
        if path is None:
            return []
        return [
            self.by_path[path[:end]][0]
            for end in range(self.steplen, len(path) + 1, self.steplen)
            if path[:end] in self.by_path
        ]

    def names(self, category_ids) -> list[str]:
        names: list[str] = []
        for pk in category_ids:
            _pk, name, name_en, _slug = self.by_path[self.path_of[pk]]
            names += [n for n in (name, name_en) if n and n not in names]
        return names

    def expand(self, category_ids) -> list[int]:
        ids: list[int] = []
        for pk in category_ids:
            ids += [a for a in self.lineage(pk) if a not in ids]
        return ids

    def subtree(self, category_id: int) -> list[int]:
        path = self.path_of.get(category_id)
        if path is None:
            return []
        return [pk for p, (pk, *_rest) in self.by_path.items() if p.startswith(path)]


def _certificates(exhibitor_ids) -> dict[int, dict[str, object]]:
    """{exhibitor id: {code: valid_until}} of certificates not marked expired."""
    held: dict[int, dict[str, object]] = defaultdict(dict)
    for exhibitor_id, code, until in Certificate.objects.filter(
        exhibitor_id__in=exhibitor_ids, status=CertificateStatus.VALID
    ).values_list("exhibitor_id", "code", "valid_until"):
        held[exhibitor_id][code] = until
    return held


def _certificate_list(held: dict[str, object], codes=None) -> list[dict]:
    return [
        {"code": code, "valid_until": until}
        for code, until in sorted(held.items())
        if codes is None or code in codes
    ]


# --- products ---------------------------------------------------------------------------------


def products(ids, tree: CategoryTree | None = None) -> list[dict]:
    tree = tree or CategoryTree()
    rows = list(
        Product.objects.filter(pk__in=list(ids), is_public=True, structure__in=["standalone", "parent"])
        .values(
            "id",
            "upc",
            "title",
            "title_en",
            "description",
            "description_en",
            "storage",
            "origin",
            "net_content",
            "moq",
            "certifications",
            "certification_expiry",
            "claims_none",
            "date_created",
        )
        .order_by("id")
    )
    if not rows:
        return []
    found = [row["id"] for row in rows]
    seller: dict[int, tuple] = {}
    price: dict[int, Decimal] = {}
    for product_id, sku, amount, exhibitor_id in (
        StockRecord.objects.filter(product_id__in=found, partner__exhibitor__status=CompanyStatus.VERIFIED)
        .order_by("product_id", "id")
        .values_list("product_id", "partner_sku", "price", "partner__exhibitor__id")
    ):
        seller.setdefault(product_id, (sku, exhibitor_id))
        if amount is not None and (product_id not in price or amount < price[product_id]):
            price[product_id] = amount
    exhibitors = {
        e["id"]: e
        for e in Exhibitor.objects.filter(pk__in={s[1] for s in seller.values()}).values(
            "id", "key", "name_zh", "name_en", "province", "country"
        )
    }
    held = _certificates(list(exhibitors))
    categories: dict[int, list[int]] = defaultdict(list)
    for product_id, category_id in ProductCategory.objects.filter(product_id__in=found).values_list(
        "product_id", "category_id"
    ):
        categories[product_id].append(category_id)
    documents = []
    for row in rows:
        if row["id"] not in seller:
            continue  # not sold by a verified exhibitor: not listed
        sku, exhibitor_id = seller[row["id"]]
        exhibitor = exhibitors[exhibitor_id]
        own = categories.get(row["id"], [])
        claimed = set() if row["claims_none"] else set(row["certifications"] or []) or None
        documents.append(
            {
                "id": row["id"],
                "key": f"{exhibitor['key']}/{sku}" if sku else (row["upc"] or str(row["id"])),
                "sku": sku or "",
                "owner_id": exhibitor_id,
                "owner_key": exhibitor["key"],
                "title_zh": row["title"] or "",
                "title_en": row["title_en"] or "",
                "body_zh": row["description"] or "",
                "body_en": row["description_en"] or "",
                "extra": tree.names(tree.expand(own))
                + [n for n in (exhibitor["name_zh"], exhibitor["name_en"], row["origin"]) if n]
                + place_names(exhibitor["country"], exhibitor["province"]),
                "details": " ".join(
                    [
                        row["net_content"] or "",
                        *food_kinds.kind_words(row["title"] or "", row["title_en"] or ""),
                    ]
                ).strip(),
                "categories": tree.expand(own),
                "certificates": [
                    {
                        **c,
                        "valid_until": earlier(
                            c["valid_until"], claim_end(row["certification_expiry"], c["code"])
                        ),
                    }
                    for c in _certificate_list(held.get(exhibitor_id, {}), claimed)
                ],
                "editions": [],
                "storage": row["storage"] or "",
                "province": exhibitor["province"] or "",
                "price": price.get(row["id"]),
                "moq": row["moq"],
                "created": row["date_created"],
                "suggest": [t for t in (row["title"], row["title_en"]) if t],
            }
        )
    return documents


# --- companies --------------------------------------------------------------------------------


def exhibitors(ids, tree: CategoryTree | None = None) -> list[dict]:
    tree = tree or CategoryTree()
    companies = list(
        Exhibitor.objects.filter(pk__in=list(ids), status=CompanyStatus.VERIFIED)
        .prefetch_related(
            "categories",
            Prefetch("participations", queryset=Participation.objects.filter(withdrawn=False)),
        )
        .order_by("id")
    )
    if not companies:
        return []
    partner_of = {c.partner_id: c.pk for c in companies}
    product_titles: dict[int, list[str]] = defaultdict(list)
    product_categories: dict[int, set[int]] = defaultdict(set)
    listed = Product.objects.filter(
        is_public=True, structure__in=["standalone", "parent"], stockrecords__partner_id__in=list(partner_of)
    )
    for partner_id, title, title_en, category_id in listed.values_list(
        "stockrecords__partner_id", "title", "title_en", "categories__id"
    ).order_by("stockrecords__partner_id", "id"):
        exhibitor_id = partner_of[partner_id]
        titles = product_titles[exhibitor_id]
        for t in (title, title_en):
            if t and t not in titles and len(titles) < MAX_PRODUCT_TITLES:
                titles.append(t)
        if category_id:
            product_categories[exhibitor_id].add(category_id)
    held = _certificates([c.pk for c in companies])
    documents = []
    for company in companies:
        own = [c.pk for c in company.categories.all()]
        every = own + sorted(product_categories[company.pk] - set(own))
        documents.append(
            {
                "id": company.pk,
                "key": company.key,
                "owner_id": company.pk,
                "title_zh": company.name_zh,
                "title_en": company.name_en,
                "body_zh": company.description_zh,
                "body_en": company.description_en,
                "extra": tree.names(every) + place_names(company.country, company.province),
                "details": " ".join(product_titles[company.pk]),
                "categories": tree.expand(every),
                "certificates": _certificate_list(held.get(company.pk, {})),
                "editions": sorted({p.edition for p in company.participations.all()}),
                "storage": "",
                "province": company.province,
                "price": None,
                "moq": None,
                "created": company.created_at,
                "suggest": [n for n in (company.name_zh, company.name_en) if n],
            }
        )
    return documents


def buyers(ids, tree: CategoryTree | None = None) -> list[dict]:
    tree = tree or CategoryTree()
    companies = Buyer.objects.filter(pk__in=list(ids), status=CompanyStatus.VERIFIED).prefetch_related(
        "interests"
    )
    documents = []
    for company in companies.order_by("id"):
        interests = [c.pk for c in company.interests.all()]
        documents.append(
            {
                "id": company.pk,
                "key": company.key,
                "owner_id": company.pk,
                "title_zh": company.name_zh,
                "title_en": company.name_en,
                "body_zh": company.description_zh,
                "body_en": company.description_en,
                "extra": [str(k) for k in company.keywords or []] + tree.names(interests),
                "details": " ".join(str(m) for m in company.target_markets or []),
                "categories": tree.expand(interests),
                "certificates": [],
                "editions": [],
                "storage": "",
                "province": company.province,
                "price": None,
                "moq": None,
                "created": company.created_at,
                "suggest": [n for n in (company.name_zh, company.name_en) if n],
            }
        )
    return documents


def requests(ids, tree: CategoryTree | None = None) -> list[dict]:
    tree = tree or CategoryTree()
    rows = SourcingRequest.objects.filter(
        pk__in=list(ids), status=RequestStatus.OPEN, buyer__status=CompanyStatus.VERIFIED
    ).select_related("buyer")
    documents = []
    for request in rows.order_by("id"):
        own = [request.category_id] if request.category_id else []
        documents.append(
            {
                "id": request.pk,
                "key": f"{request.buyer.key}/{request.reference}",
                "owner_id": request.buyer_id,
                "title_zh": request.title,
                "title_en": "",
                "body_zh": request.description,
                "body_en": "",
                "extra": tree.names(own) + [n for n in (request.buyer.name_zh, request.buyer.name_en) if n],
                "details": request.delivery_region,
                "categories": tree.expand(own),
                "certificates": [],
                "editions": [],
                "storage": request.storage,
                "province": request.buyer.province,
                "price": request.target_price,
                "moq": None,
                "created": request.created_at,
                "suggest": [request.title],
            }
        )
    return documents


BUILDERS = {"product": products, "exhibitor": exhibitors, "buyer": buyers, "request": requests}


def build(kind: str, ids, tree: CategoryTree | None = None) -> list[dict]:
    return BUILDERS[kind](ids, tree)


def searchable(kind: str) -> QuerySet:
    """Ids worth building for a full rebuild (``build`` makes the final choice)."""
    if kind == "product":
        return (
            Product.objects.filter(is_public=True, structure__in=["standalone", "parent"])
            .annotate(seller=Min("stockrecords__id"))
            .filter(seller__isnull=False)
        )
    if kind == "exhibitor":
        return Exhibitor.objects.filter(status=CompanyStatus.VERIFIED)
    if kind == "buyer":
        return Buyer.objects.filter(status=CompanyStatus.VERIFIED)
    return SourcingRequest.objects.filter(status=RequestStatus.OPEN, buyer__status=CompanyStatus.VERIFIED)


def batches(kind: str, *, size: int = BATCH_SIZE) -> Iterator[list[dict]]:
    """Every document of ``kind``, a batch at a time (keyset pagination, never one big list)."""
    ids = list(searchable(kind).order_by("pk").values_list("pk", flat=True))
    tree = CategoryTree()
    for start in range(0, len(ids), size):
        yield build(kind, ids[start : start + size], tree)


def count(kind: str) -> int:
    return searchable(kind).count()
