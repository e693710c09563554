"""The database backend (embedded default and CI): the ``search_entry`` table and its text indexes.

Matching is the same on both engines: a Chinese term is a substring of the normalized
text (辣条 inside 卫龙大面筋辣条), a Latin word a substring at a word start (its singular).
PostgreSQL serves it from a trigram GIN index and also accepts stemmed English words
through the ``tsvector`` column (``frying`` finds "fried"); SQLite serves terms of three or
more characters from its FTS5 trigram table and shorter ones (two Chinese characters) with
LIKE. Facets are counted on the same table in a few grouped queries.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils import timezone

from catalogue.selectors import category_children

from .. import highlight, text, understanding
from ..models import EntryCategory, EntryCertificate, EntryEdition, IndexVersion, SearchEntry, SearchText
from .base import (
    KEYWORD_WEIGHTS,
    KINDS,
    MOQ_STEPS,
    PRICE_RANGES,
    SEARCH_WEIGHTS,
    UNDERSTOOD_WEIGHTS,
    CompanyQuery,
    ProductQuery,
    SearchBackend,
    SearchResults,
    SearchUnavailable,
    keyword_score,
)

logger = logging.getLogger(__name__)

MAX_KEYWORD_PHRASES = 30
FACET_CACHE_SECONDS = 600
INSERT_BATCH = 1000
PARTIAL_BELOW = 1  # only when the words never occur together


def _needles(words: list[str]) -> list[str]:
    return [text.term_needle(word) for word in words]


class DatabaseBackend(SearchBackend):
    name = "database"

    @property
    def vendor(self) -> str:
        return connection.vendor

    # --- matching ------------------------------------------------------------------------------
    def _match(self, word: str) -> Q:
        """``SearchText`` rows whose document holds ``word`` (see the module docstring)."""
        needle = text.term_needle(word)
        if self.vendor == "sqlite" and len(needle) >= 3:
            phrase = '"' + needle.replace('"', '""') + '"'
            return Q(
                entry_id__in=RawSQL(
                    "SELECT rowid FROM search_text_fts WHERE search_text_fts MATCH %s", [phrase]
                )
            )
        condition = Q(document__contains=needle)
        if self.vendor == "postgresql":
            if text.is_cjk(word) and len(word) >= 2:
                # the bigram array finds candidates through its index; LIKE confirms the order
                pairs = RawSQL("grams @> %s::text[]", [text.bigrams(word)], output_field=BooleanField())
                condition = Q(pairs) & condition
            elif word.isalpha():
                stemmed = RawSQL(
                    "vector @@ plainto_tsquery('english'::regconfig, %s)", [word], output_field=BooleanField()
                )
                condition |= Q(stemmed)
        return condition

    def _match_all(self, words: list[str]) -> Q:
        condition = Q()
        for word in words:
            condition &= self._match(word)
        return condition

    @staticmethod
    def _in_field(field: str, words: list[str], prefix: str = "") -> Q:
        condition = Q()
        for needle in _needles(words):
            condition &= Q(**{f"{prefix}{field}__contains": needle})
        return condition

    # --- understood queries (search/understanding.py) -------------------------------------
    @staticmethod
    def _understood(query) -> understanding.Understanding:
        return understanding.understand(query.q, literal=getattr(query, "literal", ()))

    def _group_match(self, group: understanding.Group) -> Q:
        """Rows holding any word of the group (its synonyms and close spellings included)."""
        condition = Q()
        for word in group.words + group.fuzzy:
            condition |= self._match(word)
        return condition

    @staticmethod
    def _any_in_field(field: str, words: list[str]) -> Q:
        condition = Q()
        for needle in _needles(words):
            condition |= Q(**{f"{field}__contains": needle})
        return condition

    def _attribute(self, group: understanding.Group, kind: str, query) -> Q | None:
        """What an attribute word asks of a row: its storage, a valid certificate, its province."""
        if group.kind == "storage" and kind == "product":
            return Q(storage=group.value)
        if group.kind == "certificate":
            return Q(
                Exists(
                    EntryCertificate.objects.filter(
                        self._valid_on(query.on), entry=OuterRef("pk"), code=group.value
                    )
                )
            )
        if group.kind == "place" and group.places:
            # a province is a field; a country is named in the row's extra words
            return Q(province__in=group.places) | self._any_in_field("extra", group.places)
        return None

    def _text_filter(self, kind: str, query, understood) -> tuple[QuerySet, bool]:
        """Rows matching the query's text, and whether only some of its groups had to match.

        Every text group must match; when that leaves fewer than ``PARTIAL_BELOW`` rows, rows
        matching any text group come too (ranked below). A query of attribute words alone
        (``frozen``, ``清真``) finds rows that have the attribute or name it."""
        qs = SearchText.objects.filter(kind=kind)
        required = understood.required
        if not required:
            condition = Q()
            for group in understood.attributes:
                condition |= self._group_match(group)
                attribute = self._attribute(group, kind, query)
                if attribute is not None:
                    condition |= attribute
            return qs.filter(condition), False
        strict = Q()
        for group in required:
            strict &= self._group_match(group)
        if len(required) == 1:
            return qs.filter(strict), False
        if qs.filter(strict).values("pk")[:PARTIAL_BELOW].count() >= PARTIAL_BELOW:
            return qs.filter(strict), False
        loose = Q()
        for group in required:
            loose |= self._group_match(group)
        return qs.filter(loose), True

    def _fuzzy_only(self, qs: QuerySet, understood) -> bool:
        """Whether no hit holds the words as typed (or their synonyms): only close spellings."""
        if not understood.corrected:
            return False
        exact = Q()
        for group in understood.required:
            words = Q()
            for word in group.words:
                words |= self._match(word)
            exact &= words
        return not qs.filter(exact).exists()

    def _score(self, kind: str, query, understood, partial: bool):
        """Relevance, per group: 3 in the title, 1.5 more when it ends the title, 2 in
        categories, keywords and company names (close spellings count less, attribute words
        half); a Chinese term of three or more characters not in the title earns a share of
        1.5 for each of its character pairs that is; an attribute the row has adds 4; when
        only some groups had to match, each group matched adds 10, so full matches lead.
        (A term in a description only counts for matching.)"""

        def case(condition: Q, weight: float):
            return Case(When(condition, then=Value(weight)), default=Value(0.0), output_field=FloatField())

        score = Value(0.0, output_field=FloatField())
        for group in understood.groups:
            share = 1.0 if group.required else UNDERSTOOD_WEIGHTS["attribute_text"]
            for words, weight in ((group.words, share), (group.fuzzy, share * UNDERSTOOD_WEIGHTS["fuzzy"])):
                if not words:
                    continue
                score = score + case(self._any_in_field("title", words), SEARCH_WEIGHTS["title"] * weight)
                heads = Q()
                for word in words:
                    heads |= Q(heads__contains=text.head_needle(word))
                score = score + case(heads, SEARCH_WEIGHTS["head"] * weight)
                score = score + case(self._any_in_field("extra", words), SEARCH_WEIGHTS["extra"] * weight)
            term = group.term
            pairs = text.bigrams(term) if group.required and text.is_cjk(term) and len(term) >= 3 else []
            for pair in pairs:
                partial_title = Q(title__contains=pair) & ~self._in_field("title", [term])
                score = score + case(partial_title, SEARCH_WEIGHTS["pairs"] / len(pairs))
            attribute = self._attribute(group, kind, query)
            if attribute is not None:
                score = score + case(attribute, UNDERSTOOD_WEIGHTS["attribute"])
            if partial and group.required:
                score = score + case(self._group_match(group), UNDERSTOOD_WEIGHTS["cover"])
        return score

    # --- safety -------------------------------------------------------------------------------
    def _read(self, work):
        """Run a read; a database error (index tables missing, a lock) becomes SearchUnavailable
        and leaves the surrounding transaction usable."""
        self._catch_up()
        try:
            with transaction.atomic():
                return work()
        except DatabaseError as exc:
            logger.warning("database search failed: %s", exc)
            raise SearchUnavailable(str(exc)) from exc

    def _catch_up(self) -> None:
        """Index what changed before answering, so this backend reads its own writes (the index
        lives in the same database); the drain after commit normally leaves nothing to do."""
        from .. import indexing

        if not indexing.is_active(self) or not indexing.has_pending():
            return
        try:
            with transaction.atomic():
                indexing.drain(backend=self)
        except DatabaseError as exc:
            logger.warning("catching up the search index failed: %s", exc)

    # --- filters and facets ------------------------------------------------------------------
    @staticmethod
    def _day(day: date | None) -> date:
        return day or timezone.localdate()

    def _valid_on(self, day: date | None) -> Q:
        return Q(valid_until__isnull=True) | Q(valid_until__gte=self._day(day))

    def _filtered(self, kind: str, query) -> QuerySet:
        return self._filtered_mode(kind, query)[0]

    def _filtered_mode(self, kind: str, query) -> tuple[QuerySet, bool]:
        """The rows of the query with its filters, and whether only part of its words matched."""
        understood = self._understood(query)
        partial = False
        if understood.groups:  # the text table carries the facet values too: no join per hit
            qs, partial = self._text_filter(kind, query, understood)
        else:
            qs = SearchEntry.objects.filter(kind=kind)
        if query.category is not None:
            qs = qs.filter(
                Exists(EntryCategory.objects.filter(entry=OuterRef("pk"), category_id=query.category))
            )
        if query.certification:
            qs = qs.filter(
                Exists(
                    EntryCertificate.objects.filter(
                        self._valid_on(query.on), entry=OuterRef("pk"), code=query.certification
                    )
                )
            )
        if query.province:
            qs = qs.filter(province=query.province)
        if isinstance(query, ProductQuery):
            if query.storage:
                qs = qs.filter(storage=query.storage)
            if query.exhibitor is not None:
                qs = qs.filter(owner_id=query.exhibitor)
            if query.min_price is not None:
                qs = qs.filter(price__gte=query.min_price)
            if query.max_price is not None:
                qs = qs.filter(price__lte=query.max_price)
            if query.max_moq is not None:
                qs = qs.filter(moq__lte=query.max_moq)
        elif query.edition is not None:
            qs = qs.filter(Exists(EntryEdition.objects.filter(entry=OuterRef("pk"), edition=query.edition)))
        return qs, partial

    def _facet_rows(self, qs: QuerySet, query, *, product: bool) -> list[tuple]:
        """Every facet count in one statement: the hits are found once (a materialized CTE),
        then grouped by their own columns and joined with the category, certificate and
        edition links. Rows are ``(facet, value, value2, value3, value4, count)``."""
        hits = qs.annotate(hit=F("pk")).values("hit", "storage", "province", "price", "moq")
        hits_sql, hits_params = hits.query.sql_with_params()
        children = category_children(query.category)
        day = self._day(query.on)
        params = list(hits_params)
        if text.query_terms(query.q):
            # few hits: look their links up by entry (a join would hash a whole link table)
            among, among_where = "", "AND l.entry_id IN (SELECT hit FROM hits)"
        else:
            # many hits (browsing): one hash join of the hits with each link table
            among, among_where = "JOIN hits h ON h.hit = l.entry_id", ""
        parts = []
        if product:
            price = " ".join(
                f"WHEN h.price >= {low}"
                + (f" AND h.price < {high}" if high is not None else "")
                + f" THEN '{key}'"
                for key, low, high in PRICE_RANGES
            )
            moq = " ".join(f"WHEN h.moq <= {step} THEN {step}" for step in MOQ_STEPS)
            parts.append(
                f"SELECT 'g', h.storage, h.province, CASE {price} ELSE '' END, CASE {moq} ELSE 0 END, "
                "COUNT(*) FROM hits h GROUP BY h.storage, h.province, 4, 5"
            )
        else:
            parts.append("SELECT 'g', '', h.province, '', 0, COUNT(*) FROM hits h GROUP BY h.province")
        if children:
            wanted = ", ".join(str(int(pk)) for pk in children)
            parts.append(
                "SELECT 'c', CAST(l.category_id AS VARCHAR(20)), '', '', 0, COUNT(*) "
                f"FROM {EntryCategory._meta.db_table} l {among} "
                f"WHERE l.category_id IN ({wanted}) {among_where} GROUP BY l.category_id"
            )
        parts.append(
            "SELECT 'x', l.code, '', '', 0, COUNT(*) "
            f"FROM {EntryCertificate._meta.db_table} l {among} "
            f"WHERE (l.valid_until IS NULL OR l.valid_until >= %s) {among_where} GROUP BY l.code"
        )
        params.append(connection.ops.adapt_datefield_value(day))
        if not product:
            parts.append(
                "SELECT 'e', CAST(l.edition AS VARCHAR(8)), '', '', 0, COUNT(*) "
                f"FROM {EntryEdition._meta.db_table} l {among} WHERE 1 = 1 {among_where} GROUP BY l.edition"
            )
        sql = f"WITH hits AS MATERIALIZED ({hits_sql}) " + " UNION ALL ".join(parts)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    @staticmethod
    def _sorted(counts: dict) -> list[tuple]:
        return sorted(
            ((k, n) for k, n in counts.items() if k not in ("", None)), key=lambda kv: (-kv[1], kv[0])
        )

    def _product_facets(self, qs: QuerySet, query: ProductQuery) -> tuple[int, dict[str, list[tuple]]]:
        total = 0
        storage: dict[str, int] = defaultdict(int)
        province: dict[str, int] = defaultdict(int)
        price: dict[str, int] = defaultdict(int)
        moq: dict[int, int] = defaultdict(int)
        categories: dict[int, int] = {}
        certificates: dict[str, int] = {}
        for facet, value, value2, value3, value4, n in self._facet_rows(qs, query, product=True):
            if facet == "g":
                total += n
                storage[value] += n
                province[value2] += n
                price[value3] += n
                moq[int(value4 or 0)] += n
            elif facet == "c":
                categories[int(value)] = n
            else:
                certificates[value] = n
        running, moq_at_most = 0, []
        for step in MOQ_STEPS:
            running += moq.get(step, 0)
            if running:
                moq_at_most.append((step, running))
        return total, {
            "category": self._sorted(categories),
            "certification": self._sorted(certificates),
            "storage": self._sorted(storage),
            "province": self._sorted(province),
            "price": [(key, price[key]) for key, _low, _high in PRICE_RANGES if price.get(key)],
            "moq": moq_at_most,
        }

    def _company_facets(self, qs: QuerySet, query: CompanyQuery) -> tuple[int, dict[str, list[tuple]]]:
        total = 0
        province: dict[str, int] = defaultdict(int)
        categories: dict[int, int] = {}
        certificates: dict[str, int] = {}
        editions: dict[int, int] = {}
        for facet, value, value2, _v3, _v4, n in self._facet_rows(qs, query, product=False):
            if facet == "g":
                total += n
                province[value2] += n
            elif facet == "c":
                categories[int(value)] = n
            elif facet == "x":
                certificates[value] = n
            else:
                editions[int(value)] = n
        return total, {
            "category": self._sorted(categories),
            "certification": self._sorted(certificates),
            "province": self._sorted(province),
            "edition": sorted(editions.items(), reverse=True),
        }

    # --- searching ---------------------------------------------------------------------------
    def _page(self, qs: QuerySet, query, kind: str, understood, partial: bool, sort: str) -> list[int]:
        if sort == "relevance" and understood.groups:
            score = self._score(kind, query, understood, partial)
            qs = qs.annotate(score=score, title_length=Length("sort_title")).order_by(
                "-score", "title_length", "-created", "object_id"
            )
        elif sort == "price":
            qs = qs.order_by(F("price").asc(nulls_last=True), "object_id")
        elif sort == "-price":
            qs = qs.order_by(F("price").desc(nulls_last=True), "object_id")
        elif sort in ("title", "name"):
            qs = qs.order_by("sort_title", "object_id")
        else:
            qs = qs.order_by("-created", "-object_id")
        start = (max(query.page, 1) - 1) * query.per_page
        return list(qs.values_list("object_id", flat=True)[start : start + query.per_page])

    def _highlights(self, kind: str, ids: list[int], terms: list[str]) -> dict[int, dict[str, str]]:
        if not ids or not terms:
            return {}
        marked = {}
        for object_id, display in SearchText.objects.filter(kind=kind, object_id__in=ids).values_list(
            "object_id", "display"
        ):
            marked[object_id] = {
                "title_zh": highlight.mark(display.get("title_zh", ""), terms),
                "title_en": highlight.mark(display.get("title_en", ""), terms),
                "snippet_zh": highlight.snippet(display.get("body_zh", ""), terms),
                "snippet_en": highlight.snippet(display.get("body_en", ""), terms),
            }
        return marked

    @staticmethod
    def _bump(kind: str) -> None:
        IndexVersion.objects.update_or_create(kind=kind, defaults={"token": uuid.uuid4().hex})

    def _facet_cache_key(self, kind: str, query) -> str | None:
        """Facets of a search without words (browsing, filters) are the same for every visitor
        until the index changes: cache them under the kind's version token and the day."""
        seconds = getattr(settings, "SEARCH_FACET_CACHE_SECONDS", FACET_CACHE_SECONDS)
        if not seconds or text.query_terms(query.q):
            return None
        token = IndexVersion.objects.filter(kind=kind).values_list("token", flat=True).first() or "-"
        shape = replace(query, page=1, per_page=0, sort="", highlight=False, on=self._day(query.on))
        digest = hashlib.sha1(repr(shape).encode()).hexdigest()
        return f"search:facets:{connection.vendor}:{kind}:{token}:{digest}"

    def _search(self, kind: str, query, facet_counter) -> SearchResults:
        understood = self._understood(query)
        terms = understood.highlight_terms

        def work() -> SearchResults:
            qs, partial = self._filtered_mode(kind, query)
            if query.facets:
                key = self._facet_cache_key(kind, query)
                counted = cache.get(key) if key else None
                if counted is None:
                    counted = facet_counter(qs, query)
                    if key:
                        seconds = getattr(settings, "SEARCH_FACET_CACHE_SECONDS", FACET_CACHE_SECONDS)
                        cache.set(key, counted, seconds)
                total, facets = counted
            else:
                total, facets = qs.count(), {}
            ids = self._page(qs, query, kind, understood, partial, query.sort) if total else []
            return SearchResults(
                ids=ids,
                total=total,
                page=query.page,
                per_page=query.per_page,
                facets=facets,
                highlights=self._highlights(kind, ids, terms) if query.highlight else {},
                terms=terms,
                backend=self.name,
                understood=understood,
                partial=partial,
                did_you_mean=understood.corrected if total and self._fuzzy_only(qs, understood) else "",
            )

        return self._read(work)

    def search_products(self, query: ProductQuery) -> SearchResults:
        return self._search("product", query, self._product_facets)

    def search_companies(self, query: CompanyQuery) -> SearchResults:
        return self._search(query.kind, query, self._company_facets)

    def keyword_scores(self, kind, terms, *, ids=None, limit=1000):
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
        phrases = []
        for phrase in terms or []:
            words = text.phrase_words(str(phrase))
            if words and words not in phrases:
                phrases.append(words)
        phrases = phrases[:MAX_KEYWORD_PHRASES]
        if not phrases or (ids is not None and not ids):
            return {}

        def work() -> dict[int, float]:
            qs = SearchText.objects.filter(kind=kind)
            if ids is not None:
                qs = qs.filter(object_id__in=list(ids))
            anywhere = Q()
            flags = {}
            for n, words in enumerate(phrases):
                anywhere |= self._match_all(words)
                for field in ("title", "extra"):
                    flags[f"m{n}_{field}"] = Case(
                        When(self._in_field(field, words), then=Value(1)),
                        default=Value(0),
                        output_field=IntegerField(),
                    )
                flags[f"m{n}_body"] = Case(
                    When(self._in_field("document", words), then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            names = list(flags)
            rows = qs.filter(anywhere).annotate(**flags).values_list("object_id", *names)
            weights_of = (KEYWORD_WEIGHTS["title"], KEYWORD_WEIGHTS["extra"], KEYWORD_WEIGHTS["body"])
            scores = {}
            for object_id, *matched in rows:
                weights = []
                for n in range(len(phrases)):
                    hit = [w for w, flag in zip(weights_of, matched[n * 3 : n * 3 + 3], strict=True) if flag]
                    weights.append(max(hit) if hit else 0.0)
                if not any(weights):
                    # matched through English stemming only: the weakest signal
                    weights = [KEYWORD_WEIGHTS["body"]]
                scores[object_id] = keyword_score(weights)
            ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
            return dict(ranked)

        return self._read(work)

    def suggest(self, text_value: str, *, limit: int = 5) -> list[str]:
        from .. import suggestions

        return suggestions.database_suggestions(text_value, limit=limit)

    # --- writing -----------------------------------------------------------------------------
    @staticmethod
    def entry_values(kind: str, doc: dict) -> tuple[dict, dict]:
        """The ``SearchEntry`` and ``SearchText`` values of a document."""
        title = text.document_text(doc["title_zh"], doc["title_en"])
        extra = text.document_text(*doc["extra"])
        body = text.document_text(doc["body_zh"], doc["body_en"], doc.get("details", ""))
        price = doc.get("price")
        entry = {
            "kind": kind,
            "object_id": doc["id"],
            "key": doc["key"][:160],
            "sort_title": (doc["title_zh"] or doc["title_en"] or "")[:255],
            "owner_id": doc.get("owner_id"),
            "storage": doc.get("storage") or "",
            "province": (doc.get("province") or "")[:64],
            "price": Decimal(price) if price is not None else None,
            "moq": doc.get("moq"),
            "created": doc.get("created") or timezone.now(),
        }
        searchable = {
            "title": title,
            "heads": text.title_heads(doc["title_zh"], doc["title_en"]),
            "extra": extra,
            "document": title + extra[1:] + body[1:],
            "display": {
                "title_zh": doc["title_zh"],
                "title_en": doc["title_en"],
                "body_zh": (doc["body_zh"] or "")[:300],
                "body_en": (doc["body_en"] or "")[:300],
            },
        }
        return entry, searchable

    @staticmethod
    def _allocate_ids(count: int) -> list[int]:
        """Primary keys for ``count`` new entries, so inserts need no RETURNING (slow on SQLite).

        PostgreSQL hands them out from the table's sequence; on SQLite the caller has already
        written in this transaction (``_delete``), so it holds the database's write lock.
        """
        table = SearchEntry._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))

    def _insert(self, kind: str, documents: list[dict], *, fts: bool = True) -> None:
        """Insert entries, their text and links in plain multi-row statements; on SQLite also
        their FTS rows unless ``fts=False`` (a rebuild refills the FTS table at its end)."""
        if not documents:
            return
        ops = connection.ops
        postgres = connection.vendor == "postgresql"
        values = [self.entry_values(kind, doc) for doc in documents]
        ids = self._allocate_ids(len(values))
        entries, texts, categories, certificates, editions = [], [], [], [], []
        for pk, doc, (entry, searchable) in zip(ids, documents, values, strict=True):
            entries.append(
                (
                    pk,
                    kind,
                    entry["object_id"],
                    entry["key"],
                    entry["sort_title"],
                    entry["owner_id"],
                    entry["storage"],
                    entry["province"],
                    ops.adapt_decimalfield_value(entry["price"], 14, 2),
                    entry["moq"],
                    ops.adapt_datetimefield_value(entry["created"]),
                )
            )
            row = (
                pk,
                searchable["title"],
                searchable["extra"],
                searchable["document"],
                json.dumps(searchable["display"], ensure_ascii=False),
                searchable["heads"],
                *entries[-1][1:3],  # the facet values again: kind, object_id,
                *entries[-1][4:],  # sort_title ... created
            )
            texts.append(row + ((text.bigrams(searchable["document"]),) if postgres else ()))
            categories += [(pk, c) for c in dict.fromkeys(doc["categories"])]
            certificates += [
                (pk, c["code"], ops.adapt_datefield_value(c["valid_until"])) for c in doc["certificates"]
            ]
            editions += [(pk, e) for e in dict.fromkeys(doc["editions"])]
        facet_columns = ["kind", "object_id", "sort_title", "owner_id", "storage", "province", "price", "moq"]
        text_columns = [
            "entry_id",
            "title",
            "extra",
            "document",
            "display",
            "heads",
            *facet_columns,
            "created",
        ]
        text_columns += ["grams"] if postgres else []
        text_marks = (
            ["%s"] * 4 + ["%s::jsonb" if postgres else "%s"] + ["%s"] * 10 + (["%s"] if postgres else [])
        )
        statements = [
            (
                SearchEntry,
                "id, kind, object_id, key, sort_title, owner_id, storage, province, price, moq, created",
                ["%s"] * 11,
                entries,
            ),
            (SearchText, ", ".join(text_columns), text_marks, texts),
            (EntryCategory, "entry_id, category_id", ["%s"] * 2, categories),
            (EntryCertificate, "entry_id, code, valid_until", ["%s"] * 3, certificates),
            (EntryEdition, "entry_id, edition", ["%s"] * 2, editions),
        ]
        with connection.cursor() as cursor:
            for model, columns, marks, rows in statements:
                if rows:
                    cursor.executemany(
                        f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({', '.join(marks)})", rows
                    )
            if fts and connection.vendor == "sqlite":
                cursor.executemany(
                    "INSERT INTO search_text_fts(rowid, document) VALUES (%s, %s)",
                    [(row[0], row[3]) for row in texts],
                )

    def index_documents(self, kind: str, documents: list[dict]) -> None:
        with transaction.atomic():
            self._delete(kind, [d["id"] for d in documents])
            self._insert(kind, documents)
            self._bump(kind)

    def delete_documents(self, kind: str, ids: list[int]) -> None:
        with transaction.atomic():
            self._delete(kind, ids)
            self._bump(kind)

    @staticmethod
    def _delete(kind: str, ids: list[int] | None = None) -> None:
        """Remove entries with their text and links in plain SQL (the ORM would load every
        row first)."""
        where, params = "kind = %s", [kind]
        if ids is not None:
            ids = [int(pk) for pk in ids]
            if not ids:
                return
            where += f" AND object_id IN ({', '.join(['%s'] * len(ids))})"
            params += ids
        entries = f"SELECT id FROM {SearchEntry._meta.db_table} WHERE {where}"
        with connection.cursor() as cursor:
            for model in (EntryCategory, EntryCertificate, EntryEdition, SearchText):
                cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE entry_id IN ({entries})", params)
            cursor.execute(f"DELETE FROM {SearchEntry._meta.db_table} WHERE {where}", params)

    def rebuild(self, kind: str, batches, *, total: int | None = None, progress=None) -> int:
        """In one transaction: readers see the old entries until the new ones are all in."""
        written = 0
        with transaction.atomic():
            self._delete(kind)
            for documents in batches:
                self._insert(kind, documents, fts=False)
                written += len(documents)
                if progress:
                    progress(len(documents))
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO search_text_fts(search_text_fts) VALUES ('rebuild')")
            self._bump(kind)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                # the old rows are dead now: reclaim them and refresh the planner's figures
                for model in (SearchEntry, SearchText, EntryCategory, EntryCertificate, EntryEdition):
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        return written

    def indexed_ids(self, kind: str, *, owners=None) -> set[int]:
        qs = SearchEntry.objects.filter(kind=kind)
        if owners is not None:
            qs = qs.filter(owner_id__in=list(owners))
        return set(qs.values_list("object_id", flat=True))

    def ping(self) -> bool:
        return True
