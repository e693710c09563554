"""Cell parsers of the staff spreadsheet formats: one function per kind of cell.

Each parser takes the cell's text (already stripped) and returns a clean value or raises
:class:`CellError` with a message for staff. Codes and dates are read generously, the way
people type them into Chinese and English Excel: any letter case, full-width letters,
digits and separators (``；，、：`` and the ideographic space), spaces around values, and
dates as ``2028-06-30``, ``2028/6/30``, ``2028.06.30``, ``20280630`` or ``2028年6月30日``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.countries import is_country
from config.currencies import is_supported, supported_currencies
from exhibitors.codes import CERTIFICATION_CODES
from exhibitors.models import CompanyStatus


class CellError(ValueError):
    """A cell that breaks the format; the message is shown to staff as it is."""


Parser = Callable[[str], Any]

KEY_PATTERN = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
LIST_SEPARATOR = re.compile(r"[;；]")
CODE_LIST_SEPARATOR = re.compile(r"[;,、]")  # after NFKC: ；→; and ，→,
CODE_SEPARATOR = re.compile(r"[:：]")
DECIMAL_PATTERN = re.compile(r"\d+(?:\.\d*)?|\.\d+")
INTEGER_PATTERN = re.compile(r"\d+")
DATE_PATTERNS = (
    re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[ T]0{1,2}:00(?::00)?)?"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
DATE_START = re.compile(r"\d{4}")
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "是", "有"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "否", "无"})
MAX_INT = 2_147_483_647


def shown(value: str) -> str:
    """A cell value short enough to quote in a message."""
    return value if len(value) <= 40 else value[:37] + "..."


def narrow(value: str) -> str:
    """Full-width letters, digits, punctuation and spaces as their ASCII forms (NFKC), stripped."""
    return unicodedata.normalize("NFKC", value).strip()


def fold_code(value: str) -> str:
    """A code as compared: any case and width, without spaces, ``-`` or ``_`` (``iso 22000``)."""
    return re.sub(r"[\s_\-]+", "", narrow(value)).casefold()


def parse_key(value: str) -> str:
    if not KEY_PATTERN.fullmatch(value):
        raise CellError(
            _(
                "'%(value)s' is not a valid key: use 1-64 letters, digits, '-', '_' or '.' "
                "(no '/', no spaces)."
            )
            % {"value": shown(value)}
        )
    return value


def split_list(value: str) -> list[str]:
    """A list cell: items separated by ``;`` or a full-width ``；``, blanks and repeats dropped."""
    items: list[str] = []
    for item in LIST_SEPARATOR.split(value):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return items


def split_codes(value: str) -> list[str]:
    """A list of codes or slugs: also ``,`` and ``、`` separate them (codes hold neither)."""
    items: list[str] = []
    for item in CODE_LIST_SEPARATOR.split(narrow(value)):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return items


def text(max_length: int | None = None) -> Parser:
    def parse(value: str) -> str:
        if max_length and len(value) > max_length:
            raise CellError(
                _("Too long: %(length)s characters, at most %(max)s are allowed.")
                % {"length": len(value), "max": max_length}
            )
        return value

    return parse


def text_list(value: str) -> list[str]:
    return split_list(value)


def choice(values: Iterable[str], *, label: str) -> Parser:
    """A code from a fixed list, in any case and width; stored in the list's own spelling.

    ``label`` should be lazy: it is translated only for an error, not for every cell.
    """
    listed = list(values)
    by_folded = {fold_code(v): v for v in listed}

    def parse(value: str) -> str:
        try:
            return by_folded[fold_code(value)]
        except KeyError:
            raise CellError(
                _("Unknown %(label)s '%(value)s'; use one of: %(choices)s.")
                % {"label": label, "value": shown(value), "choices": ", ".join(listed)}
            ) from None

    parse.knows = lambda value: fold_code(value) in by_folded  # type: ignore[attr-defined]
    return parse


certification_code = choice(sorted(CERTIFICATION_CODES), label=gettext_lazy("certification code"))


def parse_date(value: str) -> date:
    narrowed = narrow(value)
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(narrowed)
        if match:
            break
    else:
        raise CellError(
            _("'%(value)s' is not a date: write it as YYYY-MM-DD, e.g. 2027-05-31.") % {"value": shown(value)}
        )
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(
            _("'%(value)s' is not a real date (YYYY-MM-DD: month 01-12, a day that the month has).")
            % {"value": shown(value)}
        ) from None


def code_items(value: str, *, knows: Callable[[str], bool]) -> list[tuple[str, str]]:
    """``(code, expiry text)`` items of a certification cell, in the order written.

    An item is ``CODE``, ``CODE:DATE`` (``：`` too, spaces around allowed) or ``CODE DATE``;
    items are separated by ``;``, ``,``, ``、`` (ASCII or full-width) or by spaces between
    codes that are not one code written with a space (``ISO 22000``).
    """
    items: list[tuple[str, str]] = []
    for part in split_codes(value):
        if ":" in part:  # after NFKC a full-width colon is one too
            code, rest = (piece.strip() for piece in part.split(":", 1))
            items.append((code, rest))
            continue
        if knows(part) or not re.search(r"\s", part):
            items.append((part, ""))
            continue
        for token in part.split():
            if items and not items[-1][1] and DATE_START.match(token) and not knows(token):
                items[-1] = (items[-1][0], token)
            else:
                items.append((token, ""))
    return items


def certification_pairs(value: str) -> dict[str, date | None]:
    """Certification codes, each with its expiry or None; a code given twice with two dates is an error."""
    pairs: dict[str, date | None] = {}
    for raw_code, raw_date in code_items(value, knows=certification_code.knows):
        code = certification_code(raw_code)
        until = parse_date(raw_date) if raw_date else None
        if code in pairs and pairs[code] != until:
            raise CellError(
                _("%(label)s %(code)s is given twice.") % {"label": _("Certification"), "code": code}
            )
        pairs[code] = until
    return pairs


def certification_list(value: str) -> list[str]:
    """Codes only (a buyer's or a request's requirement): an expiry is checked, then not kept."""
    return list(certification_pairs(value))


def decimal(*, max_digits: int = 12, places: int = 2) -> Parser:
    def parse(value: str) -> Decimal:
        value = narrow(value)
        if not DECIMAL_PATTERN.fullmatch(value):
            if value.startswith("-"):
                message = _("'%(value)s' must not be negative.")
            elif "," in value or "，" in value:
                message = _("'%(value)s' is not a number: use '.' for decimals and no thousands separators.")
            else:
                message = _("'%(value)s' is not a number (write it like 45.00).")
            raise CellError(message % {"value": shown(value)})
        whole, _dot, fraction = value.partition(".")
        if len(whole.lstrip("0")) > max_digits - places:
            raise CellError(_("'%(value)s' is too large.") % {"value": shown(value)})
        if len(fraction.rstrip("0")) > places:
            raise CellError(
                _("'%(value)s' has more than %(places)s decimal places.")
                % {"value": shown(value), "places": places}
            )
        return Decimal(value).quantize(Decimal(1).scaleb(-places))

    return parse


def integer(*, minimum: int = 0, maximum: int = MAX_INT) -> Parser:
    def parse(value: str) -> int:
        value = narrow(value)
        number = int(value) if INTEGER_PATTERN.fullmatch(value) else None
        if number is None or not minimum <= number <= maximum:
            raise CellError(
                _("'%(value)s' is not a whole number from %(min)s to %(max)s.")
                % {"value": shown(value), "min": minimum, "max": maximum}
            )
        return number

    return parse


parse_year = integer(minimum=1900, maximum=2999)
parse_tier_quantity = integer(minimum=1)
parse_price = decimal(max_digits=12, places=2)


def parse_bool(value: str) -> bool:
    folded = narrow(value).casefold()
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    raise CellError(_("'%(value)s' is not yes or no.") % {"value": shown(value)})


def country(value: str) -> str:
    value = narrow(value)
    if not re.fullmatch(r"[A-Za-z]{2}", value) or not is_country(value):
        raise CellError(
            _("'%(value)s' is not a two-letter country code (ISO 3166-1).") % {"value": shown(value)}
        )
    return value.upper()


def currency(value: str) -> str:
    """An ISO 4217 code the platform trades in (``EXPO_CURRENCIES``); never free text."""
    code = narrow(value).upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise CellError(
            _("'%(value)s' is not a three-letter currency code (ISO 4217).") % {"value": shown(value)}
        )
    if not is_supported(code):
        raise CellError(
            _("Currency '%(value)s' is not supported; use one of: %(choices)s.")
            % {"value": shown(value), "choices": ", ".join(supported_currencies())}
        )
    return code


def email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(_("'%(value)s' is not an e-mail address.") % {"value": shown(value)}) from None
    return text(254)(value)


_url_validator = URLValidator()


def website(value: str) -> str:
    """A web address; ``www.example.cn`` is read as ``https://www.example.cn``."""
    url = value if "://" in value else f"https://{value}"
    try:
        _url_validator(url)
    except ValidationError:
        raise CellError(_("'%(value)s' is not a web address.") % {"value": shown(value)}) from None
    return text(200)(url)


# ``verified`` or ``pending``; ``rejected`` is read too, so that an export re-imports.
company_status = choice(
    [str(s) for s in (CompanyStatus.VERIFIED, CompanyStatus.PENDING, CompanyStatus.REJECTED)],
    label=gettext_lazy("status"),
)


def coded_pairs(value: str, *, parse_code: Parser, parse_value: Parser, label: str) -> list[tuple]:
    """``CODE:VALUE`` items (the value may be optional, see callers); a code given twice is an error."""
    pairs, seen = [], set()
    for item in split_list(value):
        parts = CODE_SEPARATOR.split(item, maxsplit=1)
        rest = parts[1].strip() if len(parts) > 1 else ""
        parsed = parse_code(parts[0].strip())
        if parsed in seen:
            raise CellError(_("%(label)s %(code)s is given twice.") % {"label": label, "code": parsed})
        seen.add(parsed)
        pairs.append((parsed, parse_value(rest) if rest else None))
    return pairs


def export_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    return str(value)
