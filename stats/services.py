"""Writes of the statistics app: the search and match logs, the cached figures and their
refresh, the daily snapshots, and the search log's retention."""

from __future__ import annotations

import logging
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from .models import DailySnapshot, MatchShown, SearchLog
from .selectors import Period, dashboard_figures, edition_years, match_acted_condition

logger = logging.getLogger(__name__)

CACHE_PREFIX = "stats:figures:v1:"
RECENT_DAYS = (7, 30, 90)
MAX_QUERY_LENGTH = SearchLog._meta.get_field("query").max_length


def normalise_query(query: str) -> str:
    """Searches that differ only by case, width or spacing count as one query."""
    folded = unicodedata.normalize("NFKC", query or "").casefold()
    return " ".join(folded.split())[:MAX_QUERY_LENGTH]


def log_search(
    *,
    query: str,
    result_count: int,
    source: str,
    kind: str = "product",
    backend: str | None = None,
    language: str | None = None,
    unavailable: bool = False,
) -> None:
    """Record one search (anonymously, see ``SearchLog``). Never raises: a search must not
    fail because its log could not be written.

    Not logged: empty queries (plain browsing) and searches the engine could not answer
    (``unavailable``: their counts say nothing about the query). ``backend`` and ``language``
    default to the active search backend and language.
    """
    try:
        text = normalise_query(query)
        if not text or unavailable:
            return
        if backend is None:
            from search.backends import get_backend

            backend = get_backend().name
        # A savepoint: a failed insert must not break the request's transaction.
        with transaction.atomic():
            SearchLog.objects.create(
                query=text,
                kind=kind[:12],
                result_count=max(0, int(result_count or 0)),
                backend=(backend or "")[:16],
                language=(language if language is not None else get_language() or "")[:8],
                source=source,
            )
    except Exception:  # noqa: BLE001 - logging is best effort by design
        logger.warning("search log not written", exc_info=True)


def _pair(subject_kind: str, subject_key: str, result: dict) -> tuple[str, str] | None:
    """(buyer key, exhibitor key) of a subject and one of its matches; a request is its buyer's."""

    def buyer_of(kind: str, key: str) -> str:
        return key.partition("/")[0] if kind == "request" else key

    result_kind, result_key = result.get("kind", ""), str(result.get("key", ""))
    if subject_kind == "exhibitor" and result_kind in ("buyer", "request"):
        return buyer_of(result_kind, result_key), subject_key
    if subject_kind in ("buyer", "request") and result_kind == "exhibitor":
        return buyer_of(subject_kind, subject_key), result_key
    return None


def log_matches(*, answer: dict, source: str) -> dict:
    """Record the counterparts one matchmaking answer showed (``match_subject``'s dict) and
    return the answer unchanged, so callers wrap the call. Never raises, like :func:`log_search`."""
    try:
        subject = answer.get("subject") or {}
        kind, key = subject.get("kind", ""), str(subject.get("key", ""))
        rows = []
        for position, result in enumerate(answer.get("results") or [], start=1):
            pair = _pair(kind, key, result)
            if pair:
                rows.append(
                    MatchShown(
                        subject_kind=kind,
                        result_kind=result.get("kind", ""),
                        buyer_key=pair[0][:64],
                        exhibitor_key=pair[1][:64],
                        position=position,
                        source=source,
                    )
                )
        if rows:
            with transaction.atomic():
                MatchShown.objects.bulk_create(rows)
    except Exception:  # noqa: BLE001 - logging is best effort by design
        logger.warning("matches shown not logged", exc_info=True)
    return answer


# --- cached figures ------------------------------------------------------------------------------


def _cache_key(period: Period) -> str:
    return CACHE_PREFIX + period.key


def figures_refresh(*, period: Period) -> dict:
    """Compute one period's figures and put them in the cache."""
    figures = dashboard_figures(period=period)
    cache.set(_cache_key(period), figures, settings.STATS_CACHE_SECONDS)
    return figures


def figures_forget(*, period: Period) -> None:
    """Drop one period's cached figures (the next read computes them)."""
    cache.delete(_cache_key(period))


def figures_get(*, period: Period) -> dict:
    """One period's figures from the cache, computed (and cached) when missing."""
    figures = cache.get(_cache_key(period))
    return figures if figures is not None else figures_refresh(period=period)


def standard_periods() -> list[Period]:
    """The periods snapshotted every night: all time and each edition."""
    return [Period()] + [Period(edition=year) for year in edition_years()]


def recent_periods(*, today: date | None = None) -> list[tuple[int, Period]]:
    """The "last N days" ranges the dashboard links to (``RECENT_DAYS``), ending today."""
    today = today or timezone.localdate()
    return [(days, Period(start=today - timedelta(days=days - 1), end=today)) for days in RECENT_DAYS]


def refreshed_periods() -> list[Period]:
    """What the beat task keeps in the cache: the standard periods and the recent ranges."""
    return standard_periods() + [period for _days, period in recent_periods()]


def matches_mark_acted(*, now=None) -> int:
    """Flag the matches shown that the two companies have since acted on (see
    ``MatchShown``); one UPDATE, for the rows not flagged yet. Returns how many."""
    return (
        MatchShown.objects.filter(acted_at__isnull=True)
        .filter(match_acted_condition())
        .update(acted_at=now or timezone.now())
    )


def figures_refresh_all() -> int:
    """Flag the matches acted on, then refresh the cached figures of every standard period;
    returns how many periods."""
    matches_mark_acted()
    periods = refreshed_periods()
    for period in periods:
        figures_refresh(period=period)
    return len(periods)


# --- daily snapshots ------------------------------------------------------------------------------


def _split_rows(prefix: str, rows: list[dict], measures: tuple[str, ...], dimension) -> list[tuple]:
    return [
        (f"{prefix}.{measure}", dimension(row), row[measure])
        for row in rows
        for measure in measures
        if row.get(measure) is not None
    ]


def snapshot_rows(figures: dict) -> list[tuple[str, str, object]]:
    """The figures flattened to (metric, dimension, value); totals have no dimension."""
    rows: list[tuple] = []
    for side in ("exhibitors", "buyers"):
        data = figures["companies"][side]
        rows += [(f"{side}.registered", "", data["registered"]), (f"{side}.verified", "", data["verified"])]
        for split in ("by_province", "by_country", "by_category"):
            rows += _split_rows(
                f"{side}.{split}", data[split], ("registered", "verified"), lambda r: r["value"]
            )
    products = figures["products"]
    rows.append(("products.listed", "", products["listed"]))
    rows += _split_rows("products.by_category", products["by_category"], ("products",), lambda r: r["value"])
    searches = figures["searches"]
    rows += [(f"searches.{k}", "", searches[k]) for k in ("total", "no_result", "page", "api")]
    matches = figures["matches"]
    rows += [("matches.shown", "", matches["shown"]), ("matches.acted_on", "", matches["acted_on"])]
    rows += _split_rows("matches.by_kind", matches["by_kind"], ("shown", "acted_on"), lambda r: r["value"])
    for row in figures["negotiation"]:
        for measure in ("sent", "answered", "accepted", "median_first_answer_hours"):
            if row[measure] is not None:
                rows.append((f"{row['value']}.{measure}", "", row[measure]))
    orders = figures["orders"]
    rows += [("orders.placed", "", orders["placed"]), ("orders.paid", "", orders["paid"])]
    rows += _split_rows(
        "orders.by_currency", orders["by_currency"], ("placed", "paid", "gmv"), lambda r: r["value"]
    )
    for split in ("by_category", "by_province"):
        rows += _split_rows(
            f"orders.gmv.{split}", orders[split], ("gmv",), lambda r: f"{r['currency']}:{r['value']}"
        )
    deals = figures["deals"]
    rows += [(f"deals.{k}", "", deals[k]) for k in ("online", "offline", "share") if deals[k] is not None]
    reviews = figures["reviews"]
    rows += [(f"reviews.{k}", "", reviews[k]) for k in ("written", "visible", "hidden", "answered")]
    rows += [(f"reviews.average.{r['value']}", "", r["average"]) for r in reviews["averages"] if r["average"]]
    return rows


def snapshot_write(*, day: date | None = None) -> int:
    """Write the day's snapshot (default today) of every standard period, replacing rows the
    day already has; refreshes the cache on the way. Returns the number of rows written.

    Each period's rows are replaced in one transaction; the figures are computed outside it
    (they may be read on other connections, see ``dashboard_figures``).
    """
    day = day or timezone.localdate()
    matches_mark_acted()
    written = 0
    for period in standard_periods():
        figures = figures_refresh(period=period)
        edition = period.snapshot_edition
        objects = {
            (metric, dimension[:64]): DailySnapshot(
                date=day, edition=edition, metric=metric, dimension=dimension[:64], value=Decimal(str(value))
            )
            for metric, dimension, value in snapshot_rows(figures)
        }
        with transaction.atomic():
            DailySnapshot.objects.filter(date=day, edition=edition).delete()
            DailySnapshot.objects.bulk_create(objects.values())
        written += len(objects)
    return written


def search_log_prune(*, now=None) -> int:
    """Delete search log rows older than ``STATS_SEARCH_LOG_DAYS``; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.STATS_SEARCH_LOG_DAYS)
    deleted, _detail = SearchLog.objects.filter(created_at__lt=cutoff).delete()
    return deleted
