"""Search latency: product search (Chinese and English, with filters and facets) and, when
``search.matching.match_subject`` exists, each matchmaking direction.

Runs against the database that ``DATABASE_URL`` names (settings ``config.settings.dev``
unless ``DJANGO_SETTINGS_MODULE`` says otherwise) and the backend the settings choose
(``ELASTICSEARCH_URL``). Prepare the benchmark data set first (see README.md beside this
file)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/foodexpo_searchbench \\
        python benchmarks/search_bench.py --repeat 30

Every query is run once to warm up, then ``--repeat`` times; the figures are wall-clock
milliseconds of one call as a page or the API makes it: the backend's search with facets
and highlights, then the page's products loaded from the catalogue. Target: p95 under
100 ms for each line. Exit status 0 when every line meets it, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402

TARGET_MS = 100.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def product_queries():
    from oscar.core.loading import get_model

    from search.backends import ProductQuery

    Category = get_model("catalogue", "Category")
    snacks = Category.objects.get(slug="snacks").pk
    meat = Category.objects.get(slug="meat").pk
    return [
        ("browse, newest", ProductQuery()),
        ("辣条", ProductQuery(q="辣条")),
        ("火腿肠", ProductQuery(q="火腿肠")),
        ("清真 牛肉", ProductQuery(q="清真 牛肉")),
        ("信阳毛尖", ProductQuery(q="信阳毛尖")),
        ("ham sausage", ProductQuery(q="ham sausage")),
        ("frozen dumplings", ProductQuery(q="frozen dumplings")),
        ("halal + HALAL certified", ProductQuery(q="halal", certification="HALAL")),
        (
            "snacks category, price 20-100",
            ProductQuery(category=snacks, min_price=Decimal(20), max_price=Decimal(100)),
        ),
        (
            "meat, chilled, 河南, sort price",
            ProductQuery(category=meat, storage="chilled", province="河南", sort="price"),
        ),
        ("tea, MOQ <= 10, page 3", ProductQuery(q="tea", max_moq=10, page=3)),
        ("no match: 不存在的商品", ProductQuery(q="不存在的商品")),
    ]


def company_queries():
    from oscar.core.loading import get_model

    from search.backends import CompanyQuery

    Category = get_model("catalogue", "Category")
    return [
        ("exhibitors: directory, by name", CompanyQuery(sort="name")),
        ("exhibitors: 辣条", CompanyQuery(q="辣条")),
        ("exhibitors: halal, HALAL, 2026", CompanyQuery(q="halal", certification="HALAL", edition=2026)),
        (
            "exhibitors: meat category, 河南",
            CompanyQuery(category=Category.objects.get(slug="meat").pk, province="河南"),
        ),
    ]


def time_calls(call, repeat: int) -> list[float]:
    call()  # warm up: caches, the query planner, the index pages
    samples = []
    for _ in range(repeat):
        reset_queries()
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def match_subjects(per_kind: int) -> list[tuple[str, str]]:
    from buyers.models import Buyer, RequestStatus, SourcingRequest
    from exhibitors.models import CompanyStatus, Exhibitor

    buyers = Buyer.objects.filter(status=CompanyStatus.VERIFIED).order_by("id")
    subjects = [("buyer", key) for key in buyers.values_list("key", flat=True)[:per_kind]]
    subjects += [
        ("request", f"{buyer_key}/{reference}")
        for buyer_key, reference in SourcingRequest.objects.filter(status=RequestStatus.OPEN)
        .order_by("id")
        .values_list("buyer__key", "reference")[:per_kind]
    ]
    subjects += [
        ("exhibitor", key)
        for key in Exhibitor.objects.filter(status=CompanyStatus.VERIFIED)
        .order_by("id")
        .values_list("key", flat=True)[:per_kind]
    ]
    return subjects


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query (default 30)")
    parser.add_argument("--subjects", type=int, default=5, help="match subjects per direction (default 5)")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="never reuse cached facet counts (by default those of searches without words are kept "
        "until the index changes, as on the site)",
    )
    args = parser.parse_args(argv)
    if args.cold:
        from django.conf import settings

        settings.SEARCH_FACET_CACHE_SECONDS = 0

    from oscar.core.loading import get_model

    from search.backends import get_backend
    from search.selectors import company_search, product_search

    Product = get_model("catalogue", "Product")
    backend = get_backend()
    print(
        f"backend {backend.name} on {connection.vendor}; {Product.objects.count():,} products; "
        f"{args.repeat} runs per line after one warm-up{'; facet counts never cached' if args.cold else ''}"
    )
    if Product.objects.count() < 1000:
        print("warning: few products; load the benchmark set with `manage.py load_demo --scale 100`")
    rows = []
    for label, query in product_queries():
        samples = time_calls(lambda query=query: product_search(query=query, clamp=False), args.repeat)
        rows.append((f"products: {label}", samples))
    for label, query in company_queries():
        samples = time_calls(lambda query=query: company_search(query=query, clamp=False), args.repeat)
        rows.append((label, samples))
    keywords = [
        ["辣条", "halal snacks", "sausage"],
        ["面粉", "食用油", "冷鲜肉"],
        ["green tea", "baijiu", "candy"],
    ]
    for kind in ("product", "exhibitor"):
        samples = []
        for terms in keywords:
            samples += time_calls(
                lambda kind=kind, terms=terms: backend.keyword_scores(kind, terms), args.repeat
            )
        rows.append((f"keyword_scores: {kind}, 3 terms", samples))

    try:
        from search.matching import match_subject
    except ImportError:
        match_subject = None
        print("search.matching.match_subject is not importable: matchmaking not measured")
    if match_subject is not None:
        by_kind: dict[str, list[float]] = {}
        for kind, key in match_subjects(args.subjects):
            samples = time_calls(lambda kind=kind, key=key: match_subject(kind, key, limit=20), args.repeat)
            by_kind.setdefault(kind, []).extend(samples)
        for kind in ("buyer", "request", "exhibitor"):
            if by_kind.get(kind):
                rows.append((f"match: {kind} (over {args.subjects} subjects)", by_kind[kind]))
            else:
                print(f"match: no {kind} subjects in this database")

    width = max(len(label) for label, _s in rows)
    print(f"{'':{width}}  median ms   p95 ms")
    over: dict[str, bool] = {}
    for label, samples in rows:
        median, p95 = statistics.median(samples), percentile(samples, 0.95)
        group = label.split(":")[0]
        over[group] = over.get(group, False) or p95 >= TARGET_MS
        print(f"{label:{width}}  {median:9.1f}  {p95:7.1f}{'  over target' if p95 >= TARGET_MS else ''}")
    every = [s for _label, samples in rows for s in samples]
    print(f"{'all lines':{width}}  {statistics.median(every):9.1f}  {percentile(every, 0.95):7.1f}")
    for group, failed in over.items():
        print(f"{group}: {'FAIL' if failed else 'PASS'} (p95 under {TARGET_MS:.0f} ms on every line)")
    return 1 if any(over.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
