"""What the four staff spreadsheet kinds share: rows, columns and the :class:`Kind` steps.

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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from exhibitors.models import CompanyStatus

from ..cells import (
    CellError,
    Parser,
    company_status,
    country,
    email,
    narrow,
    parse_key,
    shown,
    split_codes,
    text,
)

Category = get_model("catalogue", "Category")

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
