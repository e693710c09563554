"""``/api/v1/basket/``: the site's own basket, the HTML basket's refusals in its words, and a
fixed number of queries for reading it."""

from __future__ import annotations

import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_model

from partner.models import NegotiatedKind, NegotiatedPrice
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory

from .trading import app, buyer_member, tiered_product

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
URL = "/api/v1/basket/"
LINES = "/api/v1/basket/lines/"


@pytest.fixture
def member():
    return buyer_member()


@pytest.fixture
def product():
    return tiered_product()


def test_a_line_is_priced_at_its_tier_and_its_quantity_changes_its_price(member, product):
    api = app(member)
    response = api.post(LINES, {"product": product.pk, "quantity": 100}, format="json")
    assert response.status_code == 201, response.content
    line = response.json()["lines"][0]
    assert (line["quantity"], line["unit_price"], line["line_total"]) == (100, "45.00", "4500.00")
    assert line["currency"] == "CNY" and response.json()["total"] == "4500.00"
    response = api.patch(f"{LINES}{line['id']}/", {"quantity": 500}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["lines"][0]["unit_price"] == "42.50"
    assert api.get(URL).json()["total"] == "21250.00"
    response = api.delete(f"{LINES}{line['id']}/")
    assert response.status_code == 200 and response.json()["lines"] == []


def test_a_line_added_by_the_app_is_on_the_basket_page_and_the_reverse(client, member, product):
    api = app(member)
    assert api.post(LINES, {"product": product.pk, "quantity": 200}, format="json").status_code == 201
    client.force_login(member.user)
    basket = client.get("/en/basket/").context["basket"]
    assert [(line.product_id, line.quantity) for line in basket.all_lines()] == [(product.pk, 200)]

    other = ProductFactory(price=Decimal("9.90"))
    StockRecord.objects.filter(product=other).update(num_in_stock=50)
    client.post(f"/en/basket/add/{other.pk}/", {"quantity": 3}, follow=True)
    lines = api.get(URL).json()["lines"]
    assert {(row["product"]["id"], row["quantity"]) for row in lines} == {(product.pk, 200), (other.pk, 3)}


def test_a_quantity_changed_on_the_basket_page_is_refused_as_by_the_app(client, member, product):
    api = app(member)
    line_id = api.post(LINES, {"product": product.pk, "quantity": 100}, format="json").json()["lines"][0][
        "id"
    ]
    client.force_login(member.user)
    form = {
        "form-TOTAL_FORMS": 1,
        "form-INITIAL_FORMS": 1,
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        "form-0-id": line_id,
        "form-0-quantity": 150,  # more than the minimum order: the change is allowed
    }
    client.post("/en/basket/", form, follow=True)
    assert api.get(URL).json()["lines"][0]["quantity"] == 150
    response = client.post("/en/basket/", {**form, "form-0-quantity": 20}, follow=True)
    assert "The minimum order is 100 箱." in response.content.decode()
    assert api.get(URL).json()["lines"][0]["quantity"] == 150


REFUSALS = {
    "below_moq": ("The minimum order is 100 箱.", "起订量为 100 箱。"),
    "out_of_stock": ("a maximum of 300 can be bought", "最多可以购买300"),
    "currency": (
        "This product cannot be added to the basket as its currency isn't the same as other products in "
        "your cart",
        "此产品不能添加到购物车中，因其定价币种其它商品不一致",
    ),
    "not_public": ("'{title}' is no longer available", "“大面筋辣条”不再可用"),
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("rule", list(REFUSALS))
def test_the_basket_refuses_what_the_basket_page_refuses_in_its_words(client, member, rule, language):
    product = tiered_product(stock=300)
    quantity = {"below_moq": 20, "out_of_stock": 301}.get(rule, 100)
    if rule == "currency":
        dollars = tiered_product()
        StockRecord.objects.filter(product=dollars).update(price_currency="USD")
        assert (
            app(member).post(LINES, {"product": dollars.pk, "quantity": 100}, format="json").status_code
            == 201
        )
    if rule == "not_public":
        product.is_public = False
        product.save()
    response = app(member, language).post(LINES, {"product": product.pk, "quantity": quantity}, format="json")
    assert response.status_code == 422, response.content
    english, chinese = REFUSALS[rule]
    english = english.format(title=product.title_en or product.title)
    assert response.json() == {"error": rule, "detail": english if language == "en" else chinese}
    # the basket page says the same
    client.force_login(member.user)
    page = client.post(f"/en/basket/add/{product.pk}/", {"quantity": quantity}, follow=True)
    shown = [str(message) for message in page.context["messages"]]
    assert english in html.unescape(html.unescape(page.content.decode())), shown
    assert all(line.product_id != product.pk for line in page.context["basket"].all_lines())


def test_a_quantity_change_beyond_the_stock_is_refused(member):
    product = tiered_product(stock=300)
    api = app(member, "zh-hans")
    line_id = api.post(LINES, {"product": product.pk, "quantity": 100}, format="json").json()["lines"][0][
        "id"
    ]
    response = api.patch(f"{LINES}{line_id}/", {"quantity": 301}, format="json")
    assert response.status_code == 422
    assert response.json() == {"error": "out_of_stock", "detail": "最多可以购买300"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_only_members_of_a_buyer_company_use_the_basket(product, language):
    exhibitor_member = MembershipFactory()
    api = app(exhibitor_member, language)
    detail = {
        "en": "Only members of a verified buyer company can place orders.",
        "zh-hans": "只有已认证采购商公司的成员才能下单。",
    }
    response = api.post(LINES, {"product": product.pk, "quantity": 100}, format="json")
    assert response.status_code == 422
    assert response.json() == {"error": "not_buyer", "detail": detail[language]}
    assert api.get(URL).status_code == 403


def test_an_agreed_price_goes_in_once_and_another_companys_is_a_404(member, product):
    grant = NegotiatedPrice.objects.create(
        buyer=member.buyer,
        product=product,
        kind=NegotiatedKind.QUOTE,
        unit_price=Decimal("40.00"),
        currency="CNY",
        quantity=300,
        valid_until=timezone.localdate() + timedelta(days=7),
        reference="Q-1",
    )
    api = app(member)
    for _ in range(2):
        response = api.post(LINES, {"negotiated": grant.pk}, format="json")
        assert response.status_code == 201
    lines = response.json()["lines"]
    assert [(row["negotiated"], row["quantity"], row["unit_price"]) for row in lines] == [
        (grant.pk, 300, "40.00")
    ]
    stranger = app(buyer_member())
    assert stranger.post(LINES, {"negotiated": grant.pk}, format="json").status_code == 404
    assert stranger.patch(f"{LINES}{lines[0]['id']}/", {"quantity": 1}, format="json").status_code == 404
    assert stranger.delete(f"{LINES}{lines[0]['id']}/").status_code == 404
    assert len(api.get(URL).json()["lines"]) == 1


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_expired_agreed_price_is_refused_in_its_words(member, product, language):
    grant = NegotiatedPrice.objects.create(
        buyer=member.buyer,
        product=product,
        kind=NegotiatedKind.QUOTE,
        unit_price=Decimal("40.00"),
        quantity=300,
        valid_until=timezone.localdate() - timedelta(days=1),
        reference="Q-2",
    )
    response = app(member, language).post(LINES, {"negotiated": grant.pk}, format="json")
    assert response.status_code == 422 and response.json()["error"] == "negotiated"
    from django.utils import translation

    with translation.override(language):
        assert response.json()["detail"] == str(grant.refusal())


def test_reading_the_basket_takes_the_same_queries_for_2_lines_as_for_20(member):
    api = app(member)

    def fill(count):
        for _ in range(count):
            item = tiered_product(moq=1)
            assert api.post(LINES, {"product": item.pk, "quantity": 600}, format="json").status_code == 201

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(URL).status_code == 200
        return len(captured)

    fill(2)
    few = queries()
    fill(18)
    assert len(api.get(URL).json()["lines"]) == 20
    assert queries() == few
