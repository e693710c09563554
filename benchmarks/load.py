"""Throughput and latency of the main journeys at rising concurrency, served by gunicorn.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/foodexpo_loadsmall
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python benchmarks/load.py --levels 1,2,4 --seconds 5

The script starts gunicorn on a free port of 127.0.0.1 against ``DATABASE_URL``, then, for
each concurrency level, runs that many asyncio clients for ``--seconds`` per step: home,
catalogue, search, a product page, the match API and a checkout (basket, address, shipping,
bank transfer, place the order; its mails go nowhere, see ``bench_settings``). Every client
is signed in as its own member of the demo buyer company (created here,
``loadbuyer<N>@foodexpo.example``, the demo password), so that each has its own basket; the
checkout product gets enough stock for the run. It prints per step and level the
throughput, p50/p95 latency and errors (any answer but the expected one), and the highest
level at which every step had none. Only loopback is contacted; the run stops after
``levels × steps × seconds`` plus start-up.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.serve import free_port, start_gunicorn  # noqa: E402

ADDRESS = {
    "first_name": "芳",
    "last_name": "王",
    "line1": "金水路 88 号",
    "line4": "郑州",
    "state": "河南",
    "postcode": "450000",
}
STEPS = ("home", "catalogue", "search", "product", "match api", "checkout")


def prepare(clients: int) -> dict:
    """Read the URLs from the database and make one buyer member per client."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import translation
    from oscar.core.loading import get_model

    from buyers.models import Buyer
    from exhibitors.models import Membership, Role
    from expo.demo.loader import DEMO_MEMBER_PASSWORD, DEMO_MEMBERS

    buyer_email = next(email for email, (side, _i) in DEMO_MEMBERS.items() if side == "buyer")
    owner = Membership.objects.filter(user__email=buyer_email, buyer__isnull=False).first()
    if owner is None:
        sys.exit("No demo buyer: run `manage.py load_demo` on this database first.")
    buyer: Buyer = owner.buyer
    User = get_user_model()
    emails = []
    for n in range(clients):
        email = f"loadbuyer{n}@foodexpo.example"
        user, created = User.objects.get_or_create(email=email, defaults={"username": email})
        if created:
            user.set_password(DEMO_MEMBER_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, buyer=buyer, defaults={"role": Role.STAFF})
        emails.append(email)
    StockRecord = get_model("partner", "StockRecord")
    record = (
        StockRecord.objects.filter(
            product__is_public=True, partner__exhibitor__status="verified", price__gt=0
        )
        .select_related("product")
        .order_by("id")
        .first()
    )
    if record is None:
        sys.exit("No product on sale: run `manage.py load_demo` on this database first.")
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=10_000_000, num_allocated=0)
    with translation.override("en"):
        product_url = record.product.get_absolute_url()
    return {
        "emails": emails,
        "password": DEMO_MEMBER_PASSWORD,
        "product_id": record.product_id,
        "product_url": product_url,
        "quantity": max(1, getattr(record.product, "moq", 1) or 1),
        "match_url": f"/api/match/buyer/{buyer.key}/",
        "search_term": record.product.title[:2],
    }


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else ""


class Client:
    """One signed-in buyer member with its own cookies."""

    def __init__(self, base: str, email: str, password: str, plan: dict):
        self.base, self.email, self.password, self.plan = base, email, password, plan
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies for 127.0.0.1
            timeout=aiohttp.ClientTimeout(total=60),
        )

    async def close(self) -> None:
        await self.session.close()

    async def get(self, path: str, expect=(200,)) -> str:
        async with self.session.get(self.base + path, allow_redirects=False) as response:
            text = await response.text()
            if response.status not in expect:
                raise RuntimeError(f"GET {path}: {response.status}")
            return text

    async def post(self, path: str, data: dict, csrf_from: str, expect=(302,)) -> str:
        token = csrf_of(csrf_from)
        headers = {"Referer": self.base + path, "X-CSRFToken": token}
        async with self.session.post(
            self.base + path,
            data={"csrfmiddlewaretoken": token, **data},
            headers=headers,
            allow_redirects=False,
        ) as response:
            await response.read()
            if response.status not in expect:
                raise RuntimeError(f"POST {path}: {response.status}")
            return response.headers.get("Location", "")

    async def login(self) -> None:
        page = await self.get("/en/accounts/login/")
        await self.post(
            "/en/accounts/login/",
            {"login-username": self.email, "login-password": self.password, "login_submit": "1"},
            page,
        )

    async def checkout(self) -> None:
        plan = self.plan
        product = await self.get(plan["product_url"])
        await self.post(f"/en/basket/add/{plan['product_id']}/", {"quantity": plan["quantity"]}, product)
        page = await self.get("/en/checkout/shipping-address/")
        await self.post("/en/checkout/shipping-address/", ADDRESS, page)
        page = await self.get("/en/checkout/shipping-method/")
        await self.post("/en/checkout/shipping-method/", {"method_code": "per-exhibitor"}, page)
        page = await self.get("/en/checkout/payment-method/")
        await self.post("/en/checkout/payment-method/", {"method": "bank_transfer"}, page)
        preview = await self.get("/en/checkout/preview/")
        where = await self.post(
            "/en/checkout/preview/",
            {
                "action": "place_order",
                "fingerprint": hidden(preview, "fingerprint"),
                "total": hidden(preview, "total"),
            },
            preview,
        )
        if not where.endswith("/checkout/thank-you/"):
            raise RuntimeError(f"order not placed: sent to {where}")
        await self.get("/en/checkout/thank-you/")

    async def step(self, name: str) -> None:
        plan = self.plan
        if name == "home":
            await self.get("/")
        elif name == "catalogue":
            await self.get("/en/catalogue/")
        elif name == "search":
            await self.get(f"/search/?q={plan['search_term']}")
        elif name == "product":
            await self.get(plan["product_url"])
        elif name == "match api":
            await self.get(plan["match_url"])
        else:
            await self.checkout()


async def run_step(clients: list[Client], name: str, seconds: float) -> dict:
    timings: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    async def loop(client: Client) -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                await client.step(name)
            except Exception as exc:  # noqa: BLE001 - every failure is counted, the run goes on
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            timings.append(time.perf_counter() - started)

    started = time.monotonic()
    await asyncio.gather(*(loop(client) for client in clients))
    wall = time.monotonic() - started
    timings.sort()

    def pct(p: float) -> float:
        return timings[min(len(timings) - 1, int(len(timings) * p))] * 1000 if timings else float("nan")

    return {
        "rate": len(timings) / wall,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "errors": len(errors),
        "example": errors[0] if errors else "",
    }


async def wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(base + "/api/") as response:
                    await response.read()
                    return
            except aiohttp.ClientError:
                await asyncio.sleep(0.3)
    raise SystemExit("gunicorn did not start")


async def drive(base: str, plan: dict, levels: list[int], seconds: float) -> None:
    await wait_until_up(base)
    clients = [Client(base, email, plan["password"], plan) for email in plan["emails"]]
    try:
        await asyncio.gather(*(client.login() for client in clients))
        for client in clients[:1]:  # warm each step once
            for name in STEPS:
                await client.step(name)
        print(f"{'step':<10} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        clean: list[int] = []
        for level in levels:
            level_clean = True
            for name in STEPS:
                figures = await run_step(clients[:level], name, seconds)
                level_clean &= figures["errors"] == 0
                print(
                    f"{name:<10} {level:>7} {figures['rate']:>8.1f} {figures['p50']:>8.0f} "
                    f"{figures['p95']:>8.0f} {figures['errors']:>7}"
                    + (f"  e.g. {figures['example']}" if figures["example"] else "")
                )
            if level_clean:
                clean.append(level)
        print("checkout: req/s counts placed orders; its p50/p95 are of the whole journey (11 requests).")
        highest = max(clean) if clean else None
        failing = [level for level in levels if level not in clean]
        if highest is None:
            print("every level had errors")
        else:
            print(
                f"highest level with no errors: {highest} clients"
                + (f"; errors at {failing}" if failing else "")
            )
    finally:
        await asyncio.gather(*(client.close() for client in clients))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--levels", default="1,2,4,8,16", help="concurrency levels (default 1,2,4,8,16)")
    parser.add_argument("--seconds", type=float, default=10, help="seconds per step and level (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://... (the load benchmark runs on PostgreSQL).")
    levels = sorted({int(level) for level in args.levels.split(",") if level.strip()})

    plan = prepare(max(levels))
    port = free_port()
    server = start_gunicorn(port, workers=args.workers)
    try:
        print(f"gunicorn {args.workers} workers on 127.0.0.1:{port}, {args.seconds:g} s per step and level")
        asyncio.run(drive(f"http://127.0.0.1:{port}", plan, levels, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
