"""Browsing and searching products on the database, replacing Oscar's haystack views."""

import pytest

from tests.factories.catalogue import ProductFactory

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    """The page without the <mark> tags that highlight matches."""
    return response.content.decode().replace("<mark>", "").replace("</mark>", "")


def test_catalogue_lists_public_products(client):
    ProductFactory(title="卫龙大面筋辣条", title_en="Big gluten latiao")
    ProductFactory(title="隐藏商品", is_public=False)
    html = client.get("/catalogue/").content.decode()
    assert "卫龙大面筋辣条" in html
    assert "隐藏商品" not in html


def test_english_titles_under_en(client):
    ProductFactory(title="卫龙大面筋辣条", title_en="Big gluten latiao")
    html = client.get("/en/catalogue/").content.decode()
    assert "Big gluten latiao" in html


def test_chinese_search_finds_a_word_inside_a_longer_title(client):
    ProductFactory(title="卫龙大面筋辣条", title_en="Big gluten latiao")
    ProductFactory(title="王中王火腿肠", title_en="Premium ham sausage", category="meat-ham-sausage")
    html = page_text(client.get("/search/", {"q": "辣条"}))
    assert "卫龙大面筋辣条" in html and "王中王火腿肠" not in html
    html = page_text(client.get("/en/search/", {"q": "ham sausage"}))
    assert "Premium ham sausage" in html and "Big gluten latiao" not in html


def test_category_page_includes_descendants(client):
    from oscar.core.loading import get_model

    ProductFactory(title="卫龙大面筋辣条", category="snacks-latiao")
    ProductFactory(title="冷鲜猪里脊", category="meat-chilled")
    from django.utils import translation

    snacks = get_model("catalogue", "Category").objects.get(slug="snacks")
    with translation.override("zh-hans"):
        url = snacks.get_absolute_url()
    assert not url.startswith("/en/")
    html = client.get(url).content.decode()
    assert "卫龙大面筋辣条" in html and "冷鲜猪里脊" not in html


@pytest.mark.parametrize(
    "params", [{"page": "999"}, {"page": "abc"}, {"q": "x" * 10_000}, {"q": "\" * ~ \\ '; DROP"}]
)
def test_odd_input_never_fails(client, params):  # noqa: D103
    ProductFactory()
    assert client.get("/search/", params).status_code == 200


def test_product_page_shows_food_facts_and_exhibitor(client):
    product = ProductFactory(
        title="速冻水饺", title_en="Frozen dumplings", storage="frozen", shelf_life_days=365
    )
    from django.utils import translation

    with translation.override("zh-hans"):
        url = product.get_absolute_url()
    html = client.get(url).content.decode()
    assert "速冻水饺" in html and "冷冻" in html and "365" in html
    exhibitor = product.stockrecords.first().partner.exhibitor
    assert exhibitor.name_zh in html


def test_browse_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        ProductFactory()
    client.get("/catalogue/")  # warm caches (site, locale)
    with django_assert_max_num_queries(30) as small:
        client.get("/catalogue/")
    queries = len(small.captured_queries)
    for _ in range(20):
        ProductFactory()
    client.get("/catalogue/")  # the database index catches up with the new products first
    with django_assert_max_num_queries(queries):
        client.get("/catalogue/")


def test_filters_by_certificate_storage_province_price_and_moq(client):
    from datetime import timedelta

    from django.utils import timezone

    from exhibitors.models import Certificate
    from tests.factories.exhibitors import ExhibitorFactory

    halal = ExhibitorFactory(province="河南")
    Certificate.objects.create(
        exhibitor=halal, code="HALAL", valid_until=timezone.localdate() + timedelta(days=30)
    )
    lapsed = ExhibitorFactory(province="山东")
    Certificate.objects.create(
        exhibitor=lapsed, code="HALAL", valid_until=timezone.localdate() - timedelta(days=1)
    )
    ProductFactory(title="清真牛肉肠", exhibitor=halal, storage="chilled", moq=50, price="80.00")
    ProductFactory(
        title="非清真火腿", exhibitor=halal, storage="ambient", moq=10, price="20.00", certifications=["SC"]
    )
    ProductFactory(title="过期清真", exhibitor=lapsed, storage="frozen", moq=5, price="30.00")

    def titles(**params):
        html = client.get("/catalogue/", params).content.decode()
        return {t for t in ("清真牛肉肠", "非清真火腿", "过期清真") if t in html}

    assert titles() == {"清真牛肉肠", "非清真火腿", "过期清真"}
    assert titles(certification="halal") == {"清真牛肉肠"}  # expired never counts; a product may opt out
    assert titles(storage="frozen") == {"过期清真"}
    assert titles(province="山东") == {"过期清真"}
    assert titles(min_price="25", max_price="50") == {"过期清真"}
    assert titles(max_moq="10") == {"非清真火腿", "过期清真"}
    html = client.get("/catalogue/", {"sort": "price"}).content.decode()
    assert html.index("非清真火腿") < html.index("过期清真") < html.index("清真牛肉肠")
    # malformed values are ignored, never an error
    assert (
        client.get(
            "/catalogue/", {"min_price": "abc", "max_moq": "-1", "storage": "x", "sort": "zzz"}
        ).status_code
        == 200
    )


def test_products_of_unverified_exhibitors_are_not_listed(client):
    from tests.factories.exhibitors import ExhibitorFactory

    ProductFactory(title="待审核商品", exhibitor=ExhibitorFactory(status="pending"))
    assert "待审核商品" not in client.get("/catalogue/").content.decode()
