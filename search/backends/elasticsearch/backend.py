"""The backend: building requests and reading the answers (writing is in ``indexing.py``)."""

from __future__ import annotations

import logging
from datetime import date

from django.utils import timezone

from catalogue.selectors import category_children

from ... import text, understanding
from ..base import (
    KINDS,
    MOQ_STEPS,
    PRICE_RANGES,
    CompanyQuery,
    ProductQuery,
    SearchBackend,
    SearchResults,
    SearchUnavailable,
    keyword_score,
)
from .indexing import IndexWriting
from .mapping import FIELD_GROUPS, MAX_WINDOW, POST, PRE, _dsl, index_body
from .queries import _phrase_query, _valid_certificate, fuzzy_only, mark, understood_query

logger = logging.getLogger("search.backends.elasticsearch")


class ElasticsearchBackend(IndexWriting, SearchBackend):
    """Requests and reading answers here; writing documents and rebuilding in ``indexing.py``."""

    name = "elasticsearch"

    def __init__(self, *, url: str, prefix: str, timeout: float = 3.0) -> None:
        self.url = url
        self.prefix = prefix
        self.timeout = timeout
        self._client = None
        self._smartcn: bool | None = None

    # --- plumbing ------------------------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(
                self.url, request_timeout=self.timeout, max_retries=0, retry_on_timeout=False
            )
        return self._client

    def alias(self, kind: str) -> str:
        return f"{self.prefix}-{kind}"

    def _call(self, work):
        """Run a request; any transport or API failure becomes SearchUnavailable."""
        from elastic_transport import TransportError
        from elasticsearch import ApiError, NotFoundError

        try:
            return work()
        except NotFoundError as exc:
            raise SearchUnavailable(f"search index missing ({exc}); run `manage.py reindex`") from exc
        except (ApiError, TransportError, ConnectionError, TimeoutError) as exc:
            logger.warning("Elasticsearch failed: %s", exc)
            raise SearchUnavailable(f"Elasticsearch at {self.url} failed: {exc}") from exc

    def ping(self) -> bool:
        try:
            return bool(self._call(lambda: self.client.ping()))
        except SearchUnavailable:
            return False

    def has_smartcn(self) -> bool:
        if self._smartcn is None:
            plugins = self._call(lambda: self.client.cat.plugins(format="json"))
            self._smartcn = any("smartcn" in (p.get("component") or "") for p in plugins or [])
        return self._smartcn

    def _versions(self, kind: str) -> list[str]:
        """Every concrete index of ``kind``: the live one and any being built."""
        found = self._call(
            lambda: self.client.indices.get(index=f"{self.alias(kind)}-*", ignore_unavailable=True)
        )
        return sorted(found.keys()) if found else []

    def _new_version(self, kind: str) -> str:
        name = f"{self.alias(kind)}-{timezone.now().strftime('%Y%m%dt%H%M%S%f')}"
        body = index_body(smartcn=self.has_smartcn())
        self._call(lambda: self.client.indices.create(index=name, **body))
        return name

    def search(self, kind: str):
        dsl = _dsl()
        return dsl.Search(using=self.client, index=self.alias(kind))

    # --- query building (no server needed: tests check ``to_dict()``) --------------------------
    def _filtered(self, kind: str, query, *, loose: bool = False):
        dsl = _dsl()
        search = self.search(kind)
        understood = understanding.understand(query.q, literal=getattr(query, "literal", ()))
        terms = understood.highlight_terms
        if understood.groups:
            search = search.query(
                understood_query(
                    understood,
                    product=isinstance(query, ProductQuery),
                    day=query.on or timezone.localdate(),
                    loose=loose,
                    smartcn=bool(self._smartcn),
                )
            )
        filters = []
        if query.category is not None:
            filters.append(dsl.Q("term", categories=query.category))
        if query.certification:
            day = query.on or timezone.localdate()
            filters.append(
                dsl.Q("nested", path="certificates", query=_valid_certificate(query.certification, day))
            )
        if query.province:
            filters.append(dsl.Q("term", province=query.province))
        if isinstance(query, ProductQuery):
            if query.storage:
                filters.append(dsl.Q("term", storage=query.storage))
            if query.exhibitor is not None:
                filters.append(dsl.Q("term", owner_id=query.exhibitor))
            price = {}
            if query.min_price is not None:
                price["gte"] = float(query.min_price)
            if query.max_price is not None:
                price["lte"] = float(query.max_price)
            if price:
                filters.append(dsl.Q("range", price=price))
            if query.max_moq is not None:
                filters.append(dsl.Q("range", moq={"lte": query.max_moq}))
        elif query.edition is not None:
            filters.append(dsl.Q("term", editions=query.edition))
        if filters:
            search = search.filter(dsl.Q("bool", filter=filters))
        return search, terms

    def _facets(self, search, query, *, product: bool):
        day = (query.on or timezone.localdate()).isoformat()
        children = category_children(query.category)
        if children:
            search.aggs.bucket("category", "terms", field="categories", include=children, size=len(children))
        certificates = search.aggs.bucket("certification", "nested", path="certificates")
        valid = certificates.bucket("valid", "filter", _valid_certificate(None, date.fromisoformat(day)))
        valid.bucket("codes", "terms", field="certificates.code", size=50).bucket(
            "products", "reverse_nested"
        )
        search.aggs.bucket("province", "terms", field="province", size=100)
        if product:
            search.aggs.bucket("storage", "terms", field="storage", size=10)
            ranges = []
            for key, low, high in PRICE_RANGES:
                bucket = {"key": key, "from": float(low)}
                if high is not None:
                    bucket["to"] = float(high)
                ranges.append(bucket)
            search.aggs.bucket("price", "range", field="price", ranges=ranges)
            search.aggs.bucket(
                "moq",
                "filters",
                filters={str(step): {"range": {"moq": {"lte": step}}} for step in MOQ_STEPS},
            )
        else:
            search.aggs.bucket("edition", "terms", field="editions", size=50)
        return search

    def _sorted(self, search, sort: str, terms: list[str]):
        if sort == "relevance" and terms:
            return search.sort({"_score": "desc"}, {"created": "desc"}, {"id": "asc"})
        if sort == "price":
            return search.sort({"price": {"order": "asc", "missing": "_last"}}, {"id": "asc"})
        if sort == "-price":
            return search.sort({"price": {"order": "desc", "missing": "_last"}}, {"id": "asc"})
        if sort in ("title", "name"):
            return search.sort({"sort_title": "asc"}, {"id": "asc"})
        return search.sort({"created": "desc"}, {"id": "desc"})

    def build_search(self, kind: str, query, *, loose: bool = False):
        """The request for a product or company search: query, filters, facets, sort, page,
        highlights; ``loose``: any word of the query may match (when all together find nothing)."""
        search, terms = self._filtered(kind, query, loose=loose)
        product = isinstance(query, ProductQuery)
        if query.facets:
            search = self._facets(search, query, product=product)
        search = self._sorted(search, query.sort, terms)
        start = (max(query.page, 1) - 1) * query.per_page
        size = max(0, min(query.per_page, MAX_WINDOW - start))
        search = search.extra(from_=min(start, MAX_WINDOW), size=size, track_total_hits=True)
        search = search.source(["id"])
        if terms and query.highlight:
            search = search.highlight_options(pre_tags=[PRE], post_tags=[POST], type="unified")
            titles = [f"{field}.{sub}" for field in ("title_zh", "title_en") for sub in ("zh", "en")]
            bodies = [f"{field}.{sub}" for field in ("body_zh", "body_en") for sub in ("zh", "en")]
            search = search.highlight(*titles, number_of_fragments=0)
            search = search.highlight(*bodies, fragment_size=90, number_of_fragments=1)
        return search, terms

    def build_keyword_search(self, kind: str, phrases: list[list[str]], *, ids=None, limit: int = 1000):
        """Any phrase in any field group; each clause is named, so every hit says which matched."""
        dsl = _dsl()
        should = [
            _phrase_query(words, (group,), name=f"{n}:{group}")
            for n, words in enumerate(phrases)
            for group in FIELD_GROUPS
        ]
        search = self.search(kind).query(dsl.Q("bool", should=should, minimum_should_match=1))
        if ids is not None:
            search = search.filter("terms", id=[int(pk) for pk in ids])
        return search.source(["id"]).extra(size=min(MAX_WINDOW, max(limit * 4, 200)), track_total_hits=False)

    # --- reading -------------------------------------------------------------------------------
    @staticmethod
    def _highlights(hit) -> dict[str, str]:
        meta = getattr(hit.meta, "highlight", None)
        if not meta:
            return {}
        found = meta.to_dict()
        marked = {}
        for field, key in (
            ("title_zh", "title_zh"),
            ("title_en", "title_en"),
            ("body_zh", "snippet_zh"),
            ("body_en", "snippet_en"),
        ):
            fragments = found.get(f"{field}.zh") or found.get(f"{field}.en")
            if fragments:
                marked[key] = mark(fragments[0])
        return marked

    def _read_facets(self, aggs, product: bool) -> dict[str, list[tuple]]:
        def buckets(name, cast=str):
            agg = aggs[name] if name in aggs else None
            if agg is None:
                return []
            return [(cast(b["key"]), b["doc_count"]) for b in agg["buckets"] if b["doc_count"]]

        codes = aggs["certification"]["valid"]["codes"]["buckets"]
        facets = {
            "category": sorted(buckets("category", int), key=lambda kv: (-kv[1], kv[0])),
            "certification": sorted(
                ((b["key"], b["products"]["doc_count"]) for b in codes if b["products"]["doc_count"]),
                key=lambda kv: (-kv[1], kv[0]),
            ),
            "province": [(k, n) for k, n in buckets("province") if k],
        }
        if product:
            facets["storage"] = [(k, n) for k, n in buckets("storage") if k]
            facets["price"] = [(b["key"], b["doc_count"]) for b in aggs["price"]["buckets"] if b["doc_count"]]
            moq = aggs["moq"]["buckets"]
            facets["moq"] = [
                (step, moq[str(step)]["doc_count"]) for step in MOQ_STEPS if moq[str(step)]["doc_count"]
            ]
        else:
            facets["edition"] = sorted(buckets("edition", int), reverse=True)
        return facets

    def _run(self, kind: str, query) -> SearchResults:
        understood = understanding.understand(query.q, literal=getattr(query, "literal", ()))
        search, terms = self.build_search(kind, query)
        response = self._call(lambda: search.execute())
        raw = response.to_dict()
        partial = False
        if not raw["hits"]["total"]["value"] and len(understood.required) >= 2:
            partial = True
            search, terms = self.build_search(kind, query, loose=True)
            response = self._call(lambda: search.execute())
            raw = response.to_dict()
        hits = raw["hits"]["hits"]
        ids = [int(hit["_source"]["id"]) for hit in hits]
        highlights = {}
        for hit in response.hits:
            marked = self._highlights(hit)
            if marked:
                highlights[int(hit.id)] = marked
        product = isinstance(query, ProductQuery)
        return SearchResults(
            ids=ids,
            total=raw["hits"]["total"]["value"],
            page=query.page,
            per_page=query.per_page,
            facets=self._read_facets(raw.get("aggregations", {}), product) if query.facets else {},
            highlights=highlights,
            terms=terms,
            backend=self.name,
            understood=understood,
            partial=partial,
            did_you_mean=understood.corrected if hits and fuzzy_only(understood, hits) else "",
        )

    def search_products(self, query: ProductQuery) -> SearchResults:
        return self._run("product", query)

    def search_companies(self, query: CompanyQuery) -> SearchResults:
        return self._run(query.kind, query)

    def keyword_scores(self, kind, terms, *, ids=None, limit=1000):
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
        phrases = []
        for phrase in terms or []:
            words = text.phrase_words(str(phrase))
            if words and words not in phrases:
                phrases.append(words)
        phrases = phrases[:30]
        if not phrases or (ids is not None and not ids):
            return {}
        search = self.build_keyword_search(kind, phrases, ids=ids, limit=limit)
        raw = self._call(lambda: search.execute()).to_dict()
        scores = {}
        for hit in raw["hits"]["hits"]:
            best = [0.0] * len(phrases)
            for name in hit.get("matched_queries", []):
                n, _sep, group = name.partition(":")
                best[int(n)] = max(best[int(n)], FIELD_GROUPS[group][2])
            scores[int(hit["_source"]["id"])] = keyword_score(best)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return dict(ranked)

    def suggest(self, text_value: str, *, limit: int = 5) -> list[str]:
        from ... import suggestions

        options = suggestions.did_you_mean(text_value, limit=limit)
        prefix = text.clean_query(text_value)
        if prefix:
            search = self.search("product").suggest(
                "titles",
                prefix,
                completion={
                    "field": "suggest",
                    "size": limit,
                    "skip_duplicates": True,
                    "fuzzy": {"fuzziness": 1},
                },
            )
            raw = self._call(lambda: search.extra(size=0).execute()).to_dict()
            for entry in raw.get("suggest", {}).get("titles", []):
                for option in entry.get("options", []):
                    if option["text"] not in options:
                        options.append(option["text"])
        return options[:limit]
