"""The Elasticsearch backend without a server: the request bodies elasticsearch-dsl builds
(``Search.to_dict()``), the index definition, the documents, and what happens when the
server cannot be reached."""

import json
from datetime import UTC, date
from decimal import Decimal

import pytest

from search.backends import CompanyQuery, ProductQuery, SearchUnavailable
from search.backends.elasticsearch import POST, PRE, ElasticsearchBackend, index_body, mark, source

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend():
    return ElasticsearchBackend(url="http://127.0.0.1:9", prefix="fx-test")


def body(backend, query, kind="product"):
    search, _terms = backend.build_search(kind, query)
    return search.to_dict()


def test_index_has_chinese_and_english_subfields_and_nested_certificates():
    definition = index_body()
    analysis = definition["settings"]["analysis"]
    assert analysis["filter"]["fx_cjk_bigram"] == {"type": "cjk_bigram", "output_unigrams": True}
    assert analysis["analyzer"]["fx_zh"]["filter"] == ["cjk_width", "lowercase", "fx_cjk_bigram"]
    title = definition["mappings"]["properties"]["title_zh"]
    assert title["fields"]["zh"]["analyzer"] == "fx_zh" and title["fields"]["en"]["analyzer"] == "english"
    assert "cn" not in title["fields"]
    assert definition["mappings"]["properties"]["certificates"]["type"] == "nested"
    assert definition["mappings"]["properties"]["suggest"]["type"] == "completion"
    with_smartcn = index_body(smartcn=True)["mappings"]["properties"]["body_en"]["fields"]
    assert with_smartcn["cn"]["analyzer"] == "smartcn"


def as_typed(group: dict) -> list[dict]:
    """The clauses of an understood word that match it as typed (or its synonyms)."""
    (exact,) = [c for c in group["bool"]["should"] if c.get("bool", {}).get("_name", "").startswith("exact:")]
    return [clause["multi_match"] for clause in exact["bool"]["should"]]


def test_chinese_terms_are_phrases_on_the_cjk_subfields(backend):
    request = body(backend, ProductQuery(q="辣条 sausage"))
    must = request["query"]["bool"]["must"]
    chinese, english = as_typed(must[0])[0], as_typed(must[1])[0]
    assert chinese["query"] == "辣条" and chinese["type"] == "phrase"
    assert "title_zh.zh^1.5" in chinese["fields"] and all(".zh" in f for f in chinese["fields"])
    assert english["query"] == "sausage" and english["operator"] == "and"
    assert "title_en.en^1.5" in english["fields"] and "extra^2" in english["fields"]


def test_understood_words_become_synonyms_fuzziness_and_boosts(backend):
    request = body(backend, ProductQuery(q="halal catsup frozen"))
    query = request["query"]["bool"]
    (catsup,) = query["must"]
    assert {m["query"] for m in as_typed(catsup)} >= {"catsup", "ketchup", "番茄酱"}
    fuzzy = [c["multi_match"] for c in catsup["bool"]["should"] if "multi_match" in c]
    assert fuzzy and fuzzy[0]["fuzziness"] == "AUTO" and fuzzy[0]["boost"] < 1
    boosts = json.dumps(query["should"], ensure_ascii=False)
    assert '"storage": "frozen"' in boosts and '"certificates.code": "HALAL"' in boosts
    loose, _terms = backend.build_search("product", ProductQuery(q="芝麻 咖啡"), loose=True)
    loose = loose.to_dict()["query"]["bool"]
    assert loose["must"][0]["bool"]["minimum_should_match"] == 1
    assert [c["constant_score"]["boost"] for c in loose["should"][:2]] == [10.0, 10.0]


def test_query_syntax_never_reaches_elasticsearch(backend):
    request = body(backend, ProductQuery(q='"辣条*~\\ OR title:(x) AND'))
    text = json.dumps(request, ensure_ascii=False)
    assert "query_string" not in text and "simple_query_string" not in text
    queries = [as_typed(group)[0]["query"] for group in request["query"]["bool"]["must"]]
    assert queries == ["辣条", "or", "title", "x", "and"]
    assert "query" not in body(backend, ProductQuery(q='"*~\\'))  # nothing to look for: browse


def test_filters_facets_sort_and_page(backend):
    from catalogue.models import Category

    # A category with subcategories (ids differ between databases).
    parent = next(c for c in Category.objects.filter(depth=1).order_by("path") if c.get_children_count())
    request = body(
        backend,
        ProductQuery(
            category=parent.pk,
            certification="HALAL",
            storage="frozen",
            province="河南",
            min_price=Decimal("20"),
            max_price=Decimal("50"),
            max_moq=10,
            sort="price",
            page=3,
            per_page=24,
            on=date(2026, 12, 1),
        ),
    )
    filters = request["post_filter"] if "post_filter" in request else request["query"]["bool"]["filter"]
    text = json.dumps(filters, ensure_ascii=False)
    assert f'"categories": {parent.pk}' in text and '"storage": "frozen"' in text
    assert '"province": "河南"' in text
    assert '"price": {"gte": 20.0, "lte": 50.0}' in text and '"moq": {"lte": 10}' in text
    assert '"path": "certificates"' in text and '"gte": "2026-12-01"' in text
    assert request["from"] == 48 and request["size"] == 24 and request["track_total_hits"] is True
    assert request["sort"] == [{"price": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
    aggs = request["aggs"]
    assert {"category", "certification", "province", "storage", "price", "moq"} <= set(aggs)
    assert aggs["certification"]["nested"] == {"path": "certificates"}
    assert aggs["price"]["range"]["ranges"][0] == {"key": "0-20", "from": 0.0, "to": 20.0}
    assert aggs["moq"]["filters"]["filters"]["10"] == {"range": {"moq": {"lte": 10}}}


def test_relevance_sort_and_highlights_with_a_query(backend):
    request = body(backend, ProductQuery(q="辣条", sort="relevance"))
    assert request["sort"][0] == {"_score": "desc"}
    highlight = request["highlight"]
    assert highlight["pre_tags"] == [PRE] and highlight["post_tags"] == [POST]
    assert highlight["fields"]["title_zh.zh"] == {"number_of_fragments": 0}
    assert highlight["fields"]["body_en.en"]["fragment_size"] == 90
    assert "highlight" not in body(backend, ProductQuery())  # nothing to mark without words


def test_a_page_past_the_window_is_asked_for_nothing(backend):
    request = body(backend, ProductQuery(page=10_000, per_page=24))
    assert request["from"] <= 10_000 and request["size"] == 0


def test_company_search_filters_by_edition(backend):
    request = body(backend, CompanyQuery(q="卫辣", edition=2026, province="河南"), kind="exhibitor")
    text = json.dumps(request, ensure_ascii=False)
    assert '"editions": 2026' in text and "edition" in request["aggs"]


def test_keyword_search_names_each_field_group(backend):
    search = backend.build_keyword_search("buyer", [["辣条"], ["halal", "snacks"]], ids=[1, 2], limit=10)
    request = search.to_dict()
    should = request["query"]["bool"]["should"]
    names = [clause["bool"]["_name"] for clause in should]
    assert names == ["0:title", "0:extra", "0:body", "1:title", "1:extra", "1:body"]
    halal_title = should[3]["bool"]["filter"][0]["bool"]["filter"]
    assert [c["multi_match"]["query"] for c in halal_title] == ["halal", "snacks"]
    assert request["query"]["bool"]["filter"] == [{"terms": {"id": [1, 2]}}]


def test_highlight_fragments_are_escaped_apart_from_the_marks():
    assert mark(f"<b>{PRE}辣条{POST}</b>") == "&lt;b&gt;<mark>辣条</mark>&lt;/b&gt;"


def test_documents_as_stored(backend):
    from datetime import datetime

    doc = {
        "id": 7,
        "key": "K/SKU-1",
        "sku": "SKU-1",
        "owner_id": 3,
        "owner_key": "K",
        "title_zh": "卫龙大面筋辣条",
        "title_en": "Big gluten latiao",
        "body_zh": "",
        "body_en": "",
        "extra": ["辣条", "Latiao", ""],
        "details": "102g×20袋",
        "categories": [1, 5, 5],
        "certificates": [
            {"code": "HALAL", "valid_until": date(2027, 1, 31)},
            {"code": "SC", "valid_until": None},
        ],
        "editions": [],
        "storage": "ambient",
        "province": "河南",
        "price": Decimal("76.00"),
        "moq": 10,
        "created": datetime(2026, 11, 1, tzinfo=UTC),
        "suggest": ["卫龙大面筋辣条", "Big gluten latiao"],
    }
    stored = source(doc)
    assert stored["categories"] == [1, 5] and stored["extra"] == ["辣条", "Latiao"]
    assert stored["certificates"][0] == {"code": "HALAL", "valid_until": "2027-01-31"}
    assert stored["price"] == 76.0 and stored["created"].startswith("2026-11-01")
    assert stored["suggest"][0] == {"input": "卫龙大面筋辣条"}


def test_an_unreachable_server_is_search_unavailable(backend):
    with pytest.raises(SearchUnavailable):
        backend.search_products(ProductQuery(q="辣条"))
    with pytest.raises(SearchUnavailable):
        backend.keyword_scores("product", ["辣条"])
    with pytest.raises(SearchUnavailable):
        backend.index_documents("product", [])
    assert backend.ping() is False


def test_smartcn_words_only_add_to_the_ranking(backend):
    backend._smartcn = True
    request = body(backend, ProductQuery(q="火腿肠"))
    should = json.dumps(request["query"]["bool"]["should"], ensure_ascii=False)
    assert "title_zh.cn^2" in should
    must = request["query"]["bool"]["must"]
    assert all(".cn" not in f for group in must for m in as_typed(group) for f in m["fields"])
    assert '"heads_reversed": "肠腿火"' in should  # a title ending with the words ranks higher


class PagedClient:
    """Answers the id listing's requests from a list of ids, as a server would page them: a
    stand-in for the paging logic only (the real listing runs in the backend suite when
    ELASTICSEARCH_URL is set)."""

    def __init__(self, ids):
        self.ids, self.requests, self.closed = sorted(ids), [], []

    def open_point_in_time(self, index, keep_alive):
        return {"id": "pit-1"}

    def search(self, body):
        self.requests.append(body)
        after = body.get("search_after", [0])[0]
        page = [pk for pk in self.ids if pk > after][: body["size"]]
        return {"pit_id": "pit-2", "hits": {"hits": [{"_source": {"id": pk}, "sort": [pk]} for pk in page]}}

    def close_point_in_time(self, id):
        self.closed.append(id)


def test_id_listing_pages_past_the_ten_thousand_window(backend):
    client = PagedClient(range(1, 12_346))
    backend._client = client
    assert backend.indexed_ids("product") == set(range(1, 12_346))
    assert len(client.requests) == 3 and client.closed == ["pit-2"]
    first, second = client.requests[0], client.requests[1]
    assert first["pit"]["id"] == "pit-1" and "search_after" not in first and first["sort"] == [{"id": "asc"}]
    assert second["pit"]["id"] == "pit-2" and second["search_after"] == [5_000]
    backend.indexed_ids("product", owners=[7])
    assert client.requests[-1]["query"] == {"bool": {"filter": [{"terms": {"owner_id": [7]}}]}}
