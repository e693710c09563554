"""``/api/v1/checkout/``: the basket becomes one order through the HTML checkout's service."""

from __future__ import annotations

import pytest

from tests.checkout.support import ADDRESS, china

from .trading import app, buyer_member, tiered_product

pytestmark = pytest.mark.django_db


def test_a_bank_transfer_order_answers_its_instructions_and_a_repeat_places_no_second_order():
    china()
    member = buyer_member()
    product = tiered_product()
    api = app(member)
    assert (
        api.post("/api/v1/basket/lines/", {"product": product.pk, "quantity": 100}, format="json").status_code
        == 201
    )
    body = {**ADDRESS, "country": "CN", "payment_method": "bank_transfer"}
    response = api.post("/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201, response.content
    placed = response.json()
    assert placed["payment"]["method"] == "bank_transfer" and placed["payment"]["reference"]
    assert placed["exhibitors"][0]["lines"][0]["quantity"] == 100
    again = api.post("/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["number"] == placed["number"]
    third = api.post("/api/v1/checkout/", body, format="json")
    assert third.status_code == 422 and third.json()["error"] == "not_sellable"
    orders = api.get("/api/v1/orders/").json()["results"]
    assert [row["number"] for row in orders] == [placed["number"]]
    assert api.get(f"/api/v1/orders/{placed['number']}/").status_code == 200
    assert app(buyer_member()).get(f"/api/v1/orders/{placed['number']}/").status_code == 404
