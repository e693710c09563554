"""Match latency: how long ``match_subject`` takes for buyers, sourcing requests and exhibitors.

Run it on the data set of ``load_demo --scale 100`` (2,000 exhibitors, 30,000 products,
1,200 buyers) on PostgreSQL. The demo has no sourcing requests, so the first run adds three
per buyer (deterministic, some closed, some naming a storage or a certificate) and indexes
them. Each kind is then matched ``--samples`` times (subjects spread over the data set) after
``--warm`` warm-up matches; the script prints the median, p95 and maximum per kind and
overall, with the SQL queries of one match of each kind, and PASS when the overall p95 is
under ``--target`` ms (100 by default).

    createdb -h 127.0.0.1 -U postgres foodexpo_matchbench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/foodexpo_matchbench
    .venv/bin/python manage.py migrate -v0
    .venv/bin/python manage.py load_demo --scale 100
    .venv/bin/python benchmarks/match_latency.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS_PER_BUYER = 3
STORAGE_BY_ROOT = {"frozen": "frozen", "seafood": "frozen", "dairy": "chilled", "fruit-veg": "chilled"}


def add_requests() -> int:
    """Three sourcing requests per buyer in its interests (none if there are requests already)."""
    from django.core.management import call_command
    from oscar.core.loading import get_model

    from buyers.models import Buyer, RequestStatus, SourcingRequest

    if SourcingRequest.objects.exists():
        return 0
    Category = get_model("catalogue", "Category")
    roots = {c.path[: Category.steplen]: c.slug for c in Category.objects.filter(depth=1)}
    interests: dict[int, list] = {}
    for buyer_id, category in Buyer.interests.through.objects.select_related("category").values_list(
        "buyer_id", "category"
    ):
        interests.setdefault(buyer_id, []).append(category)
    categories = {c.id: c for c in Category.objects.all()}
    requests = []
    for n, buyer_id in enumerate(Buyer.objects.order_by("id").values_list("id", flat=True)):
        wanted = interests.get(buyer_id) or [None]
        for k in range(REQUESTS_PER_BUYER):
            category = categories.get(wanted[k % len(wanted)])
            root = roots.get(category.path[: Category.steplen]) if category else None
            i = n * REQUESTS_PER_BUYER + k
            requests.append(
                SourcingRequest(
                    buyer_id=buyer_id,
                    reference=f"BENCH-{k + 1}",
                    title=f"采购{category.name if category else '食品'} 长期供货",
                    category=category,
                    quantity=Decimal(100 + (i * 37) % 5000),
                    unit="箱",
                    target_price=Decimal(20 + (i * 13) % 200),
                    currency="CNY",
                    storage=STORAGE_BY_ROOT.get(root, "ambient") if i % 2 == 0 else "",
                    required_certifications=["HALAL"] if i % 7 == 0 else [],
                    status=RequestStatus.CLOSED if i % 10 == 9 else RequestStatus.OPEN,
                )
            )
    SourcingRequest.objects.bulk_create(requests, batch_size=2000)
    call_command("reindex", kind=["request"], verbosity=0)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # statistics of the added rows, as load_demo leaves them
    return len(requests)


def subjects(samples: int) -> dict[str, list[str]]:
    """``samples`` keys of each kind, spread evenly over the data set."""
    from buyers.models import Buyer, RequestStatus, SourcingRequest
    from exhibitors.models import CompanyStatus, Exhibitor

    def spread(keys: list[str]) -> list[str]:
        step = max(1, len(keys) // samples)
        return keys[::step][:samples]

    return {
        "buyer": spread(list(Buyer.objects.order_by("id").values_list("key", flat=True))),
        "request": spread(
            [
                f"{b}/{r}"
                for b, r in SourcingRequest.objects.filter(status=RequestStatus.OPEN)
                .order_by("id")
                .values_list("buyer__key", "reference")
            ]
        ),
        "exhibitor": spread(
            list(
                Exhibitor.objects.filter(status=CompanyStatus.VERIFIED)
                .order_by("id")
                .values_list("key", flat=True)
            )
        ),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=60, help="subjects of each kind to time")
    parser.add_argument("--warm", type=int, default=5, help="warm-up matches of each kind")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--target", type=float, default=100.0, help="p95 in ms to pass")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation
    from oscar.core.loading import get_model

    from buyers.models import SourcingRequest
    from exhibitors.models import Exhibitor
    from search.matching import match_subject

    added = add_requests()
    Product = get_model("catalogue", "Product")
    print(
        f"{connection.vendor}: {Exhibitor.objects.count()} exhibitors, {Product.objects.count()} products, "
        f"{SourcingRequest.objects.count()} sourcing requests" + (f" ({added} added)" if added else "")
    )
    translation.activate("en")
    timings: dict[str, list[float]] = {}
    for kind, keys in subjects(args.samples).items():
        for key in keys[: args.warm]:
            match_subject(kind, key, limit=args.limit)
        with CaptureQueriesContext(connection) as queries:
            match_subject(kind, keys[0], limit=args.limit)
        timings[kind] = []
        for key in keys:
            start = time.perf_counter()
            match_subject(kind, key, limit=args.limit)
            timings[kind].append((time.perf_counter() - start) * 1000)
        values = timings[kind]
        print(
            f"{kind:<10} n={len(values):<4} median {statistics.median(values):6.1f} ms   "
            f"p95 {percentile(values, 0.95):6.1f} ms   max {max(values):6.1f} ms   {len(queries)} queries"
        )
    every = [v for values in timings.values() for v in values]
    p95 = percentile(every, 0.95)
    print(f"{'all':<10} n={len(every):<4} median {statistics.median(every):6.1f} ms   p95 {p95:6.1f} ms")
    print("PASS" if p95 < args.target else "FAIL", f"(p95 target {args.target:.0f} ms)")
    return 0 if p95 < args.target else 1


if __name__ == "__main__":
    sys.exit(main())
