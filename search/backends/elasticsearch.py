"""The Elasticsearch backend, through elasticsearch-dsl (``elasticsearch.dsl``, client 8.x).

One index per kind (products, exhibitors, buyers, requests), each a version
(``foodexpo-product-20261127T031500123456``) behind an alias (``foodexpo-product``): a full
rebuild fills a new version while the alias still serves the old one, then moves the alias
in one atomic call and drops the old version, so searching never stops. Changes drained
between rebuilds go to every version that exists, the one being built included.

Text fields carry two analysed sub-fields: ``.zh`` (standard tokenizer, CJK width folding,
CJK bigrams with unigrams, so 辣条 is found inside 卫龙大面筋辣条 and a single character
still matches) and ``.en`` (English stemming); ``.cn`` adds the smartcn word segmenter when
the cluster has the ``analysis-smartcn`` plugin. Chinese terms are matched as phrases on
``.zh`` (the characters in that order), Latin words on ``.en`` and the plain field, as the
database backend does. Facets are aggregations; certificates are nested with their end
date, so a certificate stops counting the day after it runs out without reindexing.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.utils import timezone
from django.utils.html import escape

from .. import text
from .base import (
    KEYWORD_WEIGHTS,
    KINDS,
    MOQ_STEPS,
    PRICE_RANGES,
    SEARCH_WEIGHTS,
    CompanyQuery,
    ProductQuery,
    SearchBackend,
    SearchResults,
    SearchUnavailable,
    keyword_score,
)

logger = logging.getLogger(__name__)

PRE, POST = "\ue000", "\ue001"  # private-use marks: escaped HTML never contains them
MAX_WINDOW = 10_000
TEXT_FIELDS = ("title_zh", "title_en", "extra", "body_zh", "body_en", "details")
FIELD_GROUPS = {  # field group -> (source fields, search weight, keyword weight)
    "title": (("title_zh", "title_en"), SEARCH_WEIGHTS["title"], KEYWORD_WEIGHTS["title"]),
    "extra": (("extra",), SEARCH_WEIGHTS["extra"], KEYWORD_WEIGHTS["extra"]),
    "body": (("body_zh", "body_en", "details"), SEARCH_WEIGHTS["body"], KEYWORD_WEIGHTS["body"]),
}


def _dsl():
    from elasticsearch import dsl

    return dsl


def zh_analyzer():
    dsl = _dsl()
    return dsl.analyzer(
        "fx_zh",
        tokenizer="standard",
        filter=[
            "cjk_width",
            "lowercase",
            dsl.token_filter("fx_cjk_bigram", "cjk_bigram", output_unigrams=True),
        ],
    )


def index_body(*, smartcn: bool = False) -> dict:
    """Settings and mappings of every kind's index (one shape for all: unused fields stay empty)."""
    dsl = _dsl()

    def text_field():
        fields = {"zh": dsl.Text(analyzer=zh_analyzer()), "en": dsl.Text(analyzer="english")}
        if smartcn:
            fields["cn"] = dsl.Text(analyzer="smartcn")
        return dsl.Text(analyzer="standard", fields=fields)

    mapping = dsl.Mapping()
    mapping.meta("dynamic", "strict")
    mapping.field("id", dsl.Integer())
    for name in ("key", "sku", "owner_key", "storage", "province", "sort_title", "heads_reversed"):
        mapping.field(name, dsl.Keyword())
    for name in TEXT_FIELDS:
        mapping.field(name, text_field())
    mapping.field("owner_id", dsl.Integer())
    mapping.field("categories", dsl.Integer())
    mapping.field("editions", dsl.Integer())
    mapping.field("certificates", dsl.Nested(properties={"code": dsl.Keyword(), "valid_until": dsl.Date()}))
    mapping.field("price", dsl.ScaledFloat(scaling_factor=100))
    mapping.field("moq", dsl.Integer())
    mapping.field("created", dsl.Date())
    mapping.field("suggest", dsl.Completion(analyzer="simple", preserve_separators=False))
    index = dsl.Index("template")
    index.settings(number_of_shards=1, number_of_replicas=0, max_result_window=MAX_WINDOW)
    index.mapping(mapping)
    body = index.to_dict()
    body["settings"].setdefault("analysis", {}).update(zh_analyzer().get_analysis_definition())
    return body


def source(doc: dict) -> dict:
    """A search document as Elasticsearch stores it."""
    price = doc.get("price")
    created = doc.get("created")
    return {
        "id": doc["id"],
        "key": doc["key"],
        "sku": doc.get("sku", ""),
        "owner_id": doc.get("owner_id"),
        "owner_key": doc.get("owner_key", ""),
        **{name: doc.get(name) or "" for name in ("title_zh", "title_en", "body_zh", "body_en", "details")},
        "extra": [str(value) for value in doc.get("extra", []) if value],
        "categories": list(dict.fromkeys(doc.get("categories", []))),
        "editions": list(dict.fromkeys(doc.get("editions", []))),
        "certificates": [
            {"code": c["code"], "valid_until": c["valid_until"].isoformat() if c["valid_until"] else None}
            for c in doc.get("certificates", [])
        ],
        "storage": doc.get("storage") or "",
        "province": doc.get("province") or "",
        "price": float(price) if price is not None else None,
        "moq": doc.get("moq"),
        "created": created.isoformat() if isinstance(created, datetime | date) else created,
        "sort_title": (doc.get("title_zh") or doc.get("title_en") or "")[:255],
        "heads_reversed": [
            head.strip()[::-1]
            for head in text.title_heads(doc.get("title_zh", ""), doc.get("title_en", "")).split("|")
            if head.strip()
        ],
        "suggest": [{"input": value[:100]} for value in doc.get("suggest", []) if value][:4],
    }


def _term_query(term: str, groups=("title", "extra", "body"), *, weighted: bool = True, name: str = ""):
    """One term in the given field groups: Chinese as a phrase on ``.zh``, Latin words on
    ``.en`` (stemmed) and the plain field."""
    dsl = _dsl()
    fields = []
    for group in groups:
        sources, weight, _kw = FIELD_GROUPS[group]
        boost = f"^{weight:g}" if weighted and weight != 1 else ""
        for field in sources:
            if text.is_cjk(term):
                fields.append(f"{field}.zh{boost}")
            else:
                fields += [f"{field}{boost}", f"{field}.en{boost}"]
    options = {"query": term, "fields": fields}
    if text.is_cjk(term):
        options["type"] = "phrase"
    else:
        options.update(type="best_fields", operator="and")
    if name:
        options["_name"] = name
    return dsl.Q("multi_match", **options)


def _ranking_boosts(term: str, *, smartcn: bool = False) -> list:
    """What the database backend also rewards: a term that ends a title (what the product
    is), and, for a longer Chinese term, its character pairs in a title; with smartcn, the
    words it segments count too (they never decide what matches, the bigrams do)."""
    dsl = _dsl()
    needle = text.head_needle(term).rstrip("|")
    reversed_needle = needle[::-1]
    if text.is_cjk(term):
        ends = dsl.Q("prefix", heads_reversed=reversed_needle)
    else:
        ends = dsl.Q(
            "bool",
            should=[
                dsl.Q("prefix", heads_reversed=reversed_needle),  # "... sausage"
                dsl.Q("term", heads_reversed=reversed_needle.strip()),  # the whole title
            ],
        )
    boosts = [dsl.Q("constant_score", filter=ends, boost=SEARCH_WEIGHTS["head"])]
    if text.is_cjk(term) and len(term) >= 3:
        boosts.append(
            dsl.Q(
                "multi_match",
                query=term,
                fields=["title_zh.zh", "title_en.zh"],
                type="best_fields",
                boost=SEARCH_WEIGHTS["pairs"],
            )
        )
    if smartcn and text.is_cjk(term):
        boosts.append(dsl.Q("multi_match", query=term, fields=["title_zh.cn^2", "extra.cn", "body_zh.cn"]))
    return boosts


def _phrase_query(words: list[str], groups, *, name: str = ""):
    """All words of a keyword phrase within the given field groups."""
    dsl = _dsl()
    query = dsl.Q("bool", filter=[_term_query(word, groups, weighted=False) for word in words])
    if name:
        query = dsl.Q("bool", filter=[query], _name=name)
    return query


def _valid_certificate(code: str | None, day: date):
    dsl = _dsl()
    valid = dsl.Q(
        "bool",
        should=[
            dsl.Q("range", certificates__valid_until={"gte": day.isoformat()}),
            dsl.Q("bool", must_not=[dsl.Q("exists", field="certificates.valid_until")]),
        ],
        minimum_should_match=1,
    )
    clauses = [valid] + ([dsl.Q("term", certificates__code=code)] if code else [])
    return dsl.Q("bool", filter=clauses)


def mark(fragment: str) -> str:
    return escape(fragment).replace(PRE, "<mark>").replace(POST, "</mark>")


class ElasticsearchBackend(SearchBackend):
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
    def _filtered(self, kind: str, query):
        dsl = _dsl()
        search = self.search(kind)
        terms = text.query_terms(query.q)
        if terms:
            boosts = [boost for term in terms for boost in _ranking_boosts(term, smartcn=bool(self._smartcn))]
            search = search.query(dsl.Q("bool", must=[_term_query(term) for term in terms], should=boosts))
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
        from .database import _category_children

        day = (query.on or timezone.localdate()).isoformat()
        children = _category_children(query.category)
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

    def build_search(self, kind: str, query):
        """The request for a product or company search: query, filters, facets, sort, page, highlights."""
        search, terms = self._filtered(kind, query)
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
        search, terms = self.build_search(kind, query)
        response = self._call(lambda: search.execute())
        raw = response.to_dict()
        ids = [int(hit["_source"]["id"]) for hit in raw["hits"]["hits"]]
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
        from .. import suggestions

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

    # --- writing -------------------------------------------------------------------------------
    def _bulk(self, actions: list[dict]) -> None:
        from elasticsearch.helpers import BulkIndexError, bulk

        if not actions:
            return
        try:
            self._call(lambda: bulk(self.client, actions, refresh="wait_for", raise_on_error=True))
        except BulkIndexError as exc:
            failures = [e for e in exc.errors if next(iter(e.values())).get("status") != 404]
            if failures:
                raise SearchUnavailable(
                    f"Elasticsearch refused {len(failures)} documents: {failures[:1]}"
                ) from exc

    def _writable(self, kind: str) -> list[str]:
        versions = self._versions(kind)
        if not versions:
            # never built: start the first version so changes have somewhere to go
            name = self._new_version(kind)
            self._call(
                lambda: self.client.indices.update_aliases(
                    actions=[{"add": {"index": name, "alias": self.alias(kind)}}]
                )
            )
            versions = [name]
        return versions

    def index_documents(self, kind: str, documents: list[dict]) -> None:
        actions = [
            {"_op_type": "index", "_index": index, "_id": doc["id"], "_source": source(doc)}
            for index in self._writable(kind)
            for doc in documents
        ]
        self._bulk(actions)

    def delete_documents(self, kind: str, ids: list[int]) -> None:
        actions = [
            {"_op_type": "delete", "_index": index, "_id": int(pk)}
            for index in self._versions(kind)
            for pk in ids
        ]
        self._bulk(actions)

    def rebuild(self, kind: str, batches, *, total: int | None = None, progress=None) -> int:
        """Fill a new index version, then move the alias to it in one call and drop the old ones."""
        from elasticsearch.helpers import bulk

        alias = self.alias(kind)
        old = self._versions(kind)
        name = self._new_version(kind)
        written = 0
        try:
            self._call(
                lambda: self.client.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
            )
            for documents in batches:
                actions = [
                    {"_op_type": "index", "_index": name, "_id": doc["id"], "_source": source(doc)}
                    for doc in documents
                ]
                self._call(lambda actions=actions: bulk(self.client, actions, raise_on_error=True))
                written += len(documents)
                if progress:
                    progress(len(documents))
            self._call(
                lambda: self.client.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
            )
            self._call(lambda: self.client.indices.refresh(index=name))
        except Exception:
            self._call(lambda: self.client.indices.delete(index=name, ignore_unavailable=True))
            raise
        actions = [{"remove": {"index": index, "alias": alias}} for index in old]
        actions.append({"add": {"index": name, "alias": alias}})
        self._call(lambda: self.client.indices.update_aliases(actions=actions))
        for index in old:
            self._call(lambda index=index: self.client.indices.delete(index=index, ignore_unavailable=True))
        return written

    def indexed_ids(self, kind: str, *, owners=None) -> set[int]:
        search = self.search(kind).source(["id"]).extra(size=MAX_WINDOW)
        if owners is not None:
            search = search.filter("terms", owner_id=[int(pk) for pk in owners])
        raw = self._call(lambda: search.execute()).to_dict()
        return {int(hit["_source"]["id"]) for hit in raw["hits"]["hits"]}

    def drop(self) -> None:
        """Remove every index of this prefix (tests, and starting over)."""
        for kind in KINDS:
            for index in self._versions(kind):
                self._call(
                    lambda index=index: self.client.indices.delete(index=index, ignore_unavailable=True)
                )


__all__ = ["ElasticsearchBackend", "index_body", "source"]
