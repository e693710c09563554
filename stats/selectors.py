"""The dashboard's figures, each one a few SQL aggregates (``aggregate``/``annotate``), never
a Python loop over rows. Every function takes a :class:`Period` and returns plain data
(numbers, strings, lists of dicts) that can be cached and snapshotted as it is.

What a period means:

- ``edition`` (a year) limits exhibitors to those taking part in that edition (booth not
  withdrawn) and everything dated (registrations of buyers, products listed, searches,
  matches, negotiation, orders) to that calendar year, the way the negotiation figures count
  editions; ``start``/``end`` (inclusive local dates) narrow it further, or alone give the range.
- Nothing given: all time.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Substr
from django.utils import timezone
from oscar.core.loading import get_model

from buyers.models import Buyer
from credit.models import SCORE_FIELDS, Review
from exhibitors.models import CompanyStatus, Exhibitor, Participation
from negotiation.models import (
    Inquiry,
    Meeting,
    Quote,
    QuoteStatus,
    SampleRequest,
    SampleStatus,
)
from order.statuses import OrderStatus

from .models import DailySnapshot, MatchShown, SearchLog

TOP_QUERIES = 20
# Oscar's category tree keeps a materialised path; its first step names the top-level category.
ROOT_STEP = 4
SAMPLE_ACCEPTED = (SampleStatus.ACCEPTED, SampleStatus.ORDERED, SampleStatus.SHIPPED, SampleStatus.RECEIVED)


@dataclass(frozen=True)
class Period:
    """An expo edition (year) and/or a range of local dates (both ends inclusive)."""

    edition: int | None = None
    start: date | None = None
    end: date | None = None

    @property
    def key(self) -> str:
        return f"{self.edition or 0}:{self.start or ''}:{self.end or ''}"

    @property
    def snapshot_edition(self) -> int:
        return self.edition or 0

    def bounds(self, *, dates_only: bool = False) -> tuple[datetime | None, datetime | None]:
        """[from, until) as aware datetimes; ``dates_only`` ignores the edition's year."""
        start, end = self.start, self.end
        if self.edition and not dates_only:
            first, last = date(self.edition, 1, 1), date(self.edition, 12, 31)
            start = max(start, first) if start else first
            end = min(end, last) if end else last
        since = timezone.make_aware(datetime.combine(start, time.min)) if start else None
        until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)) if end else None
        return since, until


def _dated(qs: QuerySet, field: str, period: Period, *, dates_only: bool = False) -> QuerySet:
    since, until = period.bounds(dates_only=dates_only)
    if since:
        qs = qs.filter(**{f"{field}__gte": since})
    if until:
        qs = qs.filter(**{f"{field}__lt": until})
    return qs


def category_names() -> dict[str, dict[str, str]]:
    """Top-level categories by the first step of their path: ``{"0001": {"zh": ..., "en": ...}}``."""
    Category = get_model("catalogue", "Category")
    return {
        path: {"zh": name, "en": name_en or name}
        for path, name, name_en in Category.objects.filter(depth=1).values_list("path", "name", "name_en")
    }


# --- companies and products ------------------------------------------------------------------


def _company_split(qs: QuerySet, field, **named) -> list[dict]:
    verified = Q(status=CompanyStatus.VERIFIED)
    values = qs.values(**named) if named else qs.values(field)
    name = next(iter(named)) if named else field
    return [
        {"value": row[name] or "", "registered": row["registered"], "verified": row["verified"]}
        for row in values.annotate(
            registered=Count("id", distinct=True), verified=Count("id", filter=verified, distinct=True)
        ).order_by("-registered", name)
    ]


def company_figures(*, period: Period) -> dict:
    """Registered and verified exhibitors and buyers, in total and by province, country and
    (top-level) category; a company with several categories counts under each of them.

    Registered: created in the period; verified: of those, verified now.
    """
    exhibitors = Exhibitor.objects.all()
    if period.edition:
        taking_part = Participation.objects.filter(
            exhibitor_id=OuterRef("pk"), edition=period.edition, withdrawn=False
        )
        exhibitors = _dated(exhibitors.filter(Exists(taking_part)), "created_at", period, dates_only=True)
    else:
        exhibitors = _dated(exhibitors, "created_at", period)
    buyers = _dated(Buyer.objects.all(), "created_at", period)
    result = {}
    for side, qs, categories in (("exhibitors", exhibitors, "categories"), ("buyers", buyers, "interests")):
        totals = qs.aggregate(
            registered=Count("*"), verified=Count("id", filter=Q(status=CompanyStatus.VERIFIED))
        )
        result[side] = {
            **totals,
            "by_province": _company_split(qs, "province"),
            "by_country": _company_split(qs, "country"),
            "by_category": _company_split(qs, None, root=Substr(f"{categories}__path", 1, ROOT_STEP)),
        }
    return result


def product_figures(*, period: Period) -> dict:
    """Products listed: public products sold by an exhibitor (a stock record), created in the
    period; with an edition, sold by an exhibitor taking part. By top-level category (a
    product in categories under two top-level ones counts under each)."""
    Product = get_model("catalogue", "Product")
    StockRecord = get_model("partner", "StockRecord")
    if period.edition:
        sellers = Participation.objects.filter(edition=period.edition, withdrawn=False)
        sold = StockRecord.objects.filter(
            product_id=OuterRef("pk"), partner_id__in=sellers.values("exhibitor__partner_id")
        )
    else:
        sold = StockRecord.objects.filter(product_id=OuterRef("pk"), partner__exhibitor__isnull=False)
    products = _dated(
        Product.objects.filter(is_public=True).filter(Exists(sold)), "date_created", period, dates_only=True
    )
    by_category = [
        {"value": row["root"] or "", "products": row["products"]}
        for row in products.values(root=Substr("categories__path", 1, ROOT_STEP))
        .annotate(products=Count("id", distinct=True))
        .order_by("-products", "root")
    ]
    return {"listed": products.count(), "by_category": by_category}


# --- searches and matches -----------------------------------------------------------------------


def search_figures(*, period: Period, top: int = TOP_QUERIES) -> dict:
    """Searches logged in the period: totals by source, the most asked queries and the most
    asked queries that found nothing."""
    logs = _dated(SearchLog.objects.all(), "created_at", period)
    totals = logs.aggregate(
        total=Count("*"),
        no_result=Count("id", filter=Q(result_count=0)),
        page=Count("id", filter=Q(source="page")),
        api=Count("id", filter=Q(source="api")),
    )

    def top_of(qs):
        return list(qs.values("query").annotate(searches=Count("*")).order_by("-searches", "query")[:top])

    return {**totals, "top": top_of(logs), "no_result_top": top_of(logs.filter(result_count=0))}


def match_acted_condition() -> Q:
    """A match shown is acted on when the pair then started an inquiry, a sample request, a
    meeting or a quote (created at or after the match was shown)."""
    pair = {
        "buyer__key": OuterRef("buyer_key"),
        "exhibitor__key": OuterRef("exhibitor_key"),
        "created_at__gte": OuterRef("created_at"),
    }
    quote_pair = {
        "request__buyer__key": OuterRef("buyer_key"),
        "exhibitor__key": OuterRef("exhibitor_key"),
        "created_at__gte": OuterRef("created_at"),
    }
    return (
        Q(Exists(Inquiry.objects.filter(**pair)))
        | Q(Exists(SampleRequest.objects.filter(**pair)))
        | Q(Exists(Meeting.objects.filter(**pair)))
        | Q(Exists(Quote.objects.filter(**quote_pair)))
    )


def match_figures(*, period: Period) -> dict:
    """Matches shown in the period and how many were acted on (``MatchShown.acted_at``, kept
    by the refresh task), by the kind of subject they were shown for."""
    shown = _dated(MatchShown.objects.all(), "created_at", period)
    by_kind = list(
        shown.values("subject_kind")
        .annotate(shown=Count("*"), acted_on=Count("id", filter=Q(acted_at__isnull=False)))
        .order_by("subject_kind")
    )
    return {
        "shown": sum(row["shown"] for row in by_kind),
        "acted_on": sum(row["acted_on"] for row in by_kind),
        "by_kind": [
            {"value": row["subject_kind"], "shown": row["shown"], "acted_on": row["acted_on"]}
            for row in by_kind
        ],
    }


# --- negotiation -----------------------------------------------------------------------------------


def median_first_answer_hours(qs: QuerySet) -> float | None:
    """The median time from asking to the first answer, in hours, over the answered rows.

    Computed in SQL on every database: the rows are ordered by their wait and only the one
    or two middle values are fetched.
    """
    answered = qs.filter(first_answered_at__isnull=False).annotate(
        wait=ExpressionWrapper(F("first_answered_at") - F("created_at"), output_field=DurationField())
    )
    count = answered.count()
    if not count:
        return None
    middle = list(
        answered.order_by("wait", "pk").values_list("wait", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    seconds = sum(wait.total_seconds() for wait in middle) / len(middle)
    return round(seconds / 3600, 2)


def negotiation_figures(*, period: Period) -> list[dict]:
    """Inquiries, quotes, sample requests and meetings created in the period: sent, answered
    (the other side's first answer), accepted, median first-answer time (hours).

    Accepted: a quote the buyer accepted; a sample request accepted (then possibly ordered,
    shipped, received); a meeting accepted at some time (later cancelled ones included).
    Inquiries have no acceptance.
    """
    kinds = (
        ("inquiries", Inquiry.objects.all(), None),
        ("quotes", Quote.objects.all(), Q(status=QuoteStatus.ACCEPTED)),
        ("samples", SampleRequest.objects.all(), Q(status__in=SAMPLE_ACCEPTED)),
        ("meetings", Meeting.objects.all(), Q(accepted_at__isnull=False)),
    )
    rows = []
    for name, qs, accepted in kinds:
        qs = _dated(qs, "created_at", period)
        counts = qs.aggregate(
            sent=Count("*"),
            answered=Count("id", filter=Q(first_answered_at__isnull=False)),
            **({"accepted": Count("id", filter=accepted)} if accepted is not None else {}),
        )
        rows.append(
            {
                "value": name,
                "sent": counts["sent"],
                "answered": counts["answered"],
                "accepted": counts.get("accepted"),
                "median_first_answer_hours": median_first_answer_hours(qs) if counts["answered"] else None,
            }
        )
    return rows


# --- orders and deals ------------------------------------------------------------------------------


def _money(value) -> str:
    return str((value or Decimal("0")).quantize(Decimal("0.01")))


def order_figures(*, period: Period) -> dict:
    """Orders placed in the period, and GMV: the total (with tax and shipping) of the orders
    paid (money received; refunds not deducted), by currency; by top-level category and by
    the exhibitor's province the paid lines' totals (without shipping). A product in
    categories under two top-level ones counts under each."""
    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    paid = Q(status__in=OrderStatus.PAID_STATES)
    orders = _dated(Order.objects.all(), "date_placed", period)
    by_currency = [
        {"value": row["currency"], "placed": row["placed"], "paid": row["paid"], "gmv": _money(row["gmv"])}
        for row in orders.values("currency")
        .annotate(placed=Count("*"), paid=Count("id", filter=paid), gmv=Sum("total_incl_tax", filter=paid))
        .order_by("-placed", "currency")
    ]
    lines = _dated(
        Line.objects.filter(order__status__in=OrderStatus.PAID_STATES), "order__date_placed", period
    )

    def split(**named):
        name = next(iter(named))
        return [
            {
                "value": row[name] or "",
                "currency": row["order__currency"],
                "orders": row["orders"],
                "gmv": _money(row["gmv"]),
            }
            for row in lines.values("order__currency", **named)
            .annotate(orders=Count("order_id", distinct=True), gmv=Sum("line_price_incl_tax"))
            .order_by("order__currency", "-gmv", name)
        ]

    return {
        "placed": sum(row["placed"] for row in by_currency),
        "paid": sum(row["paid"] for row in by_currency),
        "by_currency": by_currency,
        "by_category": split(root=Substr("product__categories__path", 1, ROOT_STEP)),
        "by_province": split(province=F("partner__exhibitor__province")),
    }


def deal_figures(*, period: Period) -> dict:
    """Online share of deals. A deal is an order paid through the platform (online), or a
    quote the buyer accepted in the period that was never checked out here (agreed on the
    platform, settled off-line). Online share = online / (online + off-line)."""
    Order = get_model("order", "Order")
    online = _dated(Order.objects.filter(status__in=OrderStatus.PAID_STATES), "date_placed", period).count()
    offline = _dated(
        Quote.objects.filter(status=QuoteStatus.ACCEPTED, order_number=""), "decided_at", period
    ).count()
    total = online + offline
    return {"online": online, "offline": offline, "share": round(online / total, 4) if total else None}


# --- credit ----------------------------------------------------------------------------------


def review_figures(*, period: Period) -> dict:
    """Ratings buyers wrote in the period (``credit``): written, visible, hidden by staff,
    answered by the exhibitor, and the average of each score over the visible ones (hidden
    reviews never count in an average, as on the booths). One statement."""
    visible = Q(hidden_at__isnull=True)
    counts = _dated(Review.objects.all(), "created_at", period).aggregate(
        written=Count("*"),
        visible=Count("id", filter=visible),
        hidden=Count("id", filter=Q(hidden_at__isnull=False)),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        **{name: Avg(name, filter=visible) for name in SCORE_FIELDS},
    )
    return {
        **{key: counts[key] for key in ("written", "visible", "hidden", "answered")},
        "averages": [
            {"value": name, "average": None if counts[name] is None else round(float(counts[name]), 2)}
            for name in SCORE_FIELDS
        ],
    }


SECTIONS = {
    "companies": company_figures,
    "products": product_figures,
    "searches": search_figures,
    "matches": match_figures,
    "negotiation": negotiation_figures,
    "orders": order_figures,
    "deals": deal_figures,
    "reviews": review_figures,
}


_pool: tuple[int, ThreadPoolExecutor] | None = None
_pool_lock = threading.Lock()


def _section_pool(workers: int) -> ThreadPoolExecutor:
    """One pool per process: its threads keep their connections between dashboards, so a cold
    page does not open ``workers`` new database connections."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != workers:
            _pool = (workers, ThreadPoolExecutor(max_workers=workers, thread_name_prefix="stats-figures"))
        return _pool[1]


def _section_in_thread(section, period: Period):
    if connection.connection is not None and not connection.is_usable():
        connection.close()  # the server went away since the last dashboard
    try:
        return section(period=period)
    except Exception:
        connection.close()
        raise


def dashboard_figures(*, period: Period) -> dict:
    """Every figure of the dashboard for one period (uncached; see ``stats.services``).

    On PostgreSQL the sections run side by side, each on a connection of its own (a small
    pool of threads per process), when ``STATS_PARALLEL_QUERIES`` allows more than one: the
    slowest section then sets the time, not their sum. They read committed data only, so
    callers must not have uncommitted writes the figures should see; the test settings run
    the sections one after the other (other connections cannot see a test's rows).
    """
    workers = getattr(settings, "STATS_PARALLEL_QUERIES", 1)
    if workers > 1 and connection.vendor == "postgresql":
        pool = _section_pool(workers)
        futures = {name: pool.submit(_section_in_thread, fn, period) for name, fn in SECTIONS.items()}
        results = {name: future.result() for name, future in futures.items()}
    else:
        results = {name: fn(period=period) for name, fn in SECTIONS.items()}
    return {
        "period": {"edition": period.edition, "start": period.start, "end": period.end},
        "computed_at": timezone.now(),
        **results,
        "categories": category_names(),
    }


def edition_years() -> list[int]:
    """The editions staff can choose: every year an expo page or a participation names."""
    from expo.models import ExpoEditionPage

    years = set(ExpoEditionPage.objects.values_list("year", flat=True))
    years |= set(Participation.objects.values_list("edition", flat=True).distinct())
    return sorted(years, reverse=True)


def snapshot_series(*, edition: int, metrics: list[str], days: int = 365) -> dict[str, list[tuple]]:
    """``{metric: [(date, value), ...]}`` of the totals (no dimension) snapshotted over the
    last ``days`` days, oldest first."""
    since = timezone.localdate() - timedelta(days=days)
    series: dict[str, list[tuple]] = {metric: [] for metric in metrics}
    rows = (
        DailySnapshot.objects.filter(edition=edition, metric__in=metrics, dimension="", date__gte=since)
        .order_by("date")
        .values_list("metric", "date", "value")
    )
    for metric, day, value in rows:
        series[metric].append((day, value))
    return series
