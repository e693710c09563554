"""Import and export of the staff spreadsheets; the one entry point for commands and admin views.

An import reads the file in batches: every row of a batch is parsed and checked in Python,
the batch is compared with the database in a few queries, and only then are the good rows
written in bulk. A bad row is therefore never half-written, and it never stops the others.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import unicodedata
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import DataError, IntegrityError, reset_queries, transaction
from django.utils.translation import gettext as _

from .cells import shown
from .kinds import CREATED, KINDS, UNCHANGED, UPDATED, Kind, Row
from .reader import ImportFileError, Sheet, Source, open_sheet, text_stream

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
FORMATS = ("csv", "xlsx")

Progress = Callable[[int, int | None], None]
"""Called after each batch with the rows read so far and the estimated total (or None)."""


@dataclass(frozen=True)
class RowMessage:
    """An error or a warning about one cell (or the header, row 1, or the whole file, row None)."""

    row: int | None
    column: str | None
    message: str
    value: str | None = None

    def __str__(self) -> str:
        parts = [
            f"row {self.row}" if self.row else "",
            f"column {self.column}" if self.column else "",
            f"value '{shown(self.value)}'" if self.value else "",
        ]
        where = ", ".join(part for part in parts if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowMessage] = field(default_factory=list)
    warnings: list[RowMessage] = field(default_factory=list)
    dry_run: bool = False
    atomic: bool = False
    rolled_back: bool = False
    not_written: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """The contract's last line of an import, in English whatever the language."""
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )

    @property
    def headline(self) -> str | None:
        """One line first when no row could be imported, so that the cause is not lost in the list."""
        if not self.rejected or self.created or self.updated or self.unchanged or self.not_written:
            return None
        first = f"; first: {self.errors[0]}" if self.errors else ""
        return f"No row could be imported: all {self.rejected} rows have errors{first}"

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected + sum(self.not_written.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "summary": self.summary,
            "headline": self.headline,
            "dry_run": self.dry_run,
            "atomic": self.atomic,
            "rolled_back": self.rolled_back,
            "not_written": self.not_written,
            "errors": [vars(e) for e in self.errors],
            "warnings": [vars(w) for w in self.warnings],
        }


def kind_class(kind: str) -> type[Kind]:
    try:
        return KINDS[kind]
    except KeyError:
        raise ImportFileError(
            _("Unknown kind '%(kind)s'; use one of: %(kinds)s.") % {"kind": kind, "kinds": ", ".join(KINDS)}
        ) from None


def _header_name(cell: str) -> str:
    """A column name in any case or width, with spaces or ``-`` for ``_``: ``Exhibitor Key``."""
    name = unicodedata.normalize("NFKC", cell.replace("\ufeff", "")).strip().lower()
    return re.sub(r"[\s\-]+", "_", name)


def check_header(kind: Kind, header: list[str]) -> tuple[dict[str, int], list[RowMessage]]:
    """Column positions by name; a missing required column stops the import before any row."""
    positions: dict[str, int] = {}
    extra: list[str] = []
    for index, cell in enumerate(header):
        name = _header_name(cell)
        if not name:
            continue
        if name in positions:
            raise ImportFileError(
                _("The column '%(column)s' appears twice in the header row.") % {"column": name}
            )
        if name in kind.column_names:
            positions[name] = index
        else:
            extra.append(cell.strip())
    missing = [column.name for column in kind.columns if column.required and column.name not in positions]
    if missing:
        raise ImportFileError(
            _("Missing required column: %(columns)s (the header row has: %(header)s).")
            % {"columns": ", ".join(missing), "header": ", ".join(c for c in header if c) or "-"}
        )
    for group in kind.one_of:
        if not any(name in positions for name in group):
            raise ImportFileError(
                _("Missing required column: %(columns)s (at least one of them).")
                % {"columns": " or ".join(group)}
            )
    warnings = []
    if extra:
        warnings.append(
            RowMessage(
                1,
                None,
                _("Ignored columns that the %(kind)s format does not have: %(columns)s.")
                % {"kind": kind.name, "columns": ", ".join(extra)},
            )
        )
    return positions, warnings


def import_file(
    kind: str,
    source: Source,
    *,
    atomic: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    only: tuple[str, str] | None = None,
) -> ImportReport:
    """Import one spreadsheet of ``kind`` (exhibitors, products, buyers, requests).

    Raises :class:`ImportFileError` when the file as a whole is unusable (nothing is
    written then). Otherwise every row ends up created, updated, unchanged or rejected.
    ``atomic``: one rejected row rolls back the whole file. ``dry_run``: nothing is written,
    the report says what would happen. Idempotent: the same file twice leaves everything
    unchanged the second time. ``only`` = (column, value) rejects every row whose column
    holds another value (an exhibitor uploading products may touch only its own).
    """
    spec_class = kind_class(kind)
    report = ImportReport(kind=kind, dry_run=dry_run, atomic=atomic)
    with open_sheet(source) as sheet:
        spec = spec_class()
        positions, warnings = check_header(spec, sheet.header)
        report.warnings.extend(warnings)
        with transaction.atomic() if atomic else nullcontext():
            _import_rows(spec, sheet, positions, report, dry_run=dry_run, progress=progress, only=only)
            if atomic and report.rejected and not dry_run:
                transaction.set_rollback(True)
                report.rolled_back = True
                report.not_written = {
                    CREATED: report.created,
                    UPDATED: report.updated,
                    UNCHANGED: report.unchanged,
                }
                report.created = report.updated = report.unchanged = 0
    if not dry_run:
        _queue_indexing_done()
    report.errors.sort(key=lambda m: m.row or 0)
    report.warnings.sort(key=lambda m: m.row or 0)
    return report


def _import_rows(
    spec: Kind,
    sheet: Sheet,
    positions: dict[str, int],
    report: ImportReport,
    *,
    dry_run: bool,
    progress: Progress | None,
    only: tuple[str, str] | None = None,
) -> None:
    first_rows: dict[Any, int] = {}
    identity_label = " + ".join(spec.identity_columns)
    batch: list[Row] = []
    read = 0
    for number, cells in sheet.rows:
        read += 1
        if not any(cells):
            continue  # blank lines between blocks are common in staff sheets
        values = {name: (cells[index] if index < len(cells) else "") for name, index in positions.items()}
        row = Row(number=number, values=values)
        spec.parse(row)
        if only is not None and not row.errors and row.clean.get(only[0]) != only[1]:
            row.error(only[0], _("Only rows of %(value)s can be imported here.") % {"value": only[1]})
        if row.identity is not None:
            first = first_rows.setdefault(row.identity, number)
            if first != number:
                row.error(
                    spec.identity_columns[-1],
                    _("Duplicate: row %(row)s has the same %(columns)s; only the first one is imported.")
                    % {"row": first, "columns": identity_label},
                )
        batch.append(row)
        if len(batch) >= BATCH_SIZE:
            _process(spec, batch, report, dry_run=dry_run)
            batch = []
            if progress:
                progress(read, sheet.estimated_rows)
    _process(spec, batch, report, dry_run=dry_run)
    if progress:
        progress(read, read)


def _process(spec: Kind, batch: list[Row], report: ImportReport, *, dry_run: bool) -> None:
    good = [row for row in batch if not row.errors]
    if good:
        spec.plan(good)
    if not dry_run:
        writes = [row for row in good if not row.errors and row.outcome in (CREATED, UPDATED)]
        if writes:
            _apply(spec, writes)
            _queue_indexing(spec, [row for row in writes if not row.errors])
    for row in batch:
        report.warnings.extend(RowMessage(row.number, column, message) for column, message in row.warnings)
        if row.errors:
            report.rejected += 1
            report.errors.extend(
                RowMessage(row.number, column, message, row.values.get(column))
                for column, message in row.errors
            )
        elif row.outcome == CREATED:
            report.created += 1
        elif row.outcome == UPDATED:
            report.updated += 1
        else:
            report.unchanged += 1
    # With DEBUG on, Django keeps every query's SQL; bulk statements would pile up in memory.
    reset_queries()


def _queue_indexing(spec: Kind, rows: list[Row]) -> None:
    """Bulk writes send no model signals: tell search what this batch wrote (indexed after commit)."""
    from search.indexing import mark_imported

    mark_imported(spec.name, [row.identity for row in rows])


def _queue_indexing_done() -> None:
    from search.indexing import drain_after_commit

    drain_after_commit()


def _apply(spec: Kind, rows: list[Row]) -> None:
    """Write a batch at once; if the database refuses it, write row by row to find the culprit."""
    try:
        with transaction.atomic():
            spec.apply(rows)
        return
    except (IntegrityError, DataError):
        logger.warning("bulk %s import refused; retrying row by row", spec.name, exc_info=True)
    for row in rows:
        try:
            with transaction.atomic():
                spec.apply([row])
        except (IntegrityError, DataError) as exc:
            row.error(
                spec.identity_columns[-1],
                _("The database refused this row: %(reason)s") % {"reason": str(exc).strip()},
            )


def export_format(target: str | os.PathLike | IO[bytes], fmt: str | None = None) -> str:
    """``csv`` or ``xlsx``, from ``fmt`` or else the target's suffix."""
    if fmt is None:
        name = os.fspath(target) if isinstance(target, str | os.PathLike) else getattr(target, "name", "")
        fmt = Path(str(name)).suffix.lstrip(".")
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ImportFileError(
            _("Export to .csv or .xlsx; '%(format)s' is not supported.") % {"format": fmt or _("no suffix")}
        )
    return fmt


def export_file(kind: str, target: str | os.PathLike | IO[bytes], fmt: str | None = None) -> int:
    """Write every record of ``kind`` in the import format (all columns, in the contract's order).

    ``target`` is a path or a binary stream. A CSV is UTF-8 with a BOM so Excel opens it
    right; re-importing an export changes nothing. Returns the number of rows written.
    """
    fmt = export_format(target, fmt)
    spec = kind_class(kind)()
    if fmt == "csv":
        return _export_csv(spec, target)
    return _export_xlsx(spec, target)


def _export_csv(spec: Kind, target: str | os.PathLike | IO[bytes]) -> int:
    count = 0
    if isinstance(target, str | os.PathLike):
        stream = open(target, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
        close = stream.close
    else:
        stream = text_stream(target)
        close = stream.detach  # the caller owns the binary stream
    try:
        writer = csv.writer(stream)
        writer.writerow(spec.column_names)
        for values in spec.export_rows():
            writer.writerow(values)
            count += 1
        stream.flush()
    finally:
        close()
    return count


def _export_xlsx(spec: Kind, target: str | os.PathLike | IO[bytes]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=spec.name)
    sheet.append(spec.column_names)
    count = 0
    for values in spec.export_rows():
        cells = []
        for value in values:
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text, never a formula
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    workbook.save(target)
    return count
