"""Import benchmark: 10,000 exhibitors and 100,000 products from CSV, through the import engine.

The target is under 60 s and under 500 MB peak memory for both files together, on SQLite
and on PostgreSQL. The database is the one the environment configures (``DATABASE_URL``);
use a throwaway one, see README.md beside this file.

    DATABASE_URL=sqlite:////tmp/bench.db python benchmarks/import_bench.py
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from exhibitors.imports.engine import import_file  # noqa: E402
from exhibitors.imports.kinds import KINDS  # noqa: E402
from exhibitors.models import Exhibitor  # noqa: E402

LIMIT_SECONDS = 60
LIMIT_MB = 500
PROVINCES = [("河南", "漯河"), ("河南", "郑州"), ("湖北", "武汉"), ("山东", "临沂"), ("四川", "成都")]
CATEGORIES = [
    ("meat", "meat-ham-sausage", "火腿肠", "ham sausage", "ambient"),
    ("snacks", "snacks-latiao", "辣条", "latiao", "ambient"),
    ("grain-oil", "grain-flour", "面粉", "wheat flour", "ambient"),
    ("frozen", "frozen", "速冻水饺", "frozen dumplings", "frozen"),
    ("dairy", "dairy", "纯牛奶", "UHT milk", "chilled"),
]


def exhibitor_key(index: int) -> str:
    # Shaped like a unified social credit code (18 characters); not a real one.
    return f"91411100BM{index:07d}X"


def write_exhibitors(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(KINDS["exhibitors"]().column_names)
        for i in range(count):
            province, city = PROVINCES[i % len(PROVINCES)]
            parent, child, name_zh, name_en, _storage = CATEGORIES[i % len(CATEGORIES)]
            writer.writerow(
                [
                    exhibitor_key(i),
                    f"{city}示例{name_zh}食品有限公司{i}",
                    f"{city} Example {name_en.title()} Co. {i}",
                    "CN",
                    province,
                    city,
                    f"{parent};{child}",
                    f"SC:2029-{i % 12 + 1:02d}-28;HACCP" + (";HALAL:2020-01-01" if i % 7 == 0 else ""),
                    f"专业生产{name_zh}，产品销往全国。" * 3,
                    f"Maker of {name_en}, sold all over China. " * 3,
                    f"https://ex{i}.example.cn",
                    "王经理",
                    f"0395-{i:07d}",
                    f"sales{i}@example.cn",
                    "2025;2026",
                    f"A-{i % 9000 + 1000};B-{i % 9000 + 1000}",
                    "pending" if i % 17 == 16 else "verified",
                ]
            )


def write_products(path: Path, exhibitors: int, per_exhibitor: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(KINDS["products"]().column_names)
        for i in range(exhibitors):
            _parent, child, name_zh, name_en, storage = CATEGORIES[i % len(CATEGORIES)]
            for k in range(per_exhibitor):
                price = 20 + (i + k) % 180
                writer.writerow(
                    [
                        exhibitor_key(i),
                        f"SKU-{k + 1:03d}",
                        f"{name_zh} 规格{k + 1}",
                        f"{name_en.title()} size {k + 1}",
                        child,
                        f"精选原料，{name_zh}，独立包装。",
                        f"Selected ingredients, {name_en}, individually wrapped.",
                        f"{price}.00",
                        "CNY",
                        "箱",
                        str(10 * (k + 1)),
                        f"100:{price - 1}.50;500:{price - 2}.00" if k % 2 == 0 else "",
                        "" if k % 5 == 4 else str(1000 + k),
                        "180",
                        storage,
                        "河南漯河",
                        "500g×20袋",
                        "SC;HALAL" if k % 3 == 0 else "SC",
                        "yes" if k % 2 else "no",
                    ]
                )


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(label: str, kind: str, path: Path, *, trace: bool) -> tuple[float, str]:
    if trace:
        tracemalloc.reset_peak()
    started = time.perf_counter()
    report = import_file(kind, path)
    seconds = time.perf_counter() - started
    traced = f", tracemalloc peak {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MB" if trace else ""
    print(
        f"{label:<24} {seconds:7.1f} s   peak RSS {peak_mb():6.0f} MB{traced}   {report.summary}",
        flush=True,
    )
    if report.errors:
        print(f"  first errors: {[str(e) for e in report.errors[:3]]}", flush=True)
    return seconds, report.summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhibitors", type=int, default=10_000)
    parser.add_argument("--products-per-exhibitor", type=int, default=10)
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    parser.add_argument("--no-reimport", action="store_true", help="skip the second, all-unchanged pass")
    parser.add_argument(
        "--allow-existing", action="store_true", help="run even if the database has exhibitors"
    )
    args = parser.parse_args()

    if Exhibitor.objects.exists() and not args.allow_existing:
        print("The database already holds exhibitors; use a throwaway database (see README.md).")
        return 2
    database = connection.settings_dict
    print(f"database: {connection.vendor} {database['NAME']}")
    if args.tracemalloc:
        tracemalloc.start()
    with tempfile.TemporaryDirectory() as folder:
        exhibitors, products = Path(folder) / "exhibitors.csv", Path(folder) / "products.csv"
        started = time.perf_counter()
        write_exhibitors(exhibitors, args.exhibitors)
        write_products(products, args.exhibitors, args.products_per_exhibitor)
        sizes = f"{exhibitors.stat().st_size / 2**20:.1f} MB + {products.stat().st_size / 2**20:.1f} MB"
        took = time.perf_counter() - started
        print(f"generated CSVs ({sizes}) in {took:.1f} s; peak RSS {peak_mb():.0f} MB")

        first = run(f"exhibitors ({args.exhibitors:,})", "exhibitors", exhibitors, trace=args.tracemalloc)[0]
        count = args.exhibitors * args.products_per_exhibitor
        first += run(f"products ({count:,})", "products", products, trace=args.tracemalloc)[0]
        peak = peak_mb()
        print(f"{'total (first import)':<24} {first:7.1f} s   peak RSS {peak:6.0f} MB")
        if not args.no_reimport:
            again = run("exhibitors again", "exhibitors", exhibitors, trace=args.tracemalloc)[0]
            again += run("products again", "products", products, trace=args.tracemalloc)[0]
            print(f"{'total (re-import)':<24} {again:7.1f} s   peak RSS {peak_mb():6.0f} MB")
    ok = first < LIMIT_SECONDS and peak < LIMIT_MB
    verdict = "PASS" if ok else "FAIL"
    print(f"{verdict}: first import {first:.1f} s (< {LIMIT_SECONDS}), peak {peak:.0f} MB (< {LIMIT_MB})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
