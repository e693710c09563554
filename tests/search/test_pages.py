"""The search pages: product search with facets, sorting, highlights and help when nothing is
found; the exhibitor directory; odd input; and what a visitor sees when the engine is down."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from exhibitors.models import Certificate, Participation
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory

pytestmark = pytest.mark.django_db


def plain(response) -> str:
    return response.content.decode().replace("<mark>", "").replace("</mark>", "")


@pytest.fixture
def shop(search_backend, indexed):
    maker = ExhibitorFactory(name_zh="漯河卫辣食品有限公司", name_en="Luohe Weila Foods", province="河南")
    Certificate.objects.create(
        exhibitor=maker, code="HALAL", valid_until=timezone.localdate() + timedelta(days=30)
    )
    Participation.objects.create(exhibitor=maker, edition=2026, booth="A-1021")
    seafood = ExhibitorFactory(
        name_zh="青岛海鲜汇水产有限公司", name_en="Qingdao Haixianhui", province="山东"
    )
    items = {
        "latiao": ProductFactory(
            title="卫龙大面筋辣条", title_en="Big gluten latiao", exhibitor=maker, price=Decimal("76.00")
        ),
        "konjac": ProductFactory(
            title="麻辣魔芋爽",
            title_en="Spicy konjac strips",
            description="辣条口味的魔芋。",
            exhibitor=maker,
            price=Decimal("90.00"),
        ),
        "shrimp": ProductFactory(
            title="冻南美白虾",
            title_en="Frozen white shrimp",
            category="seafood",
            storage="frozen",
            exhibitor=seafood,
            price=Decimal("98.00"),
        ),
    }
    indexed()
    return {**items, "maker": maker, "seafood": seafood}


def test_search_page_lists_highlighted_matches_with_facets(client, shop):
    response = client.get("/search/", {"q": "辣条"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "卫龙大面筋<mark>辣条</mark>" in html
    assert "冻南美白虾" not in html
    assert 'data-facet="certification"' in html and 'data-facet="province"' in html
    assert html.index("卫龙大面筋") < html.index("麻辣魔芋爽")  # the title match first
    assert 'data-count="2"' in html


def test_facet_links_narrow_the_results(client, shop):
    html = plain(client.get("/catalogue/", {"storage": "frozen"}))
    assert "冻南美白虾" in html and "卫龙大面筋辣条" not in html
    assert "?storage=frozen" not in html or "×" in html  # the active filter can be removed
    html = plain(client.get("/search/", {"q": "辣条", "category": "snacks-latiao", "sort": "price"}))
    assert html.index("卫龙大面筋辣条") < html.index("麻辣魔芋爽")


def test_catalogue_and_category_pages_keep_their_filters(client, shop):
    from django.utils import translation
    from oscar.core.loading import get_model

    snacks = get_model("catalogue", "Category").objects.get(slug="snacks")
    with translation.override("zh-hans"):
        url = snacks.get_absolute_url()
    html = plain(client.get(url, {"certification": "HALAL", "max_moq": "5"}))
    assert "卫龙大面筋辣条" in html and "冻南美白虾" not in html


def test_english_page_shows_english_titles(client, shop):
    html = plain(client.get("/en/search/", {"q": "shrimp"}))
    assert "Frozen white shrimp" in html and 'lang="en"' in html


def test_misspelt_query_shows_close_spelling_with_did_you_mean(client, shop):
    page = plain(client.get("/en/search/", {"q": "shrimq"}))
    assert 'id="did-you-mean"' in page and "?q=shrimp" in page
    assert 'id="no-results"' not in page and "Frozen white shrimp" in page


def test_nothing_found_offers_other_words_and_categories(client, shop):
    page = client.get("/en/search/", {"q": "qzxqzx"}).content.decode()
    assert 'id="no-results"' in page and 'id="did-you-mean"' not in page


def test_words_never_together_still_find_the_stronger_word(client, shop):
    page = plain(client.get("/search/", {"q": "海鲜 辣条"}))
    assert "卫龙大面筋辣条" in page


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": '"*~\\'},
        {"q": "'; DROP TABLE search_entry; --"},
        {"certification": "NOPE"},
        {"storage": "warm"},
        {"category": "no-such"},
        {"min_price": "abc", "max_moq": "-1"},
        {"page": "999"},
        {"page": "abc"},
        {"sort": "zzz"},
    ],
)
def test_odd_input_gets_a_clear_page(client, shop, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    html = response.content.decode()
    if set(params) & {"certification", "storage", "category", "min_price"} or len(params.get("q", "")) > 200:
        assert 'class="fx-notice"' in html


def test_a_page_past_the_end_shows_the_last_page(client, shop):
    html = plain(client.get("/catalogue/", {"page": "999"}))
    assert "卫龙大面筋辣条" in html


def test_exhibitor_directory(client, shop):
    html = plain(client.get("/search/exhibitors/", {"q": "辣条"}))
    assert "漯河卫辣食品有限公司" in html and "青岛海鲜汇水产有限公司" not in html
    html = plain(client.get("/en/search/exhibitors/", {"edition": "2026"}))
    assert "Luohe Weila Foods" in html and "Qingdao Haixianhui" not in html
    html = plain(client.get("/search/exhibitors/", {"province": "山东", "certification": "HALAL"}))
    assert 'id="no-results"' in html
    for params in ({"edition": "abc"}, {"category": "nope"}, {"q": "\\" * 500}, {"page": "999"}):
        assert client.get("/search/exhibitors/", params).status_code == 200


def test_pages_keep_working_when_the_engine_is_down(client, settings):
    ProductFactory(title="卫龙大面筋辣条")
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    for url in ("/search/?q=辣条", "/catalogue/", "/search/exhibitors/?q=辣条"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'id="search-unavailable"' in response.content.decode(), url
    # the catalogue still lists products, straight from the catalogue tables
    assert "卫龙大面筋辣条" in client.get("/search/", {"q": "辣条"}).content.decode()
