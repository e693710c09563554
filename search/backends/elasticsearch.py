"""The Elasticsearch backend (elasticsearch-dsl through ``elasticsearch.dsl``)."""

from __future__ import annotations

from .base import SearchBackend, SearchUnavailable


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, *, url: str, prefix: str) -> None:
        self.url = url
        self.prefix = prefix

    def keyword_scores(self, kind, terms, *, ids=None, limit=1000):
        raise SearchUnavailable("the Elasticsearch backend is not ready yet")
