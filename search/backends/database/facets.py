"""Filters and facet counts of the database backend."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Length
from django.utils import timezone

from catalogue.selectors import category_children

from ...models import EntryCategory, EntryCertificate, EntryEdition, SearchEntry, SearchText
from ..base import (
    MOQ_STEPS,
    PRICE_RANGES,
    CompanyQuery,
    ProductQuery,
)


class Facets:
    """Filters and facet counts (mixed into ``DatabaseBackend``)."""

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
        if self._worded(kind, query, understood):  # the text table carries the facet values too
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

    def _facet_rows(self, qs: QuerySet, query, *, product: bool, score=None) -> list[tuple]:
        """Every facet count in one statement: the hits are found once (a materialized CTE),
        then grouped by their own columns and joined with the category, certificate and
        edition links. Rows are ``(facet, value, value2, value3, value4, count)``.

        With a relevance ``score``, the hits are scored inside the same CTE and the page's
        rows come back too, as ``('p', object_id, '', '', position, 0)``: the words are
        matched once for the counts and the ranking, not once for each."""
        columns = ["hit", "storage", "province", "price", "moq"]
        if score is not None:
            qs = qs.annotate(score=score, title_length=Length("sort_title"))
            columns += ["object_id", "score", "title_length", "created"]
        hits = qs.annotate(hit=F("pk")).values(*columns)
        hits_sql, hits_params = hits.query.sql_with_params()
        children = category_children(query.category)
        day = self._day(query.on)
        params = list(hits_params)
        if qs.model is SearchText:
            # few hits (words matched): look their links up by entry (a join would hash a
            # whole link table)
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
        if score is not None:
            size = max(int(query.per_page), 0)
            start = (max(int(query.page), 1) - 1) * size
            order = "score DESC, title_length, created DESC, object_id"
            # the page first (a top-N sort of the hits), then its rows numbered
            parts.append(
                "SELECT 'p', CAST(p.object_id AS VARCHAR(20)), '', '', "
                f"ROW_NUMBER() OVER (ORDER BY {order}), 0 FROM ("
                "SELECT h.object_id, h.score, h.title_length, h.created FROM hits h "
                f"ORDER BY {order} LIMIT {size} OFFSET {start}) p"
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

    @staticmethod
    def _ranked(page: list[tuple[int, str]]) -> list[int]:
        return [int(object_id) for _position, object_id in sorted(page)]

    def _product_facets(self, qs: QuerySet, query: ProductQuery, score=None) -> tuple:
        """``(total, facets, page ids)``; the ids only when ``score`` ranks them here."""
        total = 0
        page: list[tuple[int, str]] = []
        storage: dict[str, int] = defaultdict(int)
        province: dict[str, int] = defaultdict(int)
        price: dict[str, int] = defaultdict(int)
        moq: dict[int, int] = defaultdict(int)
        categories: dict[int, int] = {}
        certificates: dict[str, int] = {}
        for facet, value, value2, value3, value4, n in self._facet_rows(qs, query, product=True, score=score):
            if facet == "p":
                page.append((int(value4), value))
            elif facet == "g":
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
        facets = {
            "category": self._sorted(categories),
            "certification": self._sorted(certificates),
            "storage": self._sorted(storage),
            "province": self._sorted(province),
            "price": [(key, price[key]) for key, _low, _high in PRICE_RANGES if price.get(key)],
            "moq": moq_at_most,
        }
        return total, facets, self._ranked(page) if score is not None else None

    def _company_facets(self, qs: QuerySet, query: CompanyQuery, score=None) -> tuple:
        """``(total, facets, page ids)``; the ids only when ``score`` ranks them here."""
        total = 0
        page: list[tuple[int, str]] = []
        province: dict[str, int] = defaultdict(int)
        categories: dict[int, int] = {}
        certificates: dict[str, int] = {}
        editions: dict[int, int] = {}
        for facet, value, value2, _v3, value4, n in self._facet_rows(qs, query, product=False, score=score):
            if facet == "p":
                page.append((int(value4), value))
            elif facet == "g":
                total += n
                province[value2] += n
            elif facet == "c":
                categories[int(value)] = n
            elif facet == "x":
                certificates[value] = n
            else:
                editions[int(value)] = n
        facets = {
            "category": self._sorted(categories),
            "certification": self._sorted(certificates),
            "province": self._sorted(province),
            "edition": sorted(editions.items(), reverse=True),
        }
        return total, facets, self._ranked(page) if score is not None else None
