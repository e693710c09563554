"""A worded search with few hits lists, under them, more products of the top hit's category
("More in Noodles"): on the page, in the API's ``more``, never repeating a hit, and under the
same filters; a search with many hits does not."""

import pytest

from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def noodles(search_backend, indexed):
    maker = ExhibitorFactory(name_zh="临颍南街面业有限公司", name_en="Linying Nanjie Noodle")
    return {
        "instant": ProductFactory(
            title="红烧牛肉面",
            title_en="Braised beef instant noodles",
            category="grain-noodles",
            exhibitor=maker,
        ),
        "egg": ProductFactory(
            title="鸡蛋挂面", title_en="Egg dried noodles", category="grain-noodles", exhibitor=maker
        ),
        "huimian": ProductFactory(
            title="烩面",
            title_en="Henan huimian noodles",
            category="grain-noodles",
            exhibitor=maker,
            storage="chilled",
        ),
        "flour": ProductFactory(
            title="高筋小麦粉", title_en="High-gluten wheat flour", category="grain-flour", exhibitor=maker
        ),
    }


def test_the_page_lists_the_top_hits_category_under_the_hits(client, noodles):
    assert "更多：面条" in client.get("/search/?q=方便面").content.decode()
    html = client.get("/en/search/?q=方便面").content.decode()
    hits, _sep, more = html.partition('id="more-in-category"')
    assert f'data-product="{noodles["instant"].pk}"' in hits
    assert "More in Noodles" in more
    for key in ("egg", "huimian"):
        assert f'data-product="{noodles[key].pk}"' in more
    assert f'data-product="{noodles["instant"].pk}"' not in more, "a hit is not repeated"
    assert f'data-product="{noodles["flour"].pk}"' not in html, "another category stays out"


def test_the_api_answers_more_apart_from_the_results(client, noodles):
    body = client.get("/api/products/", {"q": "方便面"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert [hit["title_zh"] for hit in body["results"]] == ["红烧牛肉面"]
    assert body["count"] == 1, "the neighbours are not counted as results"
    assert sorted(hit["title_zh"] for hit in body["more"]) == ["烩面", "鸡蛋挂面"]


def test_the_neighbours_keep_the_filters(client, noodles):
    body = client.get("/api/products/", {"q": "方便面", "storage": "ambient"}).json()
    assert [hit["title_zh"] for hit in body["more"]] == ["鸡蛋挂面"]


def test_many_hits_or_no_words_list_no_neighbours(client, noodles, monkeypatch):
    monkeypatch.setattr("search.selectors.MORE_BELOW", 1)
    assert client.get("/api/products/", {"q": "方便面"}).json()["more"] == []
    monkeypatch.setattr("search.selectors.MORE_BELOW", 10)
    assert client.get("/api/products/").json()["more"] == []
    assert 'id="more-in-category"' not in client.get("/search/?q=面").content.decode()
