"""The whole buyer and exhibitor journey through the phone API alone, on PostgreSQL, with the
card paid through localstripe: a buyer company signs up and staff verify it; the buyer logs in,
searches, puts goods of two exhibitors in the basket and pays by card; each exhibitor
confirms, ships and delivers its own line; the buyer's notification feed shows every change.
Then an inquiry goes back and forth, and a quote is accepted and ordered at the quoted price.
No HTML page is requested (staff's verification is the admin action's service)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from buyers.models import Buyer
from payments.models import PaymentIntent
from payments.services import stripe_client
from search.indexing import drain
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long pass phrase 2026"
MEMBER_PASSWORD = "member-pass-2026"
ADDRESS = {
    "first_name": "芳",
    "last_name": "王",
    "line1": "金水路 88 号",
    "line4": "郑州",
    "state": "河南",
    "postcode": "450000",
    "country": "CN",
    "phone_number": "+8613800000000",
}


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("payments and stock need PostgreSQL's locking: run with DATABASE_URL=postgres://…")
    cache.clear()


class App:
    """A phone app: one person's tokens and the company it acts for."""

    def __init__(self, *, email: str, password: str):
        self.client = APIClient()
        self.client.credentials(HTTP_ACCEPT_LANGUAGE="en")
        tokens = self.call("post", "/api/v1/auth/login/", {"email": email, "password": password})
        self.client.credentials(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    def call(self, method: str, path: str, body: dict | None = None, expect: int = 200) -> dict:
        response = getattr(self.client, method)(path, body, format="json")
        assert response.status_code == expect, (method, path, response.status_code, response.content[:500])
        return response.json() if response.content else {}


def feed(app: App, since: int | None = None) -> tuple[list[dict], int]:
    path = "/api/v1/notifications/" + (f"?since={since}" if since is not None else "")
    body = app.call("get", path)
    return body["results"], body["next_since"]


@pytest.fixture
def sellers():
    """Two verified exhibitors with a member each and one product in stock each."""
    found = []
    for title, price in (("郑州辣条 Zhengzhou latiao", "12.50"), ("漯河火腿肠 Luohe ham sausage", "30.00")):
        member = MembershipFactory()
        product = ProductFactory(
            exhibitor=member.exhibitor, title=title, title_en=title, price=Decimal(price)
        )
        product.moq = 1
        product.save()
        product.stockrecords.update(num_in_stock=10_000)
        found.append((member, product))
    drain()  # the product changes reach the search index, as the worker does
    return found


def test_a_buyer_and_two_exhibitors_trade_through_the_api_alone(sellers, stripe_settings):
    (seller_a, latiao), (seller_b, ham) = sellers

    # Sign up: the company waits for staff; staff verify it through the API.
    visitor = APIClient()
    signed_up = visitor.post(
        "/api/v1/auth/register/",
        {
            "email": "app.buyer@example.com",
            "password": PASSWORD,
            "side": "buyer",
            "key": "91410100MA9APP0001",
            "name_zh": "郑州掌上食品贸易有限公司",
            "country": "CN",
            "province": "河南",
        },
        format="json",
    )
    assert signed_up.status_code == 201, signed_up.content
    buyer = Buyer.objects.get(key="91410100MA9APP0001")
    reviewer = UserFactory(email="reviewer@example.com", is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="change_buyer"))
    staff = App(email="reviewer@example.com", password=MEMBER_PASSWORD)
    pending = staff.call("get", "/api/v1/staff/companies/buyer/?status=pending")["results"]
    assert [row["key"] for row in pending] == [buyer.key]
    reviewed = staff.call("patch", f"/api/v1/staff/companies/buyer/{buyer.key}/", {"status": "verified"})
    assert reviewed["status"] == "verified" and reviewed["verified_at"]

    # Log in for a token; search; the two products.
    app = App(email="app.buyer@example.com", password=PASSWORD)
    me = app.call("get", "/api/v1/me/")
    assert me["acting_for"] == f"buyer:{buyer.pk}"
    found = app.call("get", "/api/products/?q=latiao")
    assert latiao.pk in [hit["id"] for hit in found["results"]]
    detail = app.call("get", f"/api/v1/products/{ham.pk}/")
    assert detail["id"] == ham.pk

    # Basket: lines of two exhibitors; pay by card through localstripe.
    app.call("post", "/api/v1/basket/lines/", {"product": latiao.pk, "quantity": 10}, expect=201)
    app.call("post", "/api/v1/basket/lines/", {"product": ham.pk, "quantity": 4}, expect=201)
    basket = app.call("get", "/api/v1/basket/")
    assert {line["product"]["id"] for line in basket["lines"]} == {latiao.pk, ham.pk}
    assert basket["total"] == "245.00"
    placed = app.call("post", "/api/v1/checkout/", {**ADDRESS, "payment_method": "card"}, expect=201)
    number = placed["number"]
    assert len(placed["exhibitors"]) == 2
    assert placed["payment"]["client_secret"] and placed["payment"]["publishable_key"] == "pk_test_foodexpo"
    intent = PaymentIntent.objects.get(order__number=number)
    stripe = stripe_client()  # what the app's Stripe SDK does with the client secret
    stripe.v1.payment_intents.update(intent.intent_id, params={"payment_method": "pm_card_visa"})
    stripe.v1.payment_intents.confirm(intent.intent_id)
    paid = app.call("post", f"/api/v1/orders/{number}/payment/confirm/", {})
    assert paid["status"] == "Paid"
    _, since = feed(app)

    # Each exhibitor confirms, ships and delivers its own line, and only its own.
    for member, product, tracking in ((seller_a, latiao, "SF2026A"), (seller_b, ham, "SF2026B")):
        seller = App(email=member.user.email, password=MEMBER_PASSWORD)
        lines = seller.call("get", "/api/v1/order-lines/")["results"]
        assert [(line["order"], line["product"]) for line in lines] == [(number, product.pk)]
        line = lines[0]
        seller.call("post", f"/api/v1/orders/{number}/confirm/", {"lines": [line["id"]]})
        seller.call(
            "post",
            f"/api/v1/orders/{number}/ship/",
            {"lines": {str(line["id"]): line["quantity"]}, "tracking": tracking},
        )
        seller.call("post", f"/api/v1/orders/{number}/deliver/", {"lines": [line["id"]]})
    order = app.call("get", f"/api/v1/orders/{number}/")
    statuses = {line["product"]: line["status"] for group in order["exhibitors"] for line in group["lines"]}
    assert statuses == {latiao.pk: "Delivered", ham.pk: "Delivered"}

    # Every status change is in the buyer's feed, after the cursor taken once paid.
    news, since = feed(app, since)
    texts = [n["text"] for n in news if n["kind"] == "order_status"]
    for status in ("Confirmed", "Shipped", "Delivered"):
        assert texts.count(f"Order {number}: {status}.") == 2, texts
    assert feed(app, since)[0] == []

    # An inquiry and its answer.
    asked = app.call(
        "post",
        "/api/v1/inquiries/",
        {"product": ham.pk, "products": [ham.pk], "message": "Price for 500 cartons?"},
        expect=201,
    )
    thread = asked["inquiry"]["thread"] if "thread" in asked["inquiry"] else None
    seller = App(email=seller_b.user.email, password=MEMBER_PASSWORD)
    threads = seller.call("get", "/api/v1/threads/")["results"]
    assert threads and threads[0]["unread"] is True
    thread = thread or threads[0]["id"]
    seller.call(
        "post", f"/api/v1/threads/{thread}/messages/", {"body": "28.00 CNY from 500 cartons."}, expect=201
    )
    messages = app.call("get", f"/api/v1/threads/{thread}/")["messages"]
    assert [m["body"] for m in messages][-1] == "28.00 CNY from 500 cartons."
    news, since = feed(app, since)
    assert [n["kind"] for n in news] == ["message"]

    # A quote on a sourcing request, accepted and ordered at the quoted price.
    request = app.call(
        "post",
        "/api/v1/sourcing-requests/",
        {"title": "Ham sausage, 500 cartons", "quantity": "500", "unit": "箱", "currency": "CNY"},
        expect=201,
    )
    request_id = request["request"]["id"] if "request" in request else request["id"]
    quoted = seller.call(
        "post",
        "/api/v1/quotes/",
        {
            "request": request_id,
            "product": ham.pk,
            "unit_price": "28.00",
            "moq": 500,
            "lead_time_days": 5,
            "delivery_terms": "delivered",
            "valid_until": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
        expect=201,
    )
    accepted = app.call("post", f"/api/v1/quotes/{quoted['quote']['id']}/accept/", {})
    app.call("post", "/api/v1/basket/lines/", {"negotiated": accepted["negotiated"]}, expect=201)
    ordered = app.call(
        "post", "/api/v1/checkout/", {**ADDRESS, "payment_method": "bank_transfer"}, expect=201
    )
    assert ordered["payment"]["reference"]
    lines = [
        line
        for group in app.call("get", f"/api/v1/orders/{ordered['number']}/")["exhibitors"]
        for line in group["lines"]
    ]
    assert [(line["product"], line["quantity"], line["unit_price"]) for line in lines] == [
        (ham.pk, 500, "28.00")
    ]
