"""The interface matchmaking codes against: get_backend, keyword_scores, SearchUnavailable."""

import pytest

from search.backends import SearchUnavailable, get_backend
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory

pytestmark = pytest.mark.django_db


def test_database_backend_is_the_default(settings):
    settings.ELASTICSEARCH_URL = ""
    assert get_backend().name == "database"


def test_elasticsearch_is_chosen_by_its_url(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    assert get_backend().name == "elasticsearch"


def test_unknown_backend_name_is_refused():
    with pytest.raises(ValueError):
        get_backend("solr")


def test_keyword_scores_rank_title_over_description_and_respect_ids(settings):
    settings.ELASTICSEARCH_URL = ""
    title = ProductFactory(title="卫龙大面筋辣条", title_en="Big gluten latiao")
    body = ProductFactory(title="香辣素牛筋", description="辣条风味的素牛筋")
    other = ProductFactory(title="王中王火腿肠", title_en="Premium ham sausage", category="meat-ham-sausage")
    scores = get_backend().keyword_scores("product", ["辣条"])
    assert scores[title.pk] > scores[body.pk] > 0
    assert other.pk not in scores
    assert all(0 < s <= 1 for s in scores.values())
    assert set(get_backend().keyword_scores("product", ["辣条"], ids=[body.pk])) == {body.pk}
    assert get_backend().keyword_scores("product", ["ham sausage"]) == {other.pk: pytest.approx(0.8)}


def test_keyword_scores_of_exhibitors_by_name_and_category(settings):
    settings.ELASTICSEARCH_URL = ""
    maker = ExhibitorFactory(name_zh="漯河卫辣食品有限公司", name_en="Luohe Weila Foods")
    assert maker.pk in get_backend().keyword_scores("exhibitor", ["weila"])
    assert get_backend().keyword_scores("exhibitor", []) == {}


def test_search_unavailable_is_an_exception():
    assert issubclass(SearchUnavailable, Exception)
