"""``/api/v1/`` catalogue reads: cursor pages, filters, ETag/304, the prices a company pays,
and a number of queries that does not grow with the data."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from exhibitors.models import CompanyStatus
from partner.models import NegotiatedKind, NegotiatedPrice
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.negotiation import make_pair

ProductPriceTier = get_model("catalogue", "ProductPriceTier")
pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    cache.clear()
    return APIClient()


def bearer(api, membership) -> dict:
    tokens = api.post(
        "/api/v1/auth/login/", {"email": membership.user.email, "password": "member-pass-2026"}, format="json"
    ).json()
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens['access']}"}


def walk(api, url, **headers) -> list[dict]:
    rows = []
    while url:
        page = api.get(url, **headers)
        assert page.status_code == 200, page.content
        rows += page.json()["results"]
        url = page.json()["next"]
    return rows


def test_cursor_pages_list_every_listed_product_once_newest_first(api):
    maker = ExhibitorFactory()
    listed = [ProductFactory(exhibitor=maker) for _ in range(7)]
    ProductFactory(exhibitor=maker, is_public=False)
    ProductFactory(exhibitor=ExhibitorFactory(status=CompanyStatus.PENDING))
    rows = walk(api, f"/api/v1/products/?page_size=3&exhibitor={maker.key}")
    assert [r["id"] for r in rows] == sorted((p.pk for p in listed), reverse=True)
    everything = {r["id"] for r in walk(api, "/api/v1/products/?page_size=50")}
    assert everything >= {p.pk for p in listed}
    assert not everything & {p.pk for p in type(listed[0]).objects.filter(is_public=False)}


def test_filters_as_the_catalogue_and_unknown_values_are_json_404(api):
    frozen = ProductFactory(storage="frozen", category="frozen")
    ProductFactory(storage="ambient")
    ids = {r["id"] for r in walk(api, "/api/v1/products/?storage=frozen&page_size=50")}
    assert frozen.pk in ids and all(
        r["storage"] == "frozen" for r in walk(api, "/api/v1/products/?storage=frozen")
    )
    by_category = {r["id"] for r in walk(api, "/api/v1/products/?category=frozen")}
    assert frozen.pk in by_category
    unknown = api.get("/api/v1/products/?category=no-such-thing")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    for name, bad in (("storage", "boiling"), ("exhibitor", "nul\x00byte"), ("category", "not a slug")):
        response = api.get("/api/v1/products/", {name: bad})
        assert response.status_code == 400 and list(response.json()["detail"]) == [name]


def test_a_read_answers_304_to_its_etag_until_the_product_changes(api):
    product = ProductFactory()
    first = api.get(f"/api/v1/products/{product.pk}/")
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    assert "Accept-Language" in first["Vary"]
    again = api.get(f"/api/v1/products/{product.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content
    product.title_en = "Spicy gluten strips, new recipe"
    product.save()
    changed = api.get(f"/api/v1/products/{product.pk}/", HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_LANGUAGE="en")
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_buyer_sees_its_tiers_and_agreed_prices_and_nobody_else_does(api):
    pair = make_pair(price=Decimal("45.00"))
    ProductPriceTier.objects.create(product=pair.product, min_quantity=100, unit_price=Decimal("40.00"))
    grant = NegotiatedPrice.objects.create(
        buyer=pair.buyer,
        product=pair.product,
        kind=NegotiatedKind.QUOTE,
        unit_price=Decimal("38.50"),
        quantity=500,
    )
    mine = api.get(f"/api/v1/products/{pair.product.pk}/", **bearer(api, pair.buyer_member)).json()
    assert mine["price"] == "45.00" and mine["tiers"] == [{"min_quantity": 100, "unit_price": "40.00"}]
    assert [(g["id"], g["unit_price"], g["quantity"]) for g in mine["agreed_prices"]] == [
        (grant.pk, "38.50", 500)
    ]
    other = make_pair()
    theirs = api.get(f"/api/v1/products/{pair.product.pk}/", **bearer(api, other.buyer_member)).json()
    assert theirs["agreed_prices"] == []
    assert api.get(f"/api/v1/products/{pair.product.pk}/").json()["agreed_prices"] == []


def test_prices_kept_for_buyers_are_hidden_from_visitors(api):
    pair = make_pair()
    pair.exhibitor.prices_for_buyers_only = True
    pair.exhibitor.save()
    visitor = api.get(f"/api/v1/products/{pair.product.pk}/").json()
    assert visitor["prices_hidden"] and visitor["price"] is None and visitor["tiers"] == []
    buyer = api.get(f"/api/v1/products/{pair.product.pk}/", **bearer(api, pair.buyer_member)).json()
    assert not buyer["prices_hidden"] and buyer["price"] == "45.00"


def test_hidden_and_unknown_products_are_json_404(api):
    hidden = ProductFactory(is_public=False)
    for pk in (hidden.pk, 999_999_999):
        response = api.get(f"/api/v1/products/{pk}/")
        assert response.status_code == 404 and response.json()["error"] == "not_found"


@pytest.mark.parametrize("url", ["/api/v1/products/?page_size=50", "/api/v1/exhibitors/?page_size=50"])
def test_a_list_takes_the_same_queries_for_3_rows_as_for_30(api, url, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url).status_code == 200
        return len(queries)

    maker = ExhibitorFactory()
    for _ in range(3):
        ProductFactory(exhibitor=maker)
    few = count()
    for _ in range(27):
        ProductFactory(exhibitor=ExhibitorFactory())
    assert count() == few


@pytest.fixture
def edition():
    from django.utils import timezone

    from tests.factories.negotiation import edition_page

    return edition_page(year=2031, starts_at=timezone.now())


def test_the_booths_of_an_edition_list_in_hall_order_without_withdrawn_or_unverified(api, edition):
    from exhibitors.models import Participation

    def booth(hall, number, **fields):
        return Participation.objects.create(
            exhibitor=ExhibitorFactory(**fields), edition=2031, hall=hall, booth=number, intro_en="Our booth"
        )

    second, first, third = booth("B", "B-01"), booth("A", "A-02"), booth("B", "B-07", province="广东")
    booth("A", "A-01", status=CompanyStatus.PENDING)
    Participation.objects.create(
        exhibitor=ExhibitorFactory(), edition=2031, hall="A", booth="A-03", withdrawn=True
    )
    Participation.objects.create(exhibitor=ExhibitorFactory(), edition=2030, hall="A", booth="A-00")

    rows = walk(api, "/api/v1/editions/2031/booths/?page_size=2", HTTP_ACCEPT_LANGUAGE="en")
    assert [row["booth"] for row in rows] == ["A-02", "B-01", "B-07"]
    assert [row["id"] for row in rows] == [first.pk, second.pk, third.pk]
    assert rows[0]["exhibitor"]["key"] == first.exhibitor.key and rows[0]["intro"] == "Our booth"
    hall_b = api.get("/api/v1/editions/2031/booths/?hall=b").json()["results"]
    assert [row["booth"] for row in hall_b] == ["B-01", "B-07"]
    guangdong = api.get("/api/v1/editions/2031/booths/?province=广东").json()["results"]
    assert [row["booth"] for row in guangdong] == ["B-07"]


def test_an_unpublished_edition_or_a_bad_filter_is_a_json_error(api, edition):
    response = api.get("/api/v1/editions/2030/booths/")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    response = api.get("/api/v1/editions/2031/booths/?category=no-such-category")
    assert response.status_code == 404
    response = api.get("/api/v1/editions/2031/booths/?certificate=NONSENSE")
    assert response.status_code == 400 and "certificate" in response.json()["detail"]


def test_the_booth_list_takes_the_same_queries_for_3_booths_as_for_30(api, edition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exhibitors.models import Participation

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/editions/2031/booths/?page_size=50").status_code == 200
        return len(queries)

    for number in range(3):
        Participation.objects.create(
            exhibitor=ExhibitorFactory(), edition=2031, hall="A", booth=f"A-{number}"
        )
    few = count()
    for number in range(3, 30):
        Participation.objects.create(
            exhibitor=ExhibitorFactory(), edition=2031, hall="A", booth=f"A-{number}"
        )
    assert count() == few


def test_categories_come_in_cursor_pages_in_tree_order_parents_first(api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Category = get_model("catalogue", "Category")
    hidden = (
        Category.objects.filter(depth=1)
        .first()
        .add_child(name="隐藏", name_en="Hidden", slug="hidden-for-test", is_public=False)
    )
    public = list(Category.objects.filter(is_public=True).order_by("path"))
    rows = walk(api, "/api/v1/categories/?page_size=5")
    assert [r["slug"] for r in rows] == [c.slug for c in public]
    assert hidden.slug not in {r["slug"] for r in rows}
    seen = set()
    for row in rows:
        assert row["parent"] is None or row["parent"] in seen
        seen.add(row["slug"])
    first = api.get("/api/v1/categories/?page_size=5")
    assert (
        first["ETag"]
        and api.get("/api/v1/categories/?page_size=5", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )
    counts = []
    for size in (2, 50):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/v1/categories/?page_size={size}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
