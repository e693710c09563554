"""Target markets and delivery regions against where a supplier is and where goods come from."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from config.countries import country_name, is_country
from search import text

NATIONWIDE = frozenset({"全国", "中国", "china", "nationwide", "all of china", "mainland china"})


@lru_cache(maxsize=512)
def country_names(code: str) -> tuple[str, ...]:
    """A country's English and Chinese names (``KZ`` → Kazakhstan, 哈萨克斯坦)."""
    code = (code or "").upper()
    if not is_country(code):
        return ()
    return tuple(dict.fromkeys(country_name(code, language) for language in ("en", "zh")))


def places(*, province: str, city: str, country: str, origins: Iterable[str] = ()) -> tuple[str, ...]:
    """Where a company is (province, city, country names) and where its goods come from."""
    return tuple(p for p in (province, city, *country_names(country), *origins) if p)


@lru_cache(maxsize=8192)
def _normalized(value: str) -> str:
    return text.normalize(value).strip()


def _same_place(market: str, place: str) -> bool:
    return len(market) >= 2 and len(place) >= 2 and (market in place or place in market)


def market_match(markets: Iterable[str], where: Iterable[str], *, country: str) -> str | None:
    """The first market (as written) that names one of the places, or covers the whole
    country the company is in (全国)."""
    normalized = [_normalized(p) for p in where]
    for market in markets:
        key = _normalized(market)
        if not key:
            continue
        if key in NATIONWIDE and (country or "").upper() == "CN":
            return market
        if any(_same_place(key, place) for place in normalized):
            return market
    return None
