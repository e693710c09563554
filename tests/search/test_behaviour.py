"""How search behaves, written once and run against every reachable backend (``search_backend``):
the same questions get the same answers as far as each engine allows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from exhibitors.models import Certificate, Participation
from search.backends import CompanyQuery, ProductQuery
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")


def category(slug: str) -> int:
    return Category.objects.get(slug=slug).pk


@pytest.fixture
def catalogue(indexed):
    """A small bilingual catalogue of three exhibitors."""
    today = timezone.localdate()
    henan = ExhibitorFactory(name_zh="漯河卫辣食品有限公司", name_en="Luohe Weila Foods", province="河南")
    Certificate.objects.create(exhibitor=henan, code="HALAL", valid_until=today + timedelta(days=30))
    Certificate.objects.create(exhibitor=henan, code="SC", valid_until=today - timedelta(days=1))
    shandong = ExhibitorFactory(
        name_zh="青岛海鲜汇水产有限公司", name_en="Qingdao Haixianhui Aquatic", province="山东"
    )
    Participation.objects.create(exhibitor=shandong, edition=2026, booth="A-1")
    products = {
        "latiao": ProductFactory(
            title="卫龙大面筋辣条",
            title_en="Big gluten latiao",
            description="经典辣条，麻辣香甜。",
            description_en="Classic spicy gluten strips.",
            exhibitor=henan,
            price=Decimal("76.00"),
            moq=10,
        ),
        "tendon": ProductFactory(
            title="香辣素牛筋",
            title_en="Spicy vegetarian tendon strips",
            description="辣条风味的素牛筋。",
            description_en="Vegetarian tendon with a latiao taste.",
            exhibitor=henan,
            price=Decimal("68.00"),
            moq=100,
        ),
        "sausage": ProductFactory(
            title="清真牛肉肠",
            title_en="Halal beef sausages",
            description="清真认证牛肉肠。",
            description_en="Certified halal beef sausage.",
            category="meat-ham-sausage",
            exhibitor=henan,
            price=Decimal("15.00"),
            storage="chilled",
            moq=1,
        ),
        "shrimp": ProductFactory(
            title="冻南美白虾",
            title_en="Frozen white shrimp",
            description="冷冻虾仁，出口品质。",
            description_en="Frozen shrimp, export quality.",
            category="seafood",
            exhibitor=shandong,
            price=Decimal("98.00"),
            storage="frozen",
            moq=50,
        ),
        "tea": ProductFactory(
            title="信阳毛尖 明前特级",
            title_en="Xinyang Maojian green tea",
            description="明前采摘。",
            description_en="Picked before Qingming.",
            category="tea-coffee",
            exhibitor=shandong,
            price=Decimal("380.00"),
        ),
        "buns": ProductFactory(
            title="速冻包子",
            title_en="Frozen steamed buns",
            category="frozen-meals",
            exhibitor=shandong,
            price=Decimal("15.00"),
            storage="frozen",
        ),
    }
    hidden = ProductFactory(title="隐藏的辣条", is_public=False, exhibitor=henan)
    pending = ProductFactory(title="待审核辣条", exhibitor=ExhibitorFactory(status="pending"))
    indexed()
    return {**products, "hidden": hidden, "pending": pending, "henan": henan, "shandong": shandong}


def ids(backend, **query) -> list[int]:
    return backend.search_products(ProductQuery(per_page=50, **query)).ids


def test_chinese_word_inside_a_longer_title(search_backend, catalogue):
    found = ids(search_backend, q="辣条")
    assert catalogue["latiao"].pk in found
    assert catalogue["sausage"].pk not in found and catalogue["shrimp"].pk not in found


def test_a_title_match_ranks_above_a_description_match(search_backend, catalogue):
    found = ids(search_backend, q="辣条")
    assert found[0] == catalogue["latiao"].pk
    assert found.index(catalogue["latiao"].pk) < found.index(catalogue["tendon"].pk)


def test_english_words_and_plurals(search_backend, catalogue):
    # no product is both: the ones matching one of the words come, flagged as partial
    partial = search_backend.search_products(ProductQuery(q="pork sausage"))
    assert partial.ids == [catalogue["sausage"].pk] and partial.partial
    assert ids(search_backend, q="beef sausage") == [catalogue["sausage"].pk]
    assert ids(search_backend, q="Sausages") == [catalogue["sausage"].pk]
    assert ids(search_backend, q="SHRIMP") == [catalogue["shrimp"].pk]


def test_a_latin_word_matches_at_a_word_start_only(search_backend, catalogue):
    assert ids(search_backend, q="tea") == [catalogue["tea"].pk]  # not "steamed"


def test_category_and_company_names_are_searched(search_backend, catalogue):
    assert set(ids(search_backend, q="seafood")) == {catalogue["shrimp"].pk}
    assert set(ids(search_backend, q="weila")) == {catalogue[k].pk for k in ("latiao", "tendon", "sausage")}


def test_mixed_languages_and_every_term_counts(search_backend, catalogue):
    assert ids(search_backend, q="清真 beef") == [catalogue["sausage"].pk]
    # never together: each word's own products, those with it in the title first
    partial = search_backend.search_products(ProductQuery(q="辣条 shrimp"))
    assert partial.partial
    assert set(partial.ids[:2]) == {catalogue["latiao"].pk, catalogue["shrimp"].pk}
    assert catalogue["tendon"].pk in partial.ids[2:]


def test_unlisted_products_are_never_found(search_backend, catalogue):
    found = ids(search_backend, q="辣条")
    assert catalogue["hidden"].pk not in found and catalogue["pending"].pk not in found


def test_filters(search_backend, catalogue):
    b = search_backend
    assert set(ids(b, certification="HALAL")) == {catalogue[k].pk for k in ("latiao", "tendon", "sausage")}
    assert ids(b, certification="SC") == []  # expired yesterday
    assert set(ids(b, storage="frozen")) == {catalogue["shrimp"].pk, catalogue["buns"].pk}
    assert set(ids(b, province="山东")) == {catalogue[k].pk for k in ("shrimp", "tea", "buns")}
    assert set(ids(b, min_price=Decimal("60"), max_price=Decimal("100"))) == {
        catalogue[k].pk for k in ("latiao", "tendon", "shrimp")
    }
    assert set(ids(b, max_moq=10)) == {catalogue[k].pk for k in ("latiao", "sausage", "tea", "buns")}
    assert set(ids(b, category=category("snacks"))) == {catalogue["latiao"].pk, catalogue["tendon"].pk}
    assert set(ids(b, category=category("frozen"))) == {catalogue["buns"].pk}
    assert ids(b, q="辣条", storage="frozen") == []


def test_facet_counts(search_backend, catalogue):
    facets = search_backend.search_products(ProductQuery()).facets
    assert dict(facets["category"])[category("snacks")] == 2
    assert dict(facets["category"])[category("meat")] == 1
    assert dict(facets["certification"]) == {"HALAL": 3}
    assert dict(facets["storage"]) == {"ambient": 2 + 1, "chilled": 1, "frozen": 2}
    assert dict(facets["province"]) == {"河南": 3, "山东": 3}
    assert dict(facets["price"]) == {"0-20": 2, "50-100": 3, "100-500": 1}
    assert dict(facets["moq"]) == {1: 3, 10: 4, 50: 5, 100: 6, 500: 6}
    within = search_backend.search_products(ProductQuery(category=category("snacks"))).facets
    assert dict(within["category"]) == {category("snacks-latiao"): 2}


def test_sorting_and_pages(search_backend, catalogue):
    b = search_backend
    by_price = ids(b, sort="price")
    assert by_price[-1] == catalogue["tea"].pk and by_price[-2] == catalogue["shrimp"].pk
    assert ids(b, sort="-price")[0] == catalogue["tea"].pk
    assert ids(b, sort="newest")[0] == catalogue["buns"].pk
    first = b.search_products(ProductQuery(sort="price", per_page=4))
    second = b.search_products(ProductQuery(sort="price", per_page=4, page=2))
    assert first.total == second.total == 6 and len(first.ids) == 4 and len(second.ids) == 2
    assert set(first.ids).isdisjoint(second.ids)
    assert b.search_products(ProductQuery(page=99)).ids == []


def test_highlights_mark_the_match_and_escape_the_rest(search_backend, catalogue):
    results = search_backend.search_products(ProductQuery(q="辣条"))
    marks = results.highlights[catalogue["latiao"].pk]
    assert "<mark>" in marks["title_zh"] and "辣条" in marks["title_zh"].replace("<mark>", "").replace(
        "</mark>", ""
    )
    english = search_backend.search_products(ProductQuery(q="shrimp")).highlights[catalogue["shrimp"].pk]
    assert "<mark>" in english["title_en"]


@pytest.mark.parametrize(
    "q",
    ['"', "*", "~", "\\", '"辣条*~\\', "'; DROP TABLE search_entry; --", "x" * 10_000, "AND OR NOT ()[]{}:^"],
)
def test_odd_queries_answer_without_error(search_backend, catalogue, q):
    results = search_backend.search_products(ProductQuery(q=q))
    assert results.total >= 0


def test_keyword_scores(search_backend, catalogue):
    b = search_backend
    scores = b.keyword_scores("product", ["辣条"])
    assert scores[catalogue["latiao"].pk] == pytest.approx(0.8)  # in the title
    assert 0 < scores[catalogue["tendon"].pk] < scores[catalogue["latiao"].pk]  # description, category
    assert catalogue["hidden"].pk not in scores and catalogue["pending"].pk not in scores
    both = b.keyword_scores("product", ["辣条", "halal beef"])
    assert both[catalogue["sausage"].pk] == pytest.approx(0.8)
    assert b.keyword_scores("product", ["辣条"], ids=[catalogue["tendon"].pk]) == {
        catalogue["tendon"].pk: scores[catalogue["tendon"].pk]
    }
    assert b.keyword_scores("product", ["辣条"], limit=1) == {catalogue["latiao"].pk: pytest.approx(0.8)}
    assert b.keyword_scores("product", ["", "  ", "*"]) == {}
    companies = b.keyword_scores("exhibitor", ["海鲜", "shrimp"])
    assert set(companies) == {catalogue["shandong"].pk}
    with pytest.raises(ValueError):
        b.keyword_scores("planet", ["x"])


def test_keyword_scores_of_several_kinds_in_one_ask(search_backend, catalogue):
    """``keyword_scores_of`` answers as ``keyword_scores`` would for each kind's ids."""
    b = search_backend
    products = [catalogue[name].pk for name in ("latiao", "tendon", "sausage", "hidden")]
    companies = [catalogue["shandong"].pk]
    terms = ["辣条", "halal beef", "shrimps"]
    scores = b.keyword_scores_of(terms, {"product": products, "exhibitor": companies, "buyer": []})
    assert scores["product"] == b.keyword_scores("product", terms, ids=products)
    assert scores["product"][catalogue["latiao"].pk] == pytest.approx(0.8)
    assert catalogue["hidden"].pk not in scores["product"]
    assert scores["exhibitor"] == b.keyword_scores("exhibitor", terms, ids=companies)
    assert set(scores["exhibitor"]) == {catalogue["shandong"].pk}
    assert not scores.get("buyer")
    assert b.keyword_scores_of(["", "*"], {"product": products}) == {}
    with pytest.raises(ValueError):
        b.keyword_scores_of(["x"], {"planet": [1]})


def test_keyword_scores_of_buyers(search_backend, indexed):
    halal = BuyerFactory(name_en="Astana Import", keywords=["halal snacks", "辣条"])
    BuyerFactory(name_en="Moscow Trade", keywords=["baijiu"])
    indexed()
    scores = search_backend.keyword_scores("buyer", ["辣条", "snacks"])
    assert list(scores) == [halal.pk] and scores[halal.pk] > 0.6


def test_company_search(search_backend, catalogue):
    b = search_backend

    def companies(**query):
        return b.search_companies(CompanyQuery(per_page=50, **query))

    assert companies(q="卫辣").ids == [catalogue["henan"].pk]
    assert companies(q="shrimp").ids == [catalogue["shandong"].pk]  # through its products
    assert companies(q="辣条").ids == [catalogue["henan"].pk]
    assert companies(certification="HALAL").ids == [catalogue["henan"].pk]
    assert companies(province="山东").ids == [catalogue["shandong"].pk]
    assert companies(edition=2026).ids == [catalogue["shandong"].pk]
    assert companies(category=category("seafood")).ids == [catalogue["shandong"].pk]
    facets = companies().facets
    assert dict(facets["edition"]) == {2026: 1}
    assert dict(facets["province"])["河南"] >= 1


def test_suggestions_for_a_misspelling(search_backend, catalogue):
    assert any("shrimp" in option for option in search_backend.suggest("shrimq"))
