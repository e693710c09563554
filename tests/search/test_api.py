"""The search API of CONTRACTS.md: /api/products/ and /api/exhibitors/, their facets, their
answers to bad input (4xx JSON, never a 500) and to an engine that is down (503)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from exhibitors.models import Certificate, Participation
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(search_backend, indexed):
    maker = ExhibitorFactory(key="91411100MA9WEILA01", name_zh="漯河卫辣食品有限公司", province="河南")
    soon = timezone.localdate() + timedelta(days=9)
    Certificate.objects.create(exhibitor=maker, code="HALAL", valid_until=soon)
    Participation.objects.create(exhibitor=maker, edition=2026, booth="A-1021")
    latiao = ProductFactory(
        title="卫龙大面筋辣条", title_en="Big gluten latiao", exhibitor=maker, price=Decimal("76.00"), moq=10
    )
    latiao.stockrecords.update(partner_sku="LT-001")
    sausage = ProductFactory(
        title="王中王火腿肠",
        title_en="Premium ham sausage",
        category="meat-ham-sausage",
        price=Decimal("58.00"),
    )
    indexed()
    return {"latiao": latiao, "sausage": sausage, "maker": maker}


def test_product_search_answers_the_contract_shape(client, products):
    response = client.get("/api/products/", {"q": "辣条"})
    assert response.status_code == 200
    body = response.json()
    assert {"count", "next", "previous", "facets", "results"} <= set(body)
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    hit = body["results"][0]
    assert hit["key"] == "91411100MA9WEILA01/LT-001"
    assert hit["sku"] == "LT-001" and hit["exhibitor_key"] == "91411100MA9WEILA01"
    assert hit["title"] == "卫龙大面筋辣条" and hit["url"].startswith("http://testserver/catalogue/")
    assert hit["certifications"] == ["HALAL"] and hit["price"] == "76.00" and hit["moq"] == 10
    assert "<mark>辣条</mark>" in hit["highlight"]["title"]
    assert {"category", "certification", "storage", "province", "price", "moq"} <= set(body["facets"])
    assert body["facets"]["certification"] == [{"value": "HALAL", "label": "清真认证", "count": 1}]
    english = client.get("/api/products/", {"q": "辣条", "lang": "en"}).json()["facets"]["certification"]
    assert english == [{"value": "HALAL", "label": "Halal", "count": 1}]


def test_english_titles_and_urls_with_lang(client, products):
    hit = client.get("/api/products/", {"q": "latiao", "lang": "en"}).json()["results"][0]
    assert hit["title"] == "Big gluten latiao" and "/en/catalogue/" in hit["url"]


def test_filters_and_pages(client, products):
    assert client.get("/api/products/", {"certification": "halal"}).json()["count"] == 1
    assert client.get("/api/products/", {"category": "meat"}).json()["count"] == 1
    assert client.get("/api/products/", {"province": "河南", "max_price": "60"}).json()["count"] == 1
    assert client.get("/api/products/", {"storage": "frozen"}).json()["count"] == 0
    first = client.get("/api/products/", {"page_size": 1, "sort": "price"}).json()
    assert first["count"] == 2 and first["next"].endswith("page=2") and first["previous"] is None
    assert first["results"][0]["sku"].startswith("SKU-")  # the sausage: cheaper
    second = client.get(first["next"]).json()
    assert second["previous"] and second["next"] is None and second["results"][0]["sku"] == "LT-001"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"category": "no-such-category"}, "category"),
        ({"certification": "XYZ"}, "certification"),
        ({"storage": "warm"}, "storage"),
        ({"min_price": "abc"}, "min_price"),
        ({"min_price": "50", "max_price": "10"}, "max_price"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"q": "x" * 10_000}, "q"),
        ({"sort": "random"}, "sort"),
    ],
)
def test_bad_input_is_a_clear_400(client, products, params, field):
    response = client.get("/api/products/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and field in body["detail"]


def test_a_page_past_the_end_is_a_404(client, products):
    response = client.get("/api/products/", {"page": "50"})
    assert response.status_code == 404
    assert response.json()["error"] == "not_found" and "page" in response.json()["detail"]


SYNTAX = ['"', "*", "~", "\\", '辣条"*~\\', "'; DROP TABLE catalogue_product; --", "title:(x) OR"]


@pytest.mark.parametrize("q", SYNTAX)
def test_query_syntax_is_just_text(client, products, q):
    response = client.get("/api/products/", {"q": q})
    assert response.status_code == 200
    assert isinstance(response.json()["count"], int)


def test_exhibitor_search(client, products):
    body = client.get("/api/exhibitors/", {"q": "辣条", "edition": "2026"}).json()
    assert body["count"] == 1
    hit = body["results"][0]
    assert hit["key"] == "91411100MA9WEILA01" and hit["certifications"] == ["HALAL"]
    assert hit["editions"] == [2026] and hit["url"].endswith("/exhibitors/91411100MA9WEILA01/")
    assert body["facets"]["edition"] == [{"value": 2026, "label": "2026", "count": 1}]
    assert client.get("/api/exhibitors/", {"province": "山东"}).json()["count"] == 0
    assert client.get("/api/exhibitors/", {"edition": "19"}).status_code == 400
    assert client.get("/api/exhibitors/", {"certification": "nope"}).json()["error"] == "invalid"


def test_an_engine_that_is_down_answers_503(client, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    for url in ("/api/products/", "/api/exhibitors/"):
        response = client.get(url, {"q": "辣条"})
        assert response.status_code == 503
        assert response.json()["error"] == "search_unavailable"


def test_the_schema_documents_both_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/products/" in schema and "/api/exhibitors/" in schema and "certification" in schema
