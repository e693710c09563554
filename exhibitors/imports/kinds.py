"""The four staff spreadsheet kinds of ../shared/formats: columns, cell rules and bulk writes.

Each kind turns a row's cells into clean values (:meth:`Kind.parse`, pure Python), compares
a batch of rows with what the database holds using a handful of queries (:meth:`Kind.plan`),
then writes the differences in bulk (:meth:`Kind.apply`, see ``bulk.py``).

A column that is left out of a file leaves that field alone on existing records; a column
that is present but empty sets the field to its default. Sets that are pure labels
(categories, interests, price tiers) are replaced by the file's set; certificates and expo
participations are only added or updated, never removed, because they carry documents and
history that the spreadsheet does not show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from buyers.models import Buyer, BuyerType, RequestStatus, SourcingRequest
from catalogue.claims import claim_end
from catalogue.models import ProductPriceTier, Storage
from exhibitors.models import Certificate, CertificateStatus, CompanyStatus, Exhibitor, Participation
from exhibitors.services import certificate_status_for

from .bulk import UPDATE_BATCH, bulk_update_changed, insert_rows
from .cells import (  # noqa: F401 - re-exported: these names were defined here
    CODE_SEPARATOR,
    DATE_PATTERNS,
    DECIMAL_PATTERN,
    FALSE_WORDS,
    INTEGER_PATTERN,
    KEY_PATTERN,
    LIST_SEPARATOR,
    MAX_INT,
    TRUE_WORDS,
    CellError,
    Parser,
    certification_code,
    certification_list,
    certification_pairs,
    choice,
    coded_pairs,
    company_status,
    country,
    currency,
    decimal,
    email,
    export_cell,
    integer,
    narrow,
    parse_bool,
    parse_date,
    parse_key,
    parse_price,
    parse_tier_quantity,
    parse_year,
    shown,
    split_codes,
    split_list,
    text,
    text_list,
    website,
)

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
DEFAULT_UNIT = "件"


# --- rows --------------------------------------------------------------------------------


@dataclass(eq=False)
class Row:
    """One data row on its way through parse, plan and apply."""

    number: int
    values: dict[str, str]
    clean: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    identity: Any = None
    outcome: str | None = None
    plan: dict[str, Any] = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    def warn(self, column: str, message: str) -> None:
        self.warnings.append((column, message))


@dataclass(frozen=True)
class Column:
    """A column of the format; ``attr`` names the model field a plain column fills."""

    name: str
    required: bool = False
    attr: str | None = None
    parse: Parser | None = None
    default: Any = ""

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default


def batched(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- the kinds ---------------------------------------------------------------------------


class Kind:
    """What the four kinds share: columns, cell parsing, category slugs."""

    name: str = ""
    identity_columns: tuple[str, ...] = ()
    one_of: tuple[tuple[str, ...], ...] = ()

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.category_ids: dict[str, int] = {}
        for pk, slug in Category.objects.order_by("path").values_list("id", "slug"):
            self.category_ids.setdefault(slug.casefold(), pk)
        self.columns: tuple[Column, ...] = self.build_columns()
        self.column_names = [column.name for column in self.columns]

    def build_columns(self) -> tuple[Column, ...]:
        raise NotImplementedError

    def category(self, value: str) -> int:
        try:
            return self.category_ids[narrow(value).casefold()]
        except KeyError:
            raise CellError(_("Unknown category slug '%(value)s'.") % {"value": shown(value)}) from None

    def categories(self, value: str) -> set[int]:
        return {self.category(slug) for slug in split_codes(value)}

    # parse --------------------------------------------------------------------------------

    def parse(self, row: Row) -> None:
        """Fill ``row.clean`` from the row's cells; every broken cell becomes an error."""
        for column in self.columns:
            if column.name not in row.values:
                continue
            raw = row.values[column.name]
            if raw == "":
                if column.required:
                    row.error(column.name, _("Required, but the cell is empty."))
                    continue
                if column.attr:
                    row.clean[column.attr] = column.default_value()
                continue
            if column.parse is None:
                continue
            try:
                value = column.parse(raw)
            except CellError as exc:
                row.error(column.name, str(exc))
                continue
            row.clean[column.attr or column.name] = value
        for group in self.one_of:
            present = [name for name in group if name in row.values]
            if present and not any(row.values[name] for name in present):
                row.error(
                    present[0],
                    _("Needs %(columns)s; these cells are empty.") % {"columns": " or ".join(group)},
                )
        if not row.errors:
            self.parse_more(row)
        if all(name in row.clean for name in self.identity_columns):
            # Known even for a broken row, so that a later row with the same key is still caught.
            row.identity = tuple(row.clean[name] for name in self.identity_columns)

    def parse_more(self, row: Row) -> None:
        """Checks that span several cells."""

    def changes(self, row: Row, current: dict[str, Any], attrs: Iterable[str]) -> dict[str, Any]:
        return {
            attr: row.clean[attr] for attr in attrs if attr in row.clean and current[attr] != row.clean[attr]
        }

    # plan, apply, export -----------------------------------------------------------------

    def plan(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def apply(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def export_rows(self) -> Iterator[list[str]]:
        raise NotImplementedError

    def _company_columns(self) -> list[Column]:
        return [
            Column("key", required=True, attr="key", parse=parse_key),
            Column("name_zh", attr="name_zh", parse=text(255)),
            Column("name_en", attr="name_en", parse=text(255)),
            Column("country", attr="country", parse=country, default="CN"),
            Column("province", attr="province", parse=text(64)),
            Column("city", attr="city", parse=text(64)),
        ]

    def _contact_columns(self) -> list[Column]:
        return [
            Column("contact_name", attr="contact_name", parse=text(128)),
            Column("contact_phone", attr="contact_phone", parse=text(64)),
            Column("contact_email", attr="contact_email", parse=email),
        ]

    def _status_column(self) -> Column:
        return Column("status", attr="status", parse=company_status, default=CompanyStatus.VERIFIED)

    def company_status_extras(self, status: str, current: dict[str, Any] | None) -> dict[str, Any]:
        """Staff import verifies a company, as ``company_verify`` does, without the e-mail."""
        if status == CompanyStatus.VERIFIED and (current is None or current["status"] != status):
            return {"verified_at": self.now, "rejection_reason": ""}
        return {}


COMPANY_CURRENT = ("id", "key", "status", "verified_at", "rejection_reason")


def company_fields(attrs: list[str]) -> list[str]:
    return list(dict.fromkeys([*COMPANY_CURRENT, *attrs]))


class ExhibitorKind(Kind):
    """exhibitors.csv: the company, its Oscar partner, categories, certificates, booths."""

    name = "exhibitors"
    identity_columns = ("key",)
    one_of = (("name_zh", "name_en"),)

    def __init__(self) -> None:
        super().__init__()
        self.folded_keys: dict[str, tuple[str, int]] = {}

    def build_columns(self) -> tuple[Column, ...]:
        return (
            *self._company_columns(),
            Column("categories", parse=self.categories, default=set),
            Column("certifications", parse=self.certifications, default=dict),
            Column("description_zh", attr="description_zh", parse=text()),
            Column("description_en", attr="description_en", parse=text()),
            Column("website", attr="website", parse=website),
            *self._contact_columns(),
            Column("edition"),
            Column("booth"),
            self._status_column(),
        )

    @staticmethod
    def certifications(value: str) -> dict[str, date | None]:
        return certification_pairs(value)

    def parse(self, row: Row) -> None:
        super().parse(row)
        if "status" not in row.values and not row.errors:
            row.clean["status"] = CompanyStatus.VERIFIED  # staff imports verify unless told otherwise
        for name, empty in (("categories", set), ("certifications", dict)):
            if row.values.get(name) == "":
                row.clean[name] = empty()

    def parse_more(self, row: Row) -> None:
        if "edition" in row.values or "booth" in row.values:
            editions: list[int] = []
            for item in split_list(row.values.get("edition", "")):
                try:
                    year = parse_year(item)
                except CellError:
                    row.error("edition", _("'%(value)s' is not a year like 2026.") % {"value": shown(item)})
                    return
                editions.append(year)
            booths = [b.strip() for b in LIST_SEPARATOR.split(row.values.get("booth", ""))]
            while booths and not booths[-1]:
                booths.pop()
            if len(booths) > len(editions):
                row.error(
                    "booth",
                    _(
                        "%(booths)s booths for %(editions)s editions; "
                        "list one edition per booth, in the same order."
                    )
                    % {"booths": len(booths), "editions": len(editions)},
                )
                return
            for booth in booths:
                if len(booth) > 64:
                    row.error("booth", _("Booth '%(value)s' is too long.") % {"value": shown(booth)})
                    return
            booths += [""] * (len(editions) - len(booths))
            row.clean["participations"] = dict(zip(editions, booths, strict=True))
        key = row.clean["key"]
        seen = self.folded_keys.setdefault(key.casefold(), (key, row.number))
        if seen[0] != key:
            row.error(
                "key",
                _(
                    "'%(key)s' differs from '%(other)s' of row %(row)s only in letter case; "
                    "the shop needs them apart."
                )
                % {"key": key, "other": seen[0], "row": seen[1]},
            )

    @staticmethod
    def hall_of(booth: str) -> str:
        """The hall is the booth's prefix: ``A-1021`` is in hall ``A``."""
        prefix, dash, _rest = booth.partition("-")
        return prefix if dash else ""

    @staticmethod
    def partner_name(values: dict[str, Any]) -> str:
        return (values.get("name_zh") or values.get("name_en") or "")[:128]

    def plan(self, rows: list[Row]) -> None:
        keys = [row.identity[0] for row in rows]
        attrs = [c.attr for c in self.columns if c.attr and c.attr != "key"]
        current = {
            e["key"]: e
            for e in Exhibitor.objects.filter(key__in=keys).values(*company_fields(attrs), "partner_id")
        }
        ids = [e["id"] for e in current.values()]
        categories = defaultdict(set)
        certificates = defaultdict(dict)
        participations = defaultdict(dict)
        if ids:
            through = Exhibitor.categories.through.objects.filter(exhibitor_id__in=ids)
            for exhibitor_id, category_id in through.values_list("exhibitor_id", "category_id"):
                categories[exhibitor_id].add(category_id)
            for cert in Certificate.objects.filter(exhibitor_id__in=ids).values(
                "id", "exhibitor_id", "code", "valid_until", "status", "warned_30_at", "warned_7_at"
            ):
                certificates[cert["exhibitor_id"]][cert["code"]] = cert
            for part in Participation.objects.filter(exhibitor_id__in=ids).values(
                "id", "exhibitor_id", "edition", "booth", "hall"
            ):
                participations[part["exhibitor_id"]][part["edition"]] = part
        new_codes = [key.lower() for key in keys if key not in current]
        partners = {
            p["code"]: p
            for p in Partner.objects.filter(code__in=new_codes).values("id", "code", "exhibitor__key")
        }
        for row in rows:
            key = row.identity[0]
            existing = current.get(key)
            if existing is None:
                partner = partners.get(key.lower())
                if partner and partner["exhibitor__key"]:
                    row.error(
                        "key",
                        _("'%(key)s' differs from the existing exhibitor '%(other)s' only in letter case.")
                        % {"key": key, "other": partner["exhibitor__key"]},
                    )
                    continue
                row.plan = {"partner_id": partner["id"] if partner else None}
                row.outcome = CREATED
                continue
            pk = existing["id"]
            changed = self.changes(row, existing, attrs)
            if "status" in changed:
                changed.update(self.company_status_extras(changed["status"], existing))
            plan: dict[str, Any] = {"id": pk, "changed": changed, "current": existing}
            if "categories" in row.clean and row.clean["categories"] != categories[pk]:
                plan["categories"] = row.clean["categories"]
            cert_new, cert_changed = self._certificate_changes(row, certificates[pk])
            if cert_new or cert_changed:
                plan["certificates"] = (cert_new, cert_changed)
            part_new, part_changed = self._participation_changes(row, participations[pk])
            if part_new or part_changed:
                plan["participations"] = (part_new, part_changed)
            if {"name_zh", "name_en"} & changed.keys():
                plan["partner_name"] = self.partner_name({**existing, **changed})
            row.plan = plan
            extra = {"categories", "certificates", "participations"} & plan.keys()
            row.outcome = UPDATED if changed or extra else UNCHANGED

    def _certificate_changes(self, row: Row, held: dict[str, dict]) -> tuple[list, list]:
        new, changed = [], []
        for code, valid_until in row.clean.get("certifications", {}).items():
            status = certificate_status_for(valid_until, today=self.today)
            cert = held.get(code)
            if cert is None:
                new.append((code, valid_until, status))
                continue
            diff = {}
            if cert["valid_until"] != valid_until:
                diff = {"valid_until": valid_until, "warned_30_at": None, "warned_7_at": None}
            if cert["status"] != status:
                diff["status"] = status
            if diff:
                changed.append((cert["id"], diff, cert))
        return new, changed

    def _participation_changes(self, row: Row, held: dict[int, dict]) -> tuple[list, list]:
        new, changed = [], []
        for edition, booth in row.clean.get("participations", {}).items():
            part = held.get(edition)
            if part is None:
                new.append((edition, booth, self.hall_of(booth)))
            elif part["booth"] != booth:
                changed.append((part["id"], {"booth": booth, "hall": self.hall_of(booth)}, part))
        return new, changed

    def apply(self, rows: list[Row]) -> None:
        created = [row for row in rows if row.outcome == CREATED]
        updated = [row for row in rows if row.outcome == UPDATED]
        cert_new: list[dict] = []
        cert_changed: list = []
        part_new: list[dict] = []
        part_changed: list = []
        category_sets: dict[int, set[int]] = {}
        if created:
            needing = [row for row in created if not row.plan["partner_id"]]
            new_partners = insert_rows(
                Partner,
                [{"code": row.identity[0].lower(), "name": self.partner_name(row.clean)} for row in needing],
                returning=True,
            )
            partner_ids = {id(row): pk for row, pk in zip(needing, new_partners, strict=True)}
            plain = [c.attr for c in self.columns if c.attr]
            exhibitors = []
            for row in created:
                values = {attr: row.clean[attr] for attr in plain if attr in row.clean}
                values.update(self.company_status_extras(values["status"], None))
                values["partner_id"] = row.plan["partner_id"] or partner_ids[id(row)]
                exhibitors.append(values)
            ids = insert_rows(Exhibitor, exhibitors, returning=True)
            for row, pk in zip(created, ids, strict=True):
                if row.clean.get("categories"):
                    category_sets[pk] = row.clean["categories"]
                new, _changed = self._certificate_changes(row, {})
                cert_new += [
                    {"exhibitor_id": pk, "code": code, "valid_until": until, "status": status}
                    for code, until, status in new
                ]
                new, _changed = self._participation_changes(row, {})
                part_new += [
                    {"exhibitor_id": pk, "edition": edition, "booth": booth, "hall": hall}
                    for edition, booth, hall in new
                ]
            fresh = set(ids)
        else:
            fresh = set()
        if updated:
            bulk_update_changed(
                Exhibitor,
                [(row.plan["id"], row.plan["changed"], row.plan["current"]) for row in updated],
                stamp="updated_at",
            )
            renamed = [
                Partner(pk=row.plan["current"]["partner_id"], name=row.plan["partner_name"])
                for row in updated
                if "partner_name" in row.plan
            ]
            if renamed:
                Partner.objects.bulk_update(renamed, ["name"], batch_size=UPDATE_BATCH)
            for row in updated:
                pk = row.plan["id"]
                if "categories" in row.plan:
                    category_sets[pk] = row.plan["categories"]
                new, changed = row.plan.get("certificates", ([], []))
                cert_new += [
                    {"exhibitor_id": pk, "code": code, "valid_until": until, "status": status}
                    for code, until, status in new
                ]
                cert_changed += changed
                new, changed = row.plan.get("participations", ([], []))
                part_new += [
                    {"exhibitor_id": pk, "edition": edition, "booth": booth, "hall": hall}
                    for edition, booth, hall in new
                ]
                part_changed += changed
        through = Exhibitor.categories.through
        replaced = [pk for pk in category_sets if pk not in fresh]
        if replaced:
            through.objects.filter(exhibitor_id__in=replaced).delete()
        insert_rows(
            through,
            [
                {"exhibitor_id": pk, "category_id": category_id}
                for pk, category_ids in category_sets.items()
                for category_id in category_ids
            ],
        )
        insert_rows(Certificate, cert_new)
        bulk_update_changed(Certificate, cert_changed)
        insert_rows(Participation, part_new)
        bulk_update_changed(Participation, part_changed)

    def export_rows(self) -> Iterator[list[str]]:
        attrs = [c.attr for c in self.columns if c.attr]
        ids = list(Exhibitor.objects.order_by("key").values_list("id", flat=True))
        for chunk in batched(ids, 2000):
            categories = defaultdict(list)
            through = Exhibitor.categories.through.objects.filter(exhibitor_id__in=chunk)
            for pk, slug in through.order_by("category__path").values_list("exhibitor_id", "category__slug"):
                categories[pk].append(slug)
            certificates = defaultdict(list)
            for pk, code, until in (
                Certificate.objects.filter(exhibitor_id__in=chunk)
                .order_by("code")
                .values_list("exhibitor_id", "code", "valid_until")
            ):
                certificates[pk].append(f"{code}:{until.isoformat()}" if until else code)
            participations = defaultdict(list)
            for pk, edition, booth in (
                Participation.objects.filter(exhibitor_id__in=chunk)
                .order_by("edition")
                .values_list("exhibitor_id", "edition", "booth")
            ):
                participations[pk].append((edition, booth))
            for exhibitor in Exhibitor.objects.filter(id__in=chunk).order_by("key").values("id", *attrs):
                pk = exhibitor["id"]
                booths = [booth for _edition, booth in participations[pk]]
                while booths and not booths[-1]:
                    booths.pop()
                exhibitor.update(
                    categories=categories[pk],
                    certifications=certificates[pk],
                    edition=[edition for edition, _booth in participations[pk]],
                    booth=booths,
                )
                yield [export_cell(exhibitor[name]) for name in self.column_names]


class BuyerKind(Kind):
    """buyers.csv: the company, its interests and what every supplier must hold."""

    name = "buyers"
    identity_columns = ("key",)
    one_of = (("name_zh", "name_en"),)

    def build_columns(self) -> tuple[Column, ...]:
        return (
            *self._company_columns(),
            Column(
                "buyer_type",
                attr="buyer_type",
                parse=choice(BuyerType.values, label=gettext_lazy("buyer type")),
                default=BuyerType.OTHER,
            ),
            Column("interests", parse=self.categories, default=set),
            Column("keywords", attr="keywords", parse=text_list, default=list),
            Column(
                "annual_volume_cny",
                attr="annual_volume_cny",
                parse=decimal(max_digits=16, places=2),
                default=None,
            ),
            Column("target_markets", attr="target_markets", parse=text_list, default=list),
            Column(
                "required_certifications",
                attr="required_certifications",
                parse=certification_list,
                default=list,
            ),
            self._status_column(),
            *self._contact_columns(),
        )

    def parse(self, row: Row) -> None:
        super().parse(row)
        if "status" not in row.values and not row.errors:
            row.clean["status"] = CompanyStatus.VERIFIED
        if row.values.get("interests") == "":
            row.clean["interests"] = set()

    def plan(self, rows: list[Row]) -> None:
        keys = [row.identity[0] for row in rows]
        attrs = [c.attr for c in self.columns if c.attr and c.attr != "key"]
        current = {b["key"]: b for b in Buyer.objects.filter(key__in=keys).values(*company_fields(attrs))}
        interests = defaultdict(set)
        through = Buyer.interests.through.objects.filter(buyer_id__in=[b["id"] for b in current.values()])
        for buyer_id, category_id in through.values_list("buyer_id", "category_id"):
            interests[buyer_id].add(category_id)
        for row in rows:
            existing = current.get(row.identity[0])
            if existing is None:
                row.outcome = CREATED
                continue
            changed = self.changes(row, existing, attrs)
            if "status" in changed:
                changed.update(self.company_status_extras(changed["status"], existing))
            row.plan = {"id": existing["id"], "changed": changed, "current": existing}
            if "interests" in row.clean and row.clean["interests"] != interests[existing["id"]]:
                row.plan["interests"] = row.clean["interests"]
            row.outcome = UPDATED if changed or "interests" in row.plan else UNCHANGED

    def apply(self, rows: list[Row]) -> None:
        created = [row for row in rows if row.outcome == CREATED]
        updated = [row for row in rows if row.outcome == UPDATED]
        interest_sets: dict[int, set[int]] = {}
        fresh: set[int] = set()
        if created:
            plain = [c.attr for c in self.columns if c.attr]
            buyers = []
            for row in created:
                values = {attr: row.clean[attr] for attr in plain if attr in row.clean}
                values.update(self.company_status_extras(values["status"], None))
                buyers.append(values)
            ids = insert_rows(Buyer, buyers, returning=True)
            fresh = set(ids)
            for row, pk in zip(created, ids, strict=True):
                if row.clean.get("interests"):
                    interest_sets[pk] = row.clean["interests"]
        if updated:
            bulk_update_changed(
                Buyer,
                [(row.plan["id"], row.plan["changed"], row.plan["current"]) for row in updated],
                stamp="updated_at",
            )
            for row in updated:
                if "interests" in row.plan:
                    interest_sets[row.plan["id"]] = row.plan["interests"]
        through = Buyer.interests.through
        replaced = [pk for pk in interest_sets if pk not in fresh]
        if replaced:
            through.objects.filter(buyer_id__in=replaced).delete()
        insert_rows(
            through,
            [
                {"buyer_id": pk, "category_id": category_id}
                for pk, category_ids in interest_sets.items()
                for category_id in category_ids
            ],
        )

    def export_rows(self) -> Iterator[list[str]]:
        attrs = [c.attr for c in self.columns if c.attr]
        ids = list(Buyer.objects.order_by("key").values_list("id", flat=True))
        for chunk in batched(ids, 2000):
            interests = defaultdict(list)
            through = Buyer.interests.through.objects.filter(buyer_id__in=chunk)
            for pk, slug in through.order_by("category__path").values_list("buyer_id", "category__slug"):
                interests[pk].append(slug)
            for buyer in Buyer.objects.filter(id__in=chunk).order_by("key").values("id", *attrs):
                buyer["interests"] = interests[buyer["id"]]
                yield [export_cell(buyer[name]) for name in self.column_names]


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
            Column("certifications", attr="claims", parse=certification_pairs, default=dict),
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
                    "certifications": [
                        f"{code}:{ends[code]}" if code in ends else code
                        for ends in [product["certification_expiry"] or {}]
                        for code in product["certifications"] or []
                    ],
                }
                yield [export_cell(values[name]) for name in self.column_names]


class RequestKind(Kind):
    """sourcing_requests.csv: a buyer's request, identified by buyer and reference."""

    name = "requests"
    identity_columns = ("buyer_key", "reference")

    def __init__(self) -> None:
        super().__init__()
        self.buyers: dict[str, int | None] = {}

    def build_columns(self) -> tuple[Column, ...]:
        return (
            Column("buyer_key", required=True, attr="buyer_key", parse=parse_key),
            Column("reference", required=True, attr="reference", parse=parse_key),
            Column("title", required=True, attr="title", parse=text(255)),
            Column("category", attr="category_id", parse=self.category, default=None),
            Column("description", attr="description", parse=text()),
            Column("quantity", attr="quantity", parse=decimal(max_digits=14, places=2), default=None),
            Column("unit", attr="unit", parse=text(32)),
            Column("target_price", attr="target_price", parse=decimal(max_digits=12, places=2), default=None),
            Column("currency", attr="currency", parse=currency, default="CNY"),
            Column("delivery_region", attr="delivery_region", parse=text(128)),
            Column("deliver_by", attr="deliver_by", parse=parse_date, default=None),
            Column(
                "required_certifications",
                attr="required_certifications",
                parse=certification_list,
                default=list,
            ),
            Column(
                "storage", attr="storage", parse=choice(Storage.values, label=gettext_lazy("storage code"))
            ),
            Column(
                "status",
                attr="status",
                parse=choice(RequestStatus.values, label=gettext_lazy("request status")),
                default=RequestStatus.OPEN,
            ),
        )

    def attrs(self) -> list[str]:
        return [c.attr for c in self.columns if c.attr and c.name not in self.identity_columns]

    def plan(self, rows: list[Row]) -> None:
        missing = {row.clean["buyer_key"] for row in rows} - self.buyers.keys()
        if missing:
            found = dict(Buyer.objects.filter(key__in=missing).values_list("key", "id"))
            self.buyers.update({key: found.get(key) for key in missing})
        known = []
        for row in rows:
            buyer_id = self.buyers[row.clean["buyer_key"]]
            if buyer_id is None:
                row.error(
                    "buyer_key",
                    _("No buyer has the key '%(key)s'; import the buyers first.")
                    % {"key": row.clean["buyer_key"]},
                )
                continue
            row.plan = {"buyer_id": buyer_id}
            known.append(row)
        attrs = self.attrs()
        current = {
            (r["buyer_id"], r["reference"]): r
            for r in SourcingRequest.objects.filter(
                buyer_id__in={row.plan["buyer_id"] for row in known},
                reference__in={row.clean["reference"] for row in known},
            ).values("id", "buyer_id", "reference", *attrs)
        }
        for row in known:
            existing = current.get((row.plan["buyer_id"], row.clean["reference"]))
            if existing is None:
                row.outcome = CREATED
                continue
            changed = self.changes(row, existing, attrs)
            row.plan.update(id=existing["id"], changed=changed, current=existing)
            row.outcome = UPDATED if changed else UNCHANGED

    def apply(self, rows: list[Row]) -> None:
        attrs = self.attrs()
        insert_rows(
            SourcingRequest,
            [
                {
                    "buyer_id": row.plan["buyer_id"],
                    "reference": row.clean["reference"],
                    **{attr: row.clean[attr] for attr in attrs if attr in row.clean},
                }
                for row in rows
                if row.outcome == CREATED
            ],
        )
        bulk_update_changed(
            SourcingRequest,
            [
                (row.plan["id"], row.plan["changed"], row.plan["current"])
                for row in rows
                if row.outcome == UPDATED
            ],
            stamp="updated_at",
        )

    def export_rows(self) -> Iterator[list[str]]:
        attrs = self.attrs()
        ids = list(SourcingRequest.objects.order_by("buyer__key", "reference").values_list("id", flat=True))
        for chunk in batched(ids, 2000):
            for request in (
                SourcingRequest.objects.filter(id__in=chunk)
                .order_by("buyer__key", "reference")
                .values("buyer__key", "reference", "category__slug", *attrs)
            ):
                request.update(buyer_key=request["buyer__key"], category=request["category__slug"])
                yield [export_cell(request[name]) for name in self.column_names]


KINDS: dict[str, type[Kind]] = {
    kind.name: kind for kind in (ExhibitorKind, ProductKind, BuyerKind, RequestKind)
}
