"""Reading staff spreadsheets: CSV (UTF-8 or GB18030/GBK) or XLSX, header row first.

Rows come out lazily as ``(row_number, cells)`` with the spreadsheet's own numbering
(the header is row 1), so that an error names the row a person sees in Excel. A CSV
is decoded whole (at most 50 MB) because the encoding can only be told from all of it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 50 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 binary .xls format


class ImportFileError(Exception):
    """The file as a whole cannot be read: too large, wrong encoding, not a spreadsheet."""


@dataclass
class Sheet:
    """A spreadsheet opened for reading: its header and a lazy iterator over its rows."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    estimated_rows: int | None = None
    _closers: list = field(default_factory=list)

    def close(self) -> None:
        for closer in self._closers:
            closer()
        self._closers.clear()

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


Source = str | os.PathLike | IO[bytes]


def source_name(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return getattr(source, "name", "") or ""


def _too_large(size: int) -> ImportFileError:
    return ImportFileError(too_large_message(size))


def too_large_message(size: int) -> str:
    return _("The file is too large: %(size)s bytes, the limit is %(limit)s MB.") % {
        "size": size,
        "limit": MAX_FILE_BYTES // 1024 // 1024,
    }


def _size_of(stream: IO[bytes]) -> int:
    size = getattr(stream, "size", None)
    if isinstance(size, int):
        return size
    position = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


def open_sheet(source: Source) -> Sheet:
    """Open a path or an uploaded file; raises :class:`ImportFileError` for an unusable file.

    The format is told from the first bytes, not the name, because staff rename files.
    """
    closers = []
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise ImportFileError(_("File not found: %(path)s") % {"path": path})
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_large(size)
        try:
            stream = path.open("rb")
        except OSError as exc:
            raise ImportFileError(
                _("The file cannot be read: %(reason)s") % {"reason": exc.strerror}
            ) from exc
        closers.append(stream.close)
    else:
        stream = source
        size = _size_of(stream)
        if size > MAX_FILE_BYTES:
            raise _too_large(size)
        stream.seek(0)
    try:
        head = stream.read(8)
        stream.seek(0)
        if head.startswith(ZIP_MAGIC):
            sheet = _open_xlsx(stream)
        elif head.startswith(OLE_MAGIC):
            raise ImportFileError(
                _("This is an old Excel .xls file; save it as .xlsx or as CSV (UTF-8) and try again.")
            )
        else:
            sheet = _open_csv(stream.read())
    except BaseException:
        for closer in closers:
            closer()
        raise
    sheet._closers.extend(closers)
    return sheet


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, which also covers GBK and GB2312."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:  # UTF-16 and binary files decode "successfully" into NULs
            return text
        break
    raise ImportFileError(
        _(
            "The file cannot be read as text: it is neither UTF-8 nor GB18030/GBK (UTF-16 and "
            "binary files are not accepted). Save it from Excel as “CSV UTF-8” or as .xlsx."
        )
    )


def _lines(text: str) -> Iterator[str]:
    """The text's lines without copying it whole (``splitlines`` would double the memory)."""
    start, length = 0, len(text)
    while start < length:
        end = text.find("\n", start)
        if end == -1:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _open_csv(data: bytes) -> Sheet:
    if not data.strip():
        raise ImportFileError(_("The file is empty: the first row must name the columns."))
    text = decode_text(data)
    del data
    reader = csv.reader(_lines(text))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportFileError(_("The header row cannot be read: %(reason)s") % {"reason": exc}) from exc
    if header is None:
        raise ImportFileError(_("The file is empty: the first row must name the columns."))

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(
                    _("Row %(row)s cannot be read as CSV: %(reason)s") % {"row": number + 1, "reason": exc}
                ) from exc
            number += 1
            yield number, [cell.strip() for cell in cells]

    return Sheet(header=header, rows=rows(), estimated_rows=max(text.count("\n") - 1, 0))


def cell_text(value: Any) -> str:
    """A typed XLSX cell as the text a person would have typed into a CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _open_xlsx(stream: IO[bytes]) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            _("The file is not a readable XLSX workbook (%(reason)s).") % {"reason": exc}
        ) from exc
    if not workbook.worksheets:
        workbook.close()
        raise ImportFileError(_("The workbook has no sheet."))
    worksheet = workbook.worksheets[0]
    values = worksheet.iter_rows(values_only=True)
    first = next(values, None)
    if first is None:
        workbook.close()
        raise ImportFileError(_("The file is empty: the first row must name the columns."))
    header = [cell_text(value) for value in first]

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(values, start=2):
            yield number, [cell_text(value) for value in row]

    estimated = (worksheet.max_row - 1) if worksheet.max_row else None
    return Sheet(header=header, rows=rows(), estimated_rows=estimated, _closers=[workbook.close])


def text_stream(binary: IO[bytes]) -> io.TextIOWrapper:
    """CSV output for Excel: UTF-8 with a BOM, so Chinese Excel does not guess GBK."""
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
