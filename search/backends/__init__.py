"""One search interface, two backends: Elasticsearch when ``ELASTICSEARCH_URL`` is set,
else the database (PostgreSQL full-text + pg_trgm, or SQLite FTS5 with trigrams).

    from search.backends import SearchUnavailable, get_backend

    try:
        scores = get_backend().keyword_scores("product", ["辣条", "halal snacks"])
    except SearchUnavailable:
        ...  # the engine is down: carry on without the keyword signal
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from .base import (
    COMPANY_SORTS,
    KINDS,
    MOQ_STEPS,
    PRICE_RANGES,
    PRICE_RANGES_BY_KEY,
    PRODUCT_SORTS,
    CompanyQuery,
    ProductQuery,
    SearchBackend,
    SearchResults,
    SearchUnavailable,
)

BACKEND_NAMES = ("database", "elasticsearch")

_cache: dict[tuple, SearchBackend] = {}


def get_backend(name: str | None = None) -> SearchBackend:
    """The backend chosen by the settings, or the one named (``database``, ``elasticsearch``)."""
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if name is None:
        name = "elasticsearch" if url else "database"
    if name not in BACKEND_NAMES:
        raise ValueError(f"unknown search backend {name!r}; use one of: {', '.join(BACKEND_NAMES)}")
    cache_key = (name, url, connection.vendor, getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", ""))
    backend = _cache.get(cache_key)
    if backend is None:
        if name == "elasticsearch":
            if not url:
                raise SearchUnavailable("ELASTICSEARCH_URL is not set")
            from .elasticsearch import ElasticsearchBackend

            backend = ElasticsearchBackend(url=url, prefix=settings.ELASTICSEARCH_INDEX_PREFIX)
        else:
            from .database import DatabaseBackend

            backend = DatabaseBackend()
        _cache[cache_key] = backend
    return backend


__all__ = [
    "BACKEND_NAMES",
    "COMPANY_SORTS",
    "KINDS",
    "MOQ_STEPS",
    "PRICE_RANGES",
    "PRICE_RANGES_BY_KEY",
    "PRODUCT_SORTS",
    "CompanyQuery",
    "ProductQuery",
    "SearchBackend",
    "SearchResults",
    "SearchUnavailable",
    "get_backend",
]
