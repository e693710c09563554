"""The database backend: searching and its safety (reads that survive a rebuild)."""

from __future__ import annotations

import hashlib
import logging
import operator
import uuid
from dataclasses import replace
from functools import reduce

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Length

from ... import highlight, text
from ...lookups import among
from ...models import IndexVersion, SearchText
from ..base import (
    KEYWORD_WEIGHTS,
    KINDS,
    CompanyQuery,
    ProductQuery,
    SearchBackend,
    SearchResults,
    SearchUnavailable,
    keyword_score,
)

logger = logging.getLogger("search.backends.database")

MAX_KEYWORD_PHRASES = 30
FACET_CACHE_SECONDS = 600


from .facets import Facets
from .matching import Matching
from .writing import Writing


class DatabaseBackend(Matching, Facets, Writing, SearchBackend):
    name = "database"

    @property
    def vendor(self) -> str:
        return connection.vendor

    # --- safety -------------------------------------------------------------------------------
    def _read(self, work):
        """Run a read; a database error (index tables missing, a lock) becomes SearchUnavailable
        and leaves the surrounding transaction usable."""
        self._catch_up()
        try:
            if not connection.in_atomic_block:
                return work()  # in autocommit a failed statement leaves nothing to roll back
            with transaction.atomic():
                return work()
        except DatabaseError as exc:
            logger.warning("database search failed: %s", exc)
            raise SearchUnavailable(str(exc)) from exc

    def _catch_up(self) -> None:
        """Index what changed before answering, so this backend reads its own writes (the index
        lives in the same database); the drain after commit normally leaves nothing to do."""
        from ... import indexing

        if not indexing.is_active(self) or not indexing.has_pending():
            return
        try:
            with transaction.atomic():
                indexing.drain(backend=self)
        except DatabaseError as exc:
            logger.warning("catching up the search index failed: %s", exc)

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

        worded = self._worded(kind, query, understood)

        def work() -> SearchResults:
            qs, partial = self._filtered_mode(kind, query)
            ids = None
            if query.facets:
                key = self._facet_cache_key(kind, query)
                counted = cache.get(key) if key else None
                if counted is None:
                    # a worded search by relevance is ranked in the statement that counts it
                    ranked = query.sort == "relevance" and worded and not key
                    score = self._score(kind, query, understood, partial) if ranked else None
                    total, facets, ids = facet_counter(qs, query, score)
                    if key:
                        seconds = getattr(settings, "SEARCH_FACET_CACHE_SECONDS", FACET_CACHE_SECONDS)
                        cache.set(key, (total, facets), seconds)
                else:
                    total, facets = counted
            else:
                total, facets = qs.count(), {}
            if ids is None:
                sort = query.sort if worded or query.sort != "relevance" else ""
                ids = self._page(qs, query, kind, understood, partial, sort) if total else []
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
        phrases = _phrases(terms)
        if not phrases or (ids is not None and not ids):
            return {}
        where = Q(kind=kind) if ids is None else Q(among("object_id", ids), kind=kind)
        scores = self._read(lambda: self._keyword_rows(phrases, where, few=ids is not None))
        ranked = sorted(((object_id, score) for (_kind, object_id), score in scores.items()), key=_best)
        return dict(ranked[:limit])

    def keyword_scores_of(self, terms, ids):
        """One statement for every kind: the rows of each kind's ids that match a phrase."""
        unknown = set(ids) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown kind {sorted(unknown)[0]!r}; use one of: {', '.join(KINDS)}")
        phrases = _phrases(terms)
        wanted = {kind: list(values) for kind, values in ids.items() if values}
        if not phrases or not wanted:
            return {}
        where = Q()
        for kind, values in wanted.items():
            where |= Q(among("object_id", values), kind=kind)
        scores = self._read(lambda: self._keyword_rows(phrases, where, few=True))
        answer: dict[str, dict[int, float]] = {kind: {} for kind in wanted}
        for (kind, object_id), score in sorted(scores.items(), key=_best):
            answer[kind][object_id] = score
        return answer

    def _keyword_rows(
        self, phrases: list[list[str]], where: Q, *, few: bool = False
    ) -> dict[tuple[str, int], float]:
        """{(kind, object id): score} of the rows of ``where`` that match any phrase: each
        phrase counts with the weight of the best field holding all its words. ``few``: the
        rows of ``where`` are few (given ids)."""
        fields = (("title", "title"), ("extra", "extra"), ("document", "body"))
        # One column per phrase: the best field holding all its words (3 title, 2 extra,
        # 1 anywhere, 0 none); the document holds the title and the extra text too.
        best = {
            f"m{n}": Case(
                *(
                    When(self._in_field(field, words), then=Value(rank))
                    for rank, (field, _name) in zip((3, 2, 1), fields, strict=True)
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
            for n, words in enumerate(phrases)
        }
        rows = SearchText.objects.filter(where)
        if few:
            # The rows of a few hundred ids are read through their index and the words tested
            # on each: a word's own index would find thousands of rows to filter by id. A
            # row matches where a phrase is in its document, or (English) by stemming.
            stemmed = [self._match_all(words) for words in phrases if any(w.isalpha() for w in words)]
            if stemmed:
                best["stemmed"] = Case(
                    When(reduce(operator.or_, stemmed), then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
        else:
            rows = rows.filter(reduce(operator.or_, (self._match_all(words) for words in phrases)))
        weight_of = {3: KEYWORD_WEIGHTS["title"], 2: KEYWORD_WEIGHTS["extra"], 1: KEYWORD_WEIGHTS["body"]}
        scores = {}
        for kind, object_id, *ranks in rows.annotate(**best).values_list("kind", "object_id", *best):
            stem = ranks.pop() if "stemmed" in best else 0
            weights = [weight_of.get(rank, 0.0) for rank in ranks]
            if not any(weights):
                if few and not stem:
                    continue
                # matched through English stemming only: the weakest signal
                weights = [KEYWORD_WEIGHTS["body"]]
            scores[(kind, object_id)] = keyword_score(weights)
        return scores

    def suggest(self, text_value: str, *, limit: int = 5) -> list[str]:
        from ... import suggestions

        return suggestions.database_suggestions(text_value, limit=limit)


def _phrases(terms) -> list[list[str]]:
    """The distinct phrases of ``terms`` as word lists, at most ``MAX_KEYWORD_PHRASES``."""
    phrases = []
    for phrase in terms or []:
        words = text.phrase_words(str(phrase))
        if words and words not in phrases:
            phrases.append(words)
    return phrases[:MAX_KEYWORD_PHRASES]


def _best(item) -> tuple:
    """Best score first; ties by key, so answers are stable."""
    key, score = item
    return (-score, key)
