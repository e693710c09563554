"""``/api/v1/orders/`` and ``/api/v1/order-lines/``: who reads which order, the fulfilment
actions each side may take, and reads whose number of queries does not grow with the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory
from tests.factories.orders import paid_order

from .trading import app, buyer_member

pytestmark = pytest.mark.django_db


def queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
        assert response.status_code == 200, response.content
    return len(captured)


@pytest.fixture
def makers():
    """Two exhibitor companies, each with a member and a product."""
    members = [MembershipFactory(), MembershipFactory()]
    return [
        (member, ProductFactory(exhibitor=member.exhibitor, title=f"商品{n}"))
        for n, member in enumerate(members)
    ]


def test_the_buyer_reads_its_whole_order_and_each_exhibitor_only_its_lines(makers):
    (first, first_product), (second, second_product) = makers
    buyer = buyer_member()
    order = paid_order(user=buyer.user, items=[(first_product, 3), (second_product, 5)])

    whole = app(buyer).get(f"/api/v1/orders/{order.number}/").json()
    assert [len(group["lines"]) for group in whole["exhibitors"]] == [1, 1]
    assert {group["exhibitor"]["key"] for group in whole["exhibitors"]} == {
        first.exhibitor.key,
        second.exhibitor.key,
    }
    own = app(first).get(f"/api/v1/orders/{order.number}/").json()
    assert [group["exhibitor"]["key"] for group in own["exhibitors"]] == [first.exhibitor.key]
    assert [line["quantity"] for line in own["exhibitors"][0]["lines"]] == [3]

    listed = app(buyer).get("/api/v1/orders/").json()["results"]
    assert [(row["number"], row["num_lines"]) for row in listed] == [(str(order.number), 2)]
    assert [row["order"] for row in app(second).get("/api/v1/order-lines/").json()["results"]] == [
        str(order.number)
    ]


def test_another_buyer_and_an_exhibitor_without_lines_in_it_get_a_404(makers):
    (_first, product), _second = makers
    order = paid_order(user=buyer_member().user, items=[(product, 1)])
    for stranger in (buyer_member(), MembershipFactory()):
        response = app(stranger).get(f"/api/v1/orders/{order.number}/")
        assert response.status_code == 404 and response.json()["error"] == "not_found"
        assert app(stranger).post(
            f"/api/v1/orders/{order.number}/confirm/", {"lines": [1]}, format="json"
        ).status_code in (403, 404, 422)


def test_an_exhibitor_confirms_ships_and_delivers_its_line_and_the_buyer_sees_each_step(makers):
    (member, product), (other, other_product) = makers
    buyer = buyer_member()
    order = paid_order(user=buyer.user, items=[(product, 4), (other_product, 2)])
    line = order.lines.get(product=product)
    other_line = order.lines.get(product=other_product)
    exhibitor = app(member)

    # Another exhibitor's line in the same order is not this exhibitor's to confirm.
    refused = exhibitor.post(
        f"/api/v1/orders/{order.number}/confirm/", {"lines": [other_line.pk]}, format="json"
    )
    assert 400 <= refused.status_code < 500 and refused.json()["error"]
    assert app(buyer).post(
        f"/api/v1/orders/{order.number}/confirm/", {"lines": [line.pk]}, format="json"
    ).status_code in (403, 422)

    steps = [
        ("confirm", {"lines": [line.pk]}),
        ("ship", {"lines": {str(line.pk): 4}, "tracking": "SF1234567890"}),
        ("deliver", {"lines": [line.pk]}),
    ]
    seen = []
    for action, body in steps:
        response = exhibitor.post(f"/api/v1/orders/{order.number}/{action}/", body, format="json")
        assert response.status_code == 200, (action, response.content)
        mine = app(buyer).get(f"/api/v1/orders/{order.number}/").json()
        statuses = {row["id"]: row["status"] for group in mine["exhibitors"] for row in group["lines"]}
        seen.append(statuses[line.pk])
        assert statuses[other_line.pk] == "Paid"
    assert seen == ["Confirmed", "Shipped", "Delivered"]
    tracked = app(buyer).get(f"/api/v1/orders/{order.number}/").json()
    assert any(
        "SF1234567890" in str(row["tracking"]) for group in tracked["exhibitors"] for row in group["lines"]
    )
    # A retried delivery changes nothing and tells the buyer nothing again; shipping it again is refused.
    told = app(buyer).get("/api/v1/notifications/").json()
    again = exhibitor.post(f"/api/v1/orders/{order.number}/deliver/", {"lines": [line.pk]}, format="json")
    assert again.status_code == 200
    assert app(buyer).get("/api/v1/notifications/").json() == told
    ship_again = exhibitor.post(
        f"/api/v1/orders/{order.number}/ship/", {"lines": {str(line.pk): 1}, "tracking": "SF0"}, format="json"
    )
    assert ship_again.status_code == 422 and ship_again.json()["detail"]


def test_the_order_list_takes_the_same_queries_for_2_orders_as_for_12(makers):
    (_member, product), (_other, other_product) = makers
    buyer = buyer_member()
    api = app(buyer)
    for _ in range(2):
        paid_order(user=buyer.user, items=[(product, 1)])
    few = queries(api, "/api/v1/orders/?page_size=50")
    for _ in range(10):
        paid_order(user=buyer.user, items=[(product, 1), (other_product, 2)])
    assert queries(api, "/api/v1/orders/?page_size=50") == few


def test_an_order_reads_in_the_same_queries_with_1_exhibitor_as_with_5():
    buyer = buyer_member()
    api = app(buyer)
    products = [ProductFactory(exhibitor=MembershipFactory().exhibitor) for _ in range(5)]
    small = paid_order(user=buyer.user, items=[(products[0], 1)])
    large = paid_order(user=buyer.user, items=[(product, 2) for product in products])
    assert queries(api, f"/api/v1/orders/{large.number}/") == queries(api, f"/api/v1/orders/{small.number}/")


def test_the_exhibitors_line_list_takes_the_same_queries_for_2_lines_as_for_12(makers):
    (member, product), _second = makers
    api = app(member)
    for _ in range(2):
        paid_order(user=buyer_member().user, items=[(product, 1)])
    few = queries(api, "/api/v1/order-lines/?page_size=50")
    for _ in range(10):
        paid_order(user=buyer_member().user, items=[(product, 1)])
    assert queries(api, "/api/v1/order-lines/?page_size=50") == few
