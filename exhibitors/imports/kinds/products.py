"""Products (products.csv): catalogue record, stock, price tiers and certificate claims."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from functools import cached_property

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue.claims import claim_end
from catalogue.models import ProductPriceTier, Storage
from exhibitors.models import Certificate, CertificateStatus, Exhibitor

from ..bulk import bulk_update_changed, insert_rows
from ..cells import (
    CellError,
    certification_pairs,
    choice,
    coded_pairs,
    currency,
    decimal,
    export_cell,
    integer,
    narrow,
    parse_bool,
    parse_key,
    parse_price,
    parse_tier_quantity,
    text,
)
from .base import CREATED, DEFAULT_UNIT, UNCHANGED, UPDATED, Column, Kind, Row, batched

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")


NO_CLAIM = "NONE"  # a certifications cell saying the product claims none of its company's certificates
NO_CLAIM_WORDS = {"none", "无", "-"}


def product_claims(value: str) -> dict | None:
    """A product's certifications cell: codes, each with its own expiry or None, or None for
    ``NONE``/``无``/``-`` (the product claims no certificate; an empty cell claims them all)."""
    if narrow(value).casefold() in NO_CLAIM_WORDS:
        return None
    return certification_pairs(value)


PRODUCT_ATTRS = (
    "title",
    "title_en",
    "description",
    "description_en",
    "unit",
    "moq",
    "shelf_life_days",
    "storage",
    "origin",
    "net_content",
    "certifications",
    "certification_expiry",
    "claims_none",
    "sample_available",
)
STOCK_ATTRS = ("price", "price_currency", "num_in_stock")


def product_slug(title: str, title_en: str) -> str:
    return slugify(title_en or title)[:128] or "product"


class ProductKind(Kind):
    """products.csv: an Oscar product with the exhibitor partner's stock record, category and tiers.

    A row is identified by its exhibitor's partner and SKU (the stock record), as Oscar does.
    """

    name = "products"
    identity_columns = ("exhibitor_key", "sku")
    one_of = (("title_zh", "title_en"),)

    def __init__(self) -> None:
        super().__init__()
        self.exhibitors: dict[str, dict | None] = {}
        self._product_class_id: int | None = None

    def build_columns(self) -> tuple[Column, ...]:
        return (
            Column("exhibitor_key", required=True, attr="exhibitor_key", parse=parse_key),
            Column("sku", required=True, attr="sku", parse=parse_key),
            Column("title_zh", attr="title", parse=text(255)),
            Column("title_en", attr="title_en", parse=text(255)),
            Column("category", required=True, attr="category_id", parse=self.category),
            Column("description_zh", attr="description", parse=text()),
            Column("description_en", attr="description_en", parse=text()),
            Column("price", required=True, attr="price", parse=decimal(max_digits=12, places=2)),
            Column("currency", attr="price_currency", parse=currency, default="CNY"),
            Column("unit", attr="unit", parse=text(32), default=DEFAULT_UNIT),
            Column("moq", attr="moq", parse=integer(minimum=1), default=1),
            Column("price_tiers", attr="tiers", parse=self.price_tiers, default=list),
            Column("stock", attr="num_in_stock", parse=integer(), default=None),
            Column("shelf_life_days", attr="shelf_life_days", parse=integer(), default=None),
            Column(
                "storage", attr="storage", parse=choice(Storage.values, label=gettext_lazy("storage code"))
            ),
            Column("origin", attr="origin", parse=text(128)),
            Column("net_content", attr="net_content", parse=text(64)),
            Column("certifications", attr="claims", parse=product_claims, default=dict),
            Column("sample_available", attr="sample_available", parse=parse_bool, default=False),
        )

    @staticmethod
    def price_tiers(value: str) -> list[tuple[int, Decimal]]:
        pairs = coded_pairs(
            value,
            parse_code=parse_tier_quantity,
            parse_value=parse_price,
            label=gettext_lazy("Tier quantity"),
        )
        for quantity, price in pairs:
            if price is None:
                raise CellError(
                    _("Tier '%(quantity)s' has no price; write tiers as quantity:unit_price, e.g. 100:45.00.")
                    % {"quantity": quantity}
                )
        return sorted(pairs)

    @property
    def product_class_id(self) -> int:
        if self._product_class_id is None:
            product_class, _created = ProductClass.objects.get_or_create(
                slug="food", defaults={"name": "食品 Food", "requires_shipping": True, "track_stock": True}
            )
            self._product_class_id = product_class.id
        return self._product_class_id

    def _load_exhibitors(self, keys: set[str]) -> None:
        missing = [key for key in keys if key not in self.exhibitors]
        if not missing:
            return
        found = {
            e["key"]: e for e in Exhibitor.objects.filter(key__in=missing).values("id", "key", "partner_id")
        }
        by_id = {e["id"]: e for e in found.values()}
        for e in found.values():
            e["certificates"] = {}
        for exhibitor_id, code, until, status in Certificate.objects.filter(
            exhibitor_id__in=list(by_id)
        ).values_list("exhibitor_id", "code", "valid_until", "status"):
            by_id[exhibitor_id]["certificates"][code] = (until, status)
        for key in missing:
            self.exhibitors[key] = found.get(key)

    @cached_property
    def claim_messages(self) -> dict[str, str]:
        """Translated once per import: a large file can warn on every other row."""
        return {
            "missing": _("%(code)s is not claimed: the exhibitor holds no %(code)s certificate."),
            "expired": _(
                "%(code)s is not claimed: the exhibitor's %(code)s certificate expired on %(date)s."
            ),
            "invalid": _("%(code)s is not claimed: the exhibitor's %(code)s certificate is not valid."),
            "ended": _("%(code)s is not claimed: the product's claim ended on %(date)s."),
        }

    def parse_more(self, row: Row) -> None:
        if "claims" in row.clean:
            claims = row.clean.pop("claims")
            row.clean["claims_none"] = claims is None
            claims = claims or {}
            row.clean["certifications"] = list(claims)
            row.clean["certification_expiry"] = {
                code: until.isoformat() for code, until in claims.items() if until
            }

    def _claimable(self, row: Row, held: dict[str, tuple]) -> None:
        """Keep only codes the company holds validly today and whose own date is not past.

        A kept claim ends at the earlier of the product's date and the company's; the
        product's date is stored, the company's is read where claims are checked, so that
        renewing the company's certificate needs no new product import.
        """
        kept, ends = [], {}
        own_ends = row.clean["certification_expiry"]
        for code in row.clean["certifications"]:
            until, status = held.get(code, (None, None))
            own = claim_end(own_ends, code)
            date_text = until.isoformat() if until else ""
            if status is None:
                problem = "missing"
            elif until and until < self.today:
                problem = "expired"
            elif status != CertificateStatus.VALID:
                problem = "invalid"
            elif own and own < self.today:
                problem, date_text = "ended", own.isoformat()
            else:
                kept.append(code)
                if own:
                    ends[code] = own.isoformat()
                continue
            row.warn("certifications", self.claim_messages[problem] % {"code": code, "date": date_text})
        if row.clean["certifications"] and not kept:
            row.clean["claims_none"] = True  # it named codes and none holds: it claims nothing, not all
        row.clean["certifications"] = kept
        row.clean["certification_expiry"] = ends

    def plan(self, rows: list[Row]) -> None:
        self._load_exhibitors({row.clean["exhibitor_key"] for row in rows})
        known = []
        for row in rows:
            exhibitor = self.exhibitors[row.clean["exhibitor_key"]]
            if exhibitor is None:
                row.error(
                    "exhibitor_key",
                    _("No exhibitor has the key '%(key)s'; import the exhibitors first.")
                    % {"key": row.clean["exhibitor_key"]},
                )
                continue
            row.plan = {"partner_id": exhibitor["partner_id"], "upc": self.upc(row)}
            if "certifications" in row.clean:
                self._claimable(row, exhibitor["certificates"])
            known.append(row)
        if not known:
            return
        stock = {
            (s["partner_id"], s["partner_sku"]): s
            for s in StockRecord.objects.filter(
                partner_id__in={row.plan["partner_id"] for row in known},
                partner_sku__in={row.clean["sku"] for row in known},
            ).values("id", "partner_id", "partner_sku", "product_id", *STOCK_ATTRS)
        }
        for row in known:
            row.plan["stock"] = stock.get((row.plan["partner_id"], row.clean["sku"]))
        # A product may exist without this partner's stock record (left by an earlier,
        # interrupted run); its UPC says whose it is, so it is taken over, not duplicated.
        orphans = [row.plan["upc"] for row in known if row.plan["stock"] is None and row.plan["upc"]]
        adopted = dict(Product.objects.filter(upc__in=orphans).values_list("upc", "id")) if orphans else {}
        for row in known:
            stock_record = row.plan["stock"]
            row.plan["product_id"] = (
                stock_record["product_id"] if stock_record else adopted.get(row.plan["upc"])
            )
        product_ids = [row.plan["product_id"] for row in known if row.plan["product_id"]]
        products, categories, tiers = {}, defaultdict(set), defaultdict(list)
        if product_ids:
            products = {
                p["id"]: p
                for p in Product.objects.filter(id__in=product_ids).values("id", "slug", *PRODUCT_ATTRS)
            }
            for product_id, category_id in ProductCategory.objects.filter(
                product_id__in=product_ids
            ).values_list("product_id", "category_id"):
                categories[product_id].add(category_id)
            for product_id, quantity, price in (
                ProductPriceTier.objects.filter(product_id__in=product_ids)
                .order_by("min_quantity")
                .values_list("product_id", "min_quantity", "unit_price")
            ):
                tiers[product_id].append((quantity, price))
        for row in known:
            product_id = row.plan["product_id"]
            if product_id is None:
                row.outcome = CREATED
                continue
            product = products[product_id]
            changed = self.changes(row, product, PRODUCT_ATTRS)
            if {"title", "title_en"} & changed.keys():
                merged = {**product, **changed}
                changed["slug"] = product_slug(merged["title"], merged["title_en"])
            row.plan["product_changed"] = (product_id, changed, product)
            if row.plan["stock"] is not None:
                stock_changed = self.changes(row, row.plan["stock"], STOCK_ATTRS)
                row.plan["stock_changed"] = (row.plan["stock"]["id"], stock_changed, row.plan["stock"])
            if categories[product_id] != {row.clean["category_id"]}:
                row.plan["category"] = row.clean["category_id"]
            if "tiers" in row.clean and tiers[product_id] != row.clean["tiers"]:
                row.plan["tiers"] = row.clean["tiers"]
            if row.plan["stock"] is None:
                row.outcome = CREATED
            elif changed or row.plan["stock_changed"][1] or "category" in row.plan or "tiers" in row.plan:
                row.outcome = UPDATED
            else:
                row.outcome = UNCHANGED

    @staticmethod
    def upc(row: Row) -> str | None:
        upc = f"{row.clean['exhibitor_key']}/{row.clean['sku']}"
        return upc if len(upc) <= 64 else None  # Oscar's UPC holds 64 characters

    def apply(self, rows: list[Row]) -> None:
        fresh = [row for row in rows if row.outcome == CREATED and row.plan["product_id"] is None]
        product_ids = {id(row): row.plan["product_id"] for row in rows}
        category_sets: dict[int, int] = {}
        tier_sets: dict[int, list] = {}
        new_products = []
        for row in fresh:
            values = {attr: row.clean[attr] for attr in PRODUCT_ATTRS if attr in row.clean}
            values.update(
                structure=Product.STANDALONE,
                product_class_id=self.product_class_id,
                is_public=True,
                upc=row.plan["upc"],
                slug=product_slug(values.get("title", ""), values.get("title_en", "")),
            )
            new_products.append(values)
        fresh_ids = insert_rows(Product, new_products, returning=True)
        for row, pk in zip(fresh, fresh_ids, strict=True):
            product_ids[id(row)] = pk
            category_sets[pk] = row.clean["category_id"]
            if row.clean.get("tiers"):
                tier_sets[pk] = row.clean["tiers"]
        insert_rows(
            StockRecord,
            [
                {
                    "product_id": product_ids[id(row)],
                    "partner_id": row.plan["partner_id"],
                    "partner_sku": row.clean["sku"],
                    "num_allocated": 0,
                    **{attr: row.clean[attr] for attr in STOCK_ATTRS if attr in row.clean},
                }
                for row in rows
                if row.outcome == CREATED
            ],
        )
        touched = [row for row in rows if row.outcome in (CREATED, UPDATED) and row.plan["product_id"]]
        bulk_update_changed(
            Product,
            [row.plan["product_changed"] for row in touched if row.plan["product_changed"][1]],
            stamp="date_updated",
        )
        bulk_update_changed(
            StockRecord,
            [row.plan["stock_changed"] for row in touched if row.plan.get("stock_changed", (0, {}))[1]],
            stamp="date_updated",
        )
        for row in touched:
            if "category" in row.plan:
                category_sets[row.plan["product_id"]] = row.plan["category"]
            if "tiers" in row.plan:
                tier_sets[row.plan["product_id"]] = row.plan["tiers"]
        fresh_set = set(fresh_ids)
        replaced = [pk for pk in category_sets if pk not in fresh_set]
        if replaced:
            ProductCategory.objects.filter(product_id__in=replaced).delete()
        insert_rows(
            ProductCategory,
            [{"product_id": pk, "category_id": category_id} for pk, category_id in category_sets.items()],
        )
        replaced = [pk for pk in tier_sets if pk not in fresh_set]
        if replaced:
            ProductPriceTier.objects.filter(product_id__in=replaced).delete()
        insert_rows(
            ProductPriceTier,
            [
                {"product_id": pk, "min_quantity": quantity, "unit_price": price}
                for pk, pairs in tier_sets.items()
                for quantity, price in pairs
            ],
        )

    def export_rows(self) -> Iterator[list[str]]:
        ids = list(
            StockRecord.objects.filter(partner__exhibitor__isnull=False)
            .order_by("partner__exhibitor__key", "partner_sku")
            .values_list("id", flat=True)
        )
        for chunk in batched(ids, 2000):
            records = list(
                StockRecord.objects.filter(id__in=chunk)
                .order_by("partner__exhibitor__key", "partner_sku")
                .values("product_id", "partner__exhibitor__key", "partner_sku", *STOCK_ATTRS)
            )
            product_ids = [r["product_id"] for r in records]
            products = {
                p["id"]: p for p in Product.objects.filter(id__in=product_ids).values("id", *PRODUCT_ATTRS)
            }
            categories: dict[int, str] = {}
            for product_id, slug in (
                ProductCategory.objects.filter(product_id__in=product_ids)
                .order_by("-category__depth", "category__path")
                .values_list("product_id", "category__slug")
            ):
                categories.setdefault(product_id, slug)
            tiers = defaultdict(list)
            for product_id, quantity, price in (
                ProductPriceTier.objects.filter(product_id__in=product_ids)
                .order_by("min_quantity")
                .values_list("product_id", "min_quantity", "unit_price")
            ):
                tiers[product_id].append(f"{quantity}:{export_cell(price)}")
            for record in records:
                product = products[record["product_id"]]
                values = {
                    **product,
                    **record,
                    "exhibitor_key": record["partner__exhibitor__key"],
                    "sku": record["partner_sku"],
                    "title_zh": product["title"],
                    "description_zh": product["description"],
                    "category": categories.get(product["id"], ""),
                    "currency": record["price_currency"],
                    "stock": record["num_in_stock"],
                    "price_tiers": tiers[product["id"]],
                    "certifications": [NO_CLAIM]
                    if product["claims_none"]
                    else [
                        f"{code}:{ends[code]}" if code in ends else code
                        for ends in [product["certification_expiry"] or {}]
                        for code in product["certifications"] or []
                    ],
                }
                yield [export_cell(values[name]) for name in self.column_names]
