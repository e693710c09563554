"""Latency of the phone API (``/api/v1/``) at 1 and 4 concurrent clients, served by gunicorn.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/foodexpo_searchbench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo --scale 100
    .venv/bin/python benchmarks/api_bench.py --levels 1,4 --seconds 10

The script starts gunicorn on a free port of 127.0.0.1 against ``DATABASE_URL``, keeping
database connections as production does (``benchmarks/bench_settings.py``). Each client
is its own member of the demo buyer company (``loadbuyer<N>@foodexpo.example``, as for
``load.py``), logs in for a token, and before the timing places ``--orders`` bank-transfer
orders through the API, so that its order list has rows. Then for each level, each step runs
for ``--seconds``: the product list (a page of 20), a product's detail (with the member's
prices), a basket add (one product at its minimum order) and the order list. It prints per
step and level the throughput, p50/p95 latency and errors (any answer but the expected one),
and whether the reads' p95 is within ``--target`` ms (50). Only loopback is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import ADDRESS, prepare, run_step, wait_until_up  # noqa: E402
from benchmarks.serve import free_port, start_gunicorn  # noqa: E402

STEPS = ("product list", "product detail", "basket add", "order list")
READS = ("product list", "product detail", "order list")


class ApiClient:
    """One buyer member holding its own access token."""

    def __init__(self, base: str, email: str, password: str, plan: dict):
        self.base, self.email, self.password, self.plan = base, email, password, plan
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        self.headers = {"Accept-Language": "en"}

    async def close(self) -> None:
        await self.session.close()

    async def call(self, method: str, path: str, body: dict | None = None, expect=(200,)) -> dict:
        async with self.session.request(
            method,
            self.base + path,
            data=None if body is None else json.dumps(body),
            headers={**self.headers, "Content-Type": "application/json"},
        ) as response:
            text = await response.text()
            if response.status not in expect:
                raise RuntimeError(f"{method} {path}: {response.status} {text[:200]}")
            return json.loads(text) if text else {}

    async def login(self) -> None:
        tokens = await self.call(
            "POST", "/api/v1/auth/login/", {"email": self.email, "password": self.password}
        )
        self.headers["Authorization"] = f"Bearer {tokens['access']}"

    async def add_to_basket(self) -> None:
        plan = self.plan
        await self.call(
            "POST",
            "/api/v1/basket/lines/",
            {"product": plan["product_id"], "quantity": plan["quantity"]},
            expect=(200, 201),
        )

    async def place_order(self) -> None:
        await self.add_to_basket()
        await self.call(
            "POST",
            "/api/v1/checkout/",
            {**ADDRESS, "country": "CN", "payment_method": "bank_transfer"},
            expect=(201,),
        )

    async def step(self, name: str) -> None:
        if name == "product list":
            await self.call("GET", "/api/v1/products/?page_size=20")
        elif name == "product detail":
            await self.call("GET", f"/api/v1/products/{self.plan['product_id']}/")
        elif name == "basket add":
            await self.add_to_basket()
        else:
            await self.call("GET", "/api/v1/orders/")


async def drive(base: str, plan: dict, levels: list[int], seconds: float, orders: int, target: float):
    await wait_until_up(base)
    clients = [ApiClient(base, email, plan["password"], plan) for email in plan["emails"]]
    try:
        await asyncio.gather(*(client.login() for client in clients))
        for client in clients:
            for _ in range(orders):
                await client.place_order()
        for name in STEPS:  # warm each step once
            await clients[0].step(name)
        print(f"{'step':<15} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        worst = 0.0
        for level in levels:
            for name in STEPS:
                figures = await run_step(clients[:level], name, seconds)
                if name in READS:
                    worst = max(worst, figures["p95"])
                print(
                    f"{name:<15} {level:>7} {figures['rate']:>8.1f} {figures['p50']:>8.1f} "
                    f"{figures['p95']:>8.1f} {figures['errors']:>7}"
                    + (f"  e.g. {figures['example']}" if figures["example"] else "")
                )
        verdict = "PASS" if worst <= target else "FAIL"
        print(f"reads: worst p95 {worst:.1f} ms, target {target:g} ms: {verdict}")
    finally:
        await asyncio.gather(*(client.close() for client in clients))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--levels", default="1,4", help="concurrency levels (default 1,4)")
    parser.add_argument("--seconds", type=float, default=10, help="seconds per step and level (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--orders", type=int, default=5, help="orders each client places first (default 5)")
    parser.add_argument("--target", type=float, default=50, help="p95 target of the reads, ms (default 50)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://... (the API benchmark runs on PostgreSQL).")
    levels = sorted({int(level) for level in args.levels.split(",") if level.strip()})

    plan = prepare(max(levels))
    port = free_port()
    server = start_gunicorn(port, workers=args.workers)
    try:
        print(f"gunicorn {args.workers} workers on 127.0.0.1:{port}, {args.seconds:g} s per step and level")
        asyncio.run(drive(f"http://127.0.0.1:{port}", plan, levels, args.seconds, args.orders, args.target))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
