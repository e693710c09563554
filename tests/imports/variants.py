"""Spreadsheets written the many ways staff write them, generated from the samples.

Every variant is the same data in another form the formats allow: expiry on every
certification code, codes in any case or width, full-width separators, padded values,
other date forms, BOM-UTF-8, GBK, GB18030, XLSX, optional columns left out, columns in
another order, header names in another case. ``dump`` gives a normalized view of what an
import stored, so that a variant can be compared with the plain sample.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from oscar.core.loading import get_model

from buyers.models import Buyer, SourcingRequest
from catalogue.claims import claim_end, earlier
from catalogue.models import ProductPriceTier
from exhibitors.models import Certificate, Exhibitor, Participation

from .conftest import ORDER, as_xlsx, read_rows, sample, write_csv

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

Rows = list[list[str]]
CERT_COLUMNS = {"certifications", "required_certifications"}
CODE_COLUMNS = CERT_COLUMNS | {"categories", "interests"}
LIST_COLUMNS = CODE_COLUMNS | {"price_tiers", "keywords", "target_markets", "edition", "booth"}
CHOICE_COLUMNS = {"storage", "buyer_type", "status", "currency", "sample_available", "country"}
REQUIRED = {
    "exhibitors": {"key", "name_zh", "name_en"},
    "products": {"exhibitor_key", "sku", "title_zh", "title_en", "category", "price"},
    "buyers": {"key", "name_zh", "name_en"},
    "requests": {"buyer_key", "reference", "title"},
}
# Left out in the "dropped" variant: optional columns whose absence on a fresh import is
# the same as an empty cell.
DROPPED = {
    "exhibitors": ["website", "description_zh", "contact_email"],
    "products": ["description_en", "price_tiers", "origin", "currency"],
    "buyers": ["keywords", "contact_phone", "annual_volume_cny"],
    "requests": ["description", "deliver_by", "currency"],
}


def _cells(rows: Rows, columns: set[str], change: Callable[[str, str, int], str]) -> Rows:
    header = rows[0]
    out = [list(header)]
    for number, row in enumerate(rows[1:]):
        out.append(
            [
                change(name, cell, number) if name in columns and cell else cell
                for name, cell in zip(header, row, strict=True)
            ]
        )
    return out


def _items(cell: str) -> list[str]:
    return [item for item in cell.split(";") if item]


def expiry_on_every_code(rows: Rows, kind: str, *, today: dt.date) -> Rows:
    """Give every certification code without a date one (later than today, so still valid)."""
    days = {"exhibitors": 900, "products": 700, "buyers": 800, "requests": 600}[kind]

    def add(name: str, cell: str, number: int) -> str:
        out = []
        for index, item in enumerate(_items(cell)):
            if ":" in item:
                out.append(item)
            else:
                until = today + dt.timedelta(days=days + 31 * index + number)
                out.append(f"{item}:{until.isoformat()}")
        return ";".join(out)

    return _cells(rows, CERT_COLUMNS, add)


DATE_FORMS: list[Callable[[dt.date], str]] = [
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
]


def other_date_forms(rows: Rows, kind: str) -> Rows:
    """Dates in certification cells and ``deliver_by`` as 2028/6/30, 2028.06.30, 20280630, 2028年6月30日."""

    def redate(text: str, turn: int) -> str:
        return DATE_FORMS[turn % len(DATE_FORMS)](dt.date.fromisoformat(text))

    def change(name: str, cell: str, number: int) -> str:
        if name == "deliver_by":
            return redate(cell, number)
        out = []
        for index, item in enumerate(_items(cell)):
            code, colon, until = item.partition(":")
            out.append(f"{code}:{redate(until, number + index)}" if colon else code)
        return ";".join(out)

    return _cells(rows, CERT_COLUMNS | {"deliver_by"}, change)


def _case(turn: int) -> Callable[[str], str]:
    return [
        str.lower,
        str.upper,
        lambda s: "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(s)),
    ][turn % 3]


def codes_in_case(rows: Rows, kind: str, *, style: str) -> Rows:
    """Codes, slugs and choices lower, upper or mixed case (dates are left alone)."""
    change_case = {"lower": str.lower, "upper": str.upper, "mixed": _case(2)}[style]

    def change(name: str, cell: str, number: int) -> str:
        return change_case(cell)

    return _cells(rows, CODE_COLUMNS | CHOICE_COLUMNS, change)


def full_width(rows: Rows, kind: str) -> Rows:
    """Full-width separators (；，、：) in code cells, ``；`` in other lists, full-width code letters."""
    separators = ["；", "，", "、", ",", "; "]

    def wide(text: str) -> str:
        return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)

    def change(name: str, cell: str, number: int) -> str:
        if name in CERT_COLUMNS:
            items = [wide(item).replace(":", "：") for item in _items(cell)]
            return separators[number % len(separators)].join(items)
        if name in CODE_COLUMNS:
            return separators[(number + 1) % len(separators)].join(_items(cell))
        if name == "price_tiers":
            return "；".join(item.replace(":", "：") for item in _items(cell))
        return cell.replace(";", "；")

    return _cells(rows, LIST_COLUMNS, change)


def padded(rows: Rows, kind: str) -> Rows:
    """Spaces (ASCII and the ideographic U+3000) around every value and every list item."""

    def change(name: str, cell: str, number: int) -> str:
        if name in LIST_COLUMNS:
            cell = " ; ".join(
                " : ".join(part.strip() for part in item.split(":")) for item in cell.split(";")
            )
        return ("\u3000 " if number % 2 else "  ") + cell + (" \u3000" if number % 2 else " ")

    return _cells(rows, set(rows[0]), change)


def shuffled(rows: Rows, kind: str) -> Rows:
    """Columns in another order (reversed, then the first two swapped)."""
    order = list(reversed(range(len(rows[0]))))
    order[0], order[1] = order[1], order[0]
    return [[row[i] if i < len(row) else "" for i in order] for row in rows]


def header_case(rows: Rows, kind: str) -> Rows:
    """Header names upper case, title case with spaces, or with dashes, in turn."""
    forms = [str.upper, lambda n: n.replace("_", " ").title(), lambda n: " " + n.replace("_", "-") + " "]
    return [[forms[i % 3](name) for i, name in enumerate(rows[0])], *rows[1:]]


def dropped(rows: Rows, kind: str) -> Rows:
    """Optional columns left out."""
    keep = [i for i, name in enumerate(rows[0]) if name not in DROPPED[kind]]
    return [[row[i] for i in keep] for row in rows]


def blanked(rows: Rows, kind: str) -> Rows:
    """What ``dropped`` should import as: the same columns, empty."""
    gone = {i for i, name in enumerate(rows[0]) if name in DROPPED[kind]}
    return [rows[0], *[["" if i in gone else cell for i, cell in enumerate(row)] for row in rows[1:]]]


# --- writing files ---------------------------------------------------------------------------


def write(rows: Rows, path: Path, encoding: str) -> Path:
    if encoding == "xlsx":
        plain = write_csv(path.with_suffix(".src.csv"), rows)
        return as_xlsx(plain, path.with_suffix(".xlsx"), typed=True)
    if encoding == "utf-8-bom":
        return write_csv(path, rows, encoding="utf-8-sig")
    return write_csv(path, rows, encoding=encoding)


def base_rows(kind: str, *, today: dt.date, expiry: bool) -> Rows:
    name = dict(ORDER)[kind]
    rows = read_rows(sample(name))
    return expiry_on_every_code(rows, kind, today=today) if expiry else rows


# (name, uses the expiry base, change of the rows, encoding, change of the reference rows)
VARIANTS: list[tuple[str, bool, Callable[[Rows, str], Rows], str, Callable[[Rows, str], Rows] | None]] = [
    ("plain", False, lambda r, k: r, "utf-8", None),
    ("expiry-on-every-code", True, lambda r, k: r, "utf-8", None),
    ("expiry-date-forms", True, other_date_forms, "utf-8", None),
    ("codes-lower", True, lambda r, k: codes_in_case(r, k, style="lower"), "utf-8", None),
    ("codes-upper", True, lambda r, k: codes_in_case(r, k, style="upper"), "utf-8", None),
    ("codes-mixed", True, lambda r, k: codes_in_case(r, k, style="mixed"), "utf-8", None),
    ("full-width-separators", True, full_width, "utf-8", None),
    ("padded-spaces", True, padded, "utf-8", None),
    ("bom-utf8", True, lambda r, k: r, "utf-8-bom", None),
    ("gbk", True, lambda r, k: r, "gbk", None),
    ("gb18030-full-width", True, full_width, "gb18030", None),
    ("xlsx", True, lambda r, k: r, "xlsx", None),
    ("xlsx-date-forms-padded", True, lambda r, k: padded(other_date_forms(r, k), k), "xlsx", None),
    ("columns-shuffled", True, shuffled, "utf-8", None),
    ("header-case", True, header_case, "utf-8", None),
    ("optional-columns-dropped", True, dropped, "utf-8", blanked),
    (
        "everything-at-once",
        True,
        lambda r, k: header_case(
            shuffled(padded(full_width(codes_in_case(other_date_forms(r, k), k, style="mixed"), k), k), k), k
        ),
        "gb18030",
        None,
    ),
]


def files(
    variant: str, directory: Path, *, today: dt.date, reference: bool = False
) -> list[tuple[str, Path]]:
    """The four files of ``variant`` in import order (``reference``: the plain form to compare with)."""
    _name, expiry, change, encoding, reference_change = next(v for v in VARIANTS if v[0] == variant)
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for kind, name in ORDER:
        rows = base_rows(kind, today=today, expiry=expiry)
        if reference:
            rows, encoding_used = (reference_change or (lambda r, k: r))(rows, kind), "utf-8"
        else:
            rows, encoding_used = change(rows, kind), encoding
        out.append((kind, write(rows, directory / name, encoding_used)))
    return out


# --- what an import stored -------------------------------------------------------------------


def dump() -> dict[str, list]:
    """Every imported record as plain, comparable values."""
    exhibitors = []
    for e in Exhibitor.objects.order_by("key").prefetch_related("categories"):
        exhibitors.append(
            (
                e.key,
                e.name_zh,
                e.name_en,
                e.country,
                e.province,
                e.city,
                e.description_zh,
                e.description_en,
                e.website,
                e.contact_name,
                e.contact_phone,
                e.contact_email,
                e.status,
                sorted(c.slug for c in e.categories.all()),
                sorted(Certificate.objects.filter(exhibitor=e).values_list("code", "valid_until", "status")),
                sorted(Participation.objects.filter(exhibitor=e).values_list("edition", "booth", "hall")),
            )
        )
    held = {
        (key, code): until
        for key, code, until in Certificate.objects.values_list("exhibitor__key", "code", "valid_until")
    }
    products = []
    for record in StockRecord.objects.select_related("product", "partner__exhibitor").order_by(
        "partner__exhibitor__key", "partner_sku"
    ):
        p = record.product
        key = record.partner.exhibitor.key
        products.append(
            (
                key,
                record.partner_sku,
                p.title,
                p.title_en,
                sorted(c.slug for c in p.categories.all()),
                p.description,
                p.description_en,
                record.price,
                record.price_currency,
                record.num_in_stock,
                p.unit,
                p.moq,
                list(ProductPriceTier.objects.filter(product=p).values_list("min_quantity", "unit_price")),
                p.shelf_life_days,
                p.storage,
                p.origin,
                p.net_content,
                p.sample_available,
                sorted(p.certifications),
                # the claim as the catalogue sees it: it ends at the earlier of the two dates
                sorted(
                    (code, earlier(claim_end(p.certification_expiry, code), held.get((key, code))))
                    for code in p.certifications
                ),
            )
        )
    buyers = [
        (
            b.key,
            b.name_zh,
            b.name_en,
            b.country,
            b.province,
            b.city,
            b.buyer_type,
            sorted(c.slug for c in b.interests.all()),
            b.keywords,
            b.annual_volume_cny,
            b.target_markets,
            sorted(b.required_certifications),
            b.status,
            b.contact_name,
            b.contact_phone,
            b.contact_email,
        )
        for b in Buyer.objects.order_by("key").prefetch_related("interests")
    ]
    requests = list(
        SourcingRequest.objects.order_by("buyer__key", "reference").values_list(
            "buyer__key",
            "reference",
            "title",
            "category__slug",
            "description",
            "quantity",
            "unit",
            "target_price",
            "currency",
            "delivery_region",
            "deliver_by",
            "required_certifications",
            "storage",
            "status",
        )
    )
    return {"exhibitors": exhibitors, "products": products, "buyers": buyers, "requests": requests}
