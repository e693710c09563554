"""Median and p95 latency of the expo's pages under load, served by gunicorn.

Prepare a large data set once, then run the benchmark against the same database:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/foodexpo_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo --scale 100
    .venv/bin/python benchmarks/page_latency.py

The script starts gunicorn (2 workers) on a free local port, warms each page, then sends
``--requests`` requests per page from ``--concurrency`` client threads and prints the
figures. Oscar's own catalogue view (haystack on its simple engine) is served beside ours
at ``/oscar-catalogue/`` (``benchmarks/bench_urls.py``) so both are measured on the same
data in the same run. Requests go to 127.0.0.1 only; the run is bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.serve import free_port, start_gunicorn  # noqa: E402


def page_urls() -> dict[str, str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from exhibitors.models import Participation
    from expo.models import EventPage, ExpoEditionPage, NewsPage

    edition = ExpoEditionPage.objects.live().filter(locale__language_code="zh-hans").order_by("-year").first()
    if edition is None:
        sys.exit("No expo edition: run `manage.py load_demo --scale 100` on this database first.")
    participation = (
        Participation.objects.filter(edition=edition.year, exhibitor__status="verified")
        .order_by("id")
        .first()
    )
    booth = edition.url + edition.reverse_subpage("booth_route", args=[participation.exhibitor.key])
    from django.utils import translation
    from oscar.core.loading import get_model

    with translation.override("zh-hans"):
        category = get_model("catalogue", "Category").objects.get(slug="snacks").get_absolute_url()
        product = get_model("catalogue", "Product").objects.filter(is_public=True).order_by("id").first()
        product_url = product.get_absolute_url()
    return {
        "catalogue": "/catalogue/",
        "catalogue (Oscar's)": "/oscar-catalogue/",
        "category": category,
        "product": product_url,
        "basket": "/basket/",
        "home": "/",
        "home (en)": "/en/",
        "edition": edition.url,
        "edition, filtered": edition.url + "?hall=B&certificate=HALAL",
        "booth": booth,
        "news article": NewsPage.objects.live().first().url,
        "event": EventPage.objects.live().first().url,
    }


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def hammer(port: int, path: str, *, requests: int, concurrency: int, deadline: float) -> list[float]:
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    remaining = [requests]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            conn.request("GET", quote(path, safe="/?=&"))
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                if response.status != 200:
                    errors.append(f"{response.status} {path}")
                timings.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--max-seconds", type=float, default=120, help="stop each page after this long")
    args = parser.parse_args()

    urls = page_urls()
    port = free_port()
    server = start_gunicorn(port, workers=args.workers)
    try:
        wait_until_up(port)
        setup = f"gunicorn {args.workers} workers, {args.concurrency} client threads"
        print(f"{setup}, {args.requests} requests per page")
        print(f"{'page':<20} {'median ms':>10} {'p95 ms':>10} {'req/s':>8}")
        for name, path in urls.items():
            hammer(port, path, requests=10, concurrency=1, deadline=time.monotonic() + 60)  # warm up
            started = time.monotonic()
            timings = hammer(
                port,
                path,
                requests=args.requests,
                concurrency=args.concurrency,
                deadline=started + args.max_seconds,
            )
            wall = time.monotonic() - started
            timings.sort()
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            median = statistics.median(timings) * 1000
            print(f"{name:<20} {median:>10.1f} {p95 * 1000:>10.1f} {len(timings) / wall:>8.1f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
