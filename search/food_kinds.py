"""Kinds of food (``data/kinds.txt``): the general names a specific food also goes by.

A product titled 信阳毛尖 is a green tea: ``kind_words`` gives it 绿茶 and "green tea", which
documents add to the product's searchable text (not to its title or categories), so a
buyer searching "green tea" finds it below the products named or filed as green tea.
Shared by both backends through the documents they index.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from . import text

KINDS_FILE = Path(__file__).resolve().parent / "data" / "kinds.txt"


def _names(part: str) -> list[str]:
    return [text.normalize(name).strip() for name in part.split(",") if name.strip()]


@functools.lru_cache(maxsize=1)
def kind_lines() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """``((general names, specific names), ...)`` as folded text, in the file's order."""
    lines = []
    for raw in KINDS_FILE.read_text(encoding="utf-8").splitlines():
        raw = raw.strip()
        if not raw or raw.startswith("#") or ":" not in raw:
            continue
        general, specific = raw.split(":", 1)
        lines.append((tuple(_names(general)), tuple(_names(specific))))
    return tuple(lines)


def _names_in(name: str, folded: str) -> bool:
    if text.is_cjk(name[:1]):
        return name in folded
    # a Latin name is whole words: "brie" is not in "brief"
    return re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", folded) is not None


def kind_words(*titles: str) -> list[str]:
    """The general names of every kind that one of ``titles`` names a food of."""
    folded = " ".join(text.normalize(t) for t in titles if t)
    if not folded:
        return []
    words: list[str] = []
    for general, specific in kind_lines():
        if any(_names_in(name, folded) for name in general):
            continue  # it says so itself already
        if any(_names_in(name, folded) for name in specific):
            words.extend(name for name in general if name not in words)
    return words
