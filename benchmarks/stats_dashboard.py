"""Latency of the staff statistics dashboard (``/admin/stats/``), with a warm and a cold cache.

Run it on the data set of ``load_demo --scale 100`` (2,000 exhibitors, 30,000 products,
1,200 buyers) on PostgreSQL. The demo has no trading history, so the first run adds some
(deterministic, spread over the last 365 days): orders with their lines, inquiries with their
threads, search log rows and matches shown (``--orders``, ``--inquiries``, ``--searches``,
``--matches``; nothing is added when the tables already hold rows). Use a database of its own:

    createdb -h 127.0.0.1 -U postgres foodexpo_statsbench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/foodexpo_statsbench
    .venv/bin/python manage.py migrate -v0
    .venv/bin/python manage.py load_demo --scale 100
    .venv/bin/python benchmarks/stats_dashboard.py

Each request goes through Django's whole stack in this process (middleware, Wagtail admin,
template; a staff session), without a network hop. "cold" drops the page's figures from the
cache before every request, so every figure is computed by its SQL aggregates; "warm" reads
them from the cache (the state the beat task keeps). It prints p50/p95/max per page and PASS
when every warm p95 and every cold p50 is under ``--target`` ms (300 by default).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "辣条",
    "火腿肠",
    "halal beef",
    "方便面",
    "frozen dumplings",
    "白酒",
    "organic tea",
    "牛奶",
    "猪肉",
    "rice",
]


def seed(*, orders: int, inquiries: int, searches: int, matches: int) -> dict[str, int]:
    """Trading history for the figures to aggregate over; bulk inserts, no signals."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone
    from oscar.core.loading import get_model

    from buyers.models import Buyer
    from exhibitors.models import Exhibitor
    from negotiation.models import Inquiry, Thread
    from order.statuses import LineStatus, OrderStatus
    from stats.models import MatchShown, SearchLog

    Order, Line = get_model("order", "Order"), get_model("order", "Line")
    StockRecord = get_model("partner", "StockRecord")
    now = timezone.now()
    added = {}
    with transaction.atomic():
        if orders and not Order.objects.exists():
            user = get_user_model().objects.filter(is_staff=False).order_by("id").first()
            stock = list(
                StockRecord.objects.filter(partner__exhibitor__isnull=False)
                .order_by("id")
                .values_list("id", "partner_id", "product_id", "price", "price_currency")[:5000]
            )
            statuses = [OrderStatus.PAID, OrderStatus.DELIVERED, OrderStatus.SHIPPED, OrderStatus.PENDING]
            rows = []
            for i in range(orders):
                _sid, _pid, _product, price, currency = stock[(i * 7) % len(stock)]
                total = (price or Decimal("10")) * (10 + i % 50)
                rows.append(
                    Order(
                        number=f"BENCH-{i + 1:06d}",
                        site_id=1,
                        user=user,
                        currency=currency or "CNY",
                        total_incl_tax=total,
                        total_excl_tax=total,
                        shipping_incl_tax=Decimal("0"),
                        shipping_excl_tax=Decimal("0"),
                        status=statuses[i % len(statuses)],
                        date_placed=now - timedelta(days=i % 365, hours=i % 24),
                    )
                )
            created = Order.objects.bulk_create(rows, batch_size=2000)
            lines = []
            for i, order in enumerate(created):
                sid, pid, product, price, _currency = stock[(i * 7) % len(stock)]
                quantity = 10 + i % 50
                amount = (price or Decimal("10")) * quantity
                lines.append(
                    Line(
                        order=order,
                        partner_id=pid,
                        stockrecord_id=sid,
                        product_id=product,
                        partner_sku=f"SKU-{sid}",
                        title="bench",
                        quantity=quantity,
                        line_price_incl_tax=amount,
                        line_price_excl_tax=amount,
                        line_price_before_discounts_incl_tax=amount,
                        line_price_before_discounts_excl_tax=amount,
                        unit_price_incl_tax=price,
                        unit_price_excl_tax=price,
                        status=LineStatus.PAID,
                        num_allocated=0,
                    )
                )
            Line.objects.bulk_create(lines, batch_size=2000)
            added["orders"] = len(created)
        if inquiries and not Inquiry.objects.exists():
            buyers = list(Buyer.objects.order_by("id").values_list("id", flat=True))
            exhibitors = list(Exhibitor.objects.order_by("id").values_list("id", flat=True))
            threads = Thread.objects.bulk_create(
                [
                    Thread(
                        buyer_id=buyers[i % len(buyers)], exhibitor_id=exhibitors[(i * 3) % len(exhibitors)]
                    )
                    for i in range(inquiries)
                ],
                batch_size=2000,
            )
            Inquiry.objects.bulk_create(
                [Inquiry(thread=t, buyer_id=t.buyer_id, exhibitor_id=t.exhibitor_id) for t in threads],
                batch_size=2000,
            )
            # Spread the dates and answer two in three, after 1 to 72 hours, in one statement.
            with connection.cursor() as cursor:
                table = Inquiry._meta.db_table
                if connection.vendor == "postgresql":
                    cursor.execute(
                        f"UPDATE {table} SET created_at = now() - mod(id, 365) * interval '1 day', "
                        "first_answered_at = CASE WHEN mod(id, 3) = 0 THEN NULL ELSE "
                        "now() - mod(id, 365) * interval '1 day' + (1 + mod(id, 72)) * interval '1 hour' END"
                    )
            added["inquiries"] = len(threads)
        if searches and not SearchLog.objects.exists():
            SearchLog.objects.bulk_create(
                [
                    SearchLog(
                        query=QUERIES[(i * 7) % len(QUERIES)] if i % 5 else f"rare query {i % 997}",
                        result_count=0 if i % 9 == 0 else (i * 13) % 400,
                        backend="database",
                        language="zh-hans" if i % 3 else "en",
                        source="page" if i % 4 else "api",
                        created_at=now - timedelta(minutes=(i * 17) % (365 * 24 * 60)),
                    )
                    for i in range(searches)
                ],
                batch_size=5000,
            )
            added["searches"] = searches
        if matches and not MatchShown.objects.exists():
            buyer_keys = list(Buyer.objects.order_by("id").values_list("key", flat=True))
            exhibitor_keys = list(Exhibitor.objects.order_by("id").values_list("key", flat=True))
            MatchShown.objects.bulk_create(
                [
                    MatchShown(
                        subject_kind=("buyer", "request", "exhibitor")[i % 3],
                        result_kind="buyer" if i % 3 == 2 else "exhibitor",
                        buyer_key=buyer_keys[i % len(buyer_keys)],
                        exhibitor_key=exhibitor_keys[(i * 3) % len(exhibitor_keys)],
                        position=1 + i % 6,
                        source="page",
                        created_at=now - timedelta(hours=(i * 5) % (365 * 24)),
                    )
                    for i in range(matches)
                ],
                batch_size=5000,
            )
            added["matches"] = matches
    if added and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return added


def remove_history() -> None:
    """Delete what :func:`seed` added (orders numbered BENCH-, threads without a subject with
    their inquiries, every search log row and match shown), to measure the bare demo data."""
    from oscar.core.loading import get_model

    from negotiation.models import Thread
    from stats.models import MatchShown, SearchLog

    get_model("order", "Line").objects.filter(order__number__startswith="BENCH-").delete()
    get_model("order", "Order").objects.filter(number__startswith="BENCH-").delete()
    Thread.objects.filter(subject="").delete()
    SearchLog.objects.all().delete()
    MatchShown.objects.all().delete()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # deleted rows would still be scanned


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=30, help="requests per page and cache state")
    parser.add_argument("--target", type=float, default=300.0, help="ms")
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--inquiries", type=int, default=20000)
    parser.add_argument("--searches", type=int, default=200000)
    parser.add_argument("--matches", type=int, default=50000)
    parser.add_argument(
        "--bare", action="store_true", help="remove the added history and add none: the demo data alone"
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from oscar.core.loading import get_model

    from buyers.models import Buyer
    from exhibitors.models import Exhibitor
    from negotiation.models import Inquiry
    from stats.models import MatchShown, SearchLog
    from stats.selectors import Period, edition_years
    from stats.services import figures_forget, recent_periods, snapshot_write

    settings.ALLOWED_HOSTS = ["*"]
    if Exhibitor.objects.count() < 1000:
        sys.exit("Too little data: run `manage.py load_demo --scale 100` on this database first.")
    if args.bare:
        remove_history()
        args.orders = args.inquiries = args.searches = args.matches = 0
    added = seed(orders=args.orders, inquiries=args.inquiries, searches=args.searches, matches=args.matches)
    if added:
        print("added:", ", ".join(f"{n} {what}" for what, n in added.items()))
    snapshot_write()  # the history chart has a day to show; flags the matches acted on
    print(
        "data:",
        ", ".join(
            f"{model.objects.count()} {name}"
            for name, model in (
                ("exhibitors", Exhibitor),
                ("buyers", Buyer),
                ("products", get_model("catalogue", "Product")),
                ("orders", get_model("order", "Order")),
                ("inquiries", Inquiry),
                ("search log rows", SearchLog),
                ("matches shown", MatchShown),
            )
        ),
    )
    staff = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    client = Client()
    client.force_login(staff)
    editions = edition_years()
    days, recent = recent_periods()[-1]
    pages = {"all time": ("/admin/stats/", Period())}
    if editions:
        pages[f"edition {editions[-1]}"] = (
            f"/admin/stats/?edition={editions[-1]}",
            Period(edition=editions[-1]),
        )
    pages[f"last {days} days"] = (f"/admin/stats/?start={recent.start}&end={recent.end}", recent)
    print(
        f"database: {connection.vendor}; {args.samples} requests per page and cache state;",
        f"target {args.target:.0f} ms",
    )
    print(f"{'page':<18} {'cache':<6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    ok = True
    for name, (url, period) in pages.items():
        for state in ("cold", "warm"):
            timings = []
            client.get(url)  # connection, templates and translations loaded once
            for _ in range(args.samples):
                if state == "cold":
                    figures_forget(period=period)
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            p50, p95 = statistics.median(timings), percentile(timings, 0.95)
            ok &= (p95 if state == "warm" else p50) < args.target
            print(f"{name:<18} {state:<6} {p50:>8.1f} {p95:>8.1f} {max(timings):>8.1f}")
    print("PASS" if ok else "FAIL", f"(warm p95 and cold p50 under {args.target:.0f} ms)")


if __name__ == "__main__":
    main()
