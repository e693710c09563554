"""Marking the matched words in a text, HTML-escaped, for backends without highlighting of their own."""

from __future__ import annotations

import re

from django.utils.html import escape

from . import text

SNIPPET_CHARS = 90


def _pattern(terms: list[str]) -> re.Pattern | None:
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        if text.is_cjk(term):
            parts.append(re.escape(term))
        else:
            parts.append(r"(?<![^\W_])" + re.escape(text.singular(term)) + r"\w*")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def mark(value: str, terms: list[str]) -> str:
    """``value`` escaped, with every match of ``terms`` in ``<mark>``."""
    value = value or ""
    pattern = _pattern(terms)
    if pattern is None:
        return escape(value)
    out, last = [], 0
    for match in pattern.finditer(value):
        out += [escape(value[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    out.append(escape(value[last:]))
    return "".join(out)


def snippet(value: str, terms: list[str], *, size: int = SNIPPET_CHARS) -> str:
    """A window of ``value`` around its first match (or its start), marked."""
    value = " ".join((value or "").split())
    pattern = _pattern(terms)
    match = pattern.search(value) if pattern else None
    start = max(0, (match.start() - size // 3) if match else 0)
    end = min(len(value), start + size)
    piece = value[start:end]
    return ("…" if start else "") + mark(piece, terms) + ("…" if end < len(value) else "")


def has_mark(html: str) -> bool:
    return "<mark>" in html
