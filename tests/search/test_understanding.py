"""Query understanding (search/understanding.py), in Chinese and English: what a buyer's words
are taken to mean, and what each backend then finds. The backend part runs once per reachable
backend, so the database backend and Elasticsearch answer the same questions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from exhibitors.models import Certificate
from search.backends import ProductQuery
from search.understanding import understand, vocabulary_changed
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory

pytestmark = pytest.mark.django_db


def kinds(q: str, **kwargs) -> list[tuple[str, str, str]]:
    return [(g.kind, g.term, g.value) for g in understand(q, **kwargs).groups]


# --- what the words mean -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "storage", "food"),
    [
        ("速冻水饺", "frozen", "水饺"),
        ("冷冻 虾仁", "frozen", "虾仁"),
        ("frozen dumplings", "frozen", "dumplings"),
        ("冷藏 牛肉", "chilled", "牛肉"),
        ("chilled beef", "chilled", "beef"),
        ("常温 牛奶", "ambient", "牛奶"),
        ("ambient milk", "ambient", "milk"),
    ],
)
def test_storage_words_are_understood_and_the_rest_searched_as_text(q, storage, food):
    understood = understand(q)
    assert understood.storage == storage
    assert [g.term for g in understood.required] == [food]


@pytest.mark.parametrize(
    ("q", "code"),
    [("halal beef", "HALAL"), ("清真 牛肉", "HALAL"), ("organic tea", "ORGANIC"), ("有机茶", "ORGANIC")]
    + [("kosher", "KOSHER"), ("HACCP 罐头", "HACCP"), ("ISO22000 noodles", "ISO22000")],
)
def test_certificate_words_are_understood(q, code):
    assert code in understand(q).certifications


@pytest.mark.parametrize(
    ("q", "place"),
    [
        ("河南 面粉", "河南"),
        ("henan flour", "河南"),
        ("山东 花生", "山东"),
        ("Australian flour", "澳大利亚"),
        ("澳大利亚 面粉", "Australia"),
        ("new zealand milk", "新西兰"),
    ],
)
def test_place_words_are_understood_in_both_languages(q, place):
    assert place in understand(q).places


@pytest.mark.parametrize(
    ("q", "also"),
    [
        ("汤圆", "元宵"),
        ("元宵", "汤圆"),
        ("catsup", "ketchup"),
        ("ketchup", "番茄酱"),
        ("番茄酱", "catsup"),
        ("flavour", "flavor"),
        ("flavor", "flavour"),
        ("soy sauce", "酱油"),
    ],
)
def test_synonyms_and_variants_are_searched_too(q, also):
    (group,) = understand(q).required
    assert also in group.words


def test_traditional_characters_are_read_as_simplified():
    assert [g.term for g in understand("醬油").groups] == ["酱油"]
    assert "元宵" in understand("湯圓").groups[0].words


def test_a_word_taken_literally_keeps_no_meaning():
    assert kinds("frozen dumplings", literal=["frozen"])[0] == ("text", "frozen", "")
    (group,) = understand("catsup", literal=["catsup"]).groups
    assert group.words == ["catsup"]


def test_nonsense_and_empty_queries_understand_nothing():
    assert understand("").groups == []
    assert understand("   ").groups == []


# --- what the backends find --------------------------------------------------------------------


@pytest.fixture
def foods(indexed):
    today = timezone.localdate()
    henan = ExhibitorFactory(name_zh="漯河双汇肉业", name_en="Luohe Shuanghui Meat", province="河南")
    Certificate.objects.create(exhibitor=henan, code="HALAL", valid_until=today + timedelta(days=90))
    shandong = ExhibitorFactory(name_zh="青岛海洋食品", name_en="Qingdao Ocean Foods", province="山东")
    aussie = ExhibitorFactory(name_zh="澳洲谷物公司", name_en="Southern Grain Co", province="", country="AU")

    def product(title, title_en, exhibitor, **kwargs):
        kwargs.setdefault("price", Decimal("10.00"))
        return ProductFactory(title=title, title_en=title_en, exhibitor=exhibitor, **kwargs)

    made = {
        "dumplings_frozen": product("猪肉白菜水饺", "Pork and cabbage jiaozi", henan, storage="frozen"),
        "dumplings_ambient": product("水饺皮", "Dumpling wrappers", shandong, storage="ambient"),
        "yuanxiao": product("黑芝麻元宵", "Black sesame yuanxiao", shandong, storage="frozen"),
        "ketchup": product("番茄酱 340g", "Tomato ketchup 340g", shandong),
        "coffee": product("速溶咖啡", "Instant coffee", aussie),
        "ham_sausage": product("王中王火腿肠", "Ham sausage", henan, storage="ambient"),
        "beef": product("清真牛肉干", "Halal beef jerky", henan),
        "beef_plain": product("麻辣牛肉粒", "Spicy beef bites", shandong),
        "flour_au": product("高筋面粉", "Bread flour", aussie),
        "flour_cn": product("特一粉", "Special grade wheat flour", henan),
        "flavour": product("烧烤味薯片", "BBQ flavour crisps", shandong),
    }
    indexed()
    vocabulary_changed()
    return made


def find(backend, q: str, **kwargs) -> list[int]:
    return backend.search_products(ProductQuery(q=q, sort="relevance", **kwargs)).ids


def test_storage_word_ranks_products_of_that_storage_first(search_backend, foods):
    for q in ("速冻水饺", "frozen dumplings"):
        ids = find(search_backend, q)
        assert ids[0] == foods["dumplings_frozen"].pk, q
        assert foods["dumplings_ambient"].pk in ids  # a boost, not a filter


def test_synonyms_find_the_other_name(search_backend, foods):
    assert foods["yuanxiao"].pk in find(search_backend, "汤圆")
    assert foods["ketchup"].pk in find(search_backend, "catsup")
    assert foods["ketchup"].pk in find(search_backend, "西红柿酱")
    assert foods["flavour"].pk in find(search_backend, "bbq flavor")
    assert foods["yuanxiao"].pk in find(search_backend, "湯圓")


def test_misspelt_latin_and_pinyin_find_the_product_with_did_you_mean(search_backend, foods):
    results = search_backend.search_products(ProductQuery(q="cofee", sort="relevance"))
    assert results.ids[:1] == [foods["coffee"].pk]
    assert results.did_you_mean == "coffee"
    results = search_backend.search_products(ProductQuery(q="huotuichan", sort="relevance"))
    assert results.ids[:1] == [foods["ham_sausage"].pk]
    assert results.did_you_mean == "火腿肠"
    exact = search_backend.search_products(ProductQuery(q="coffee", sort="relevance"))
    assert exact.ids[:1] == [foods["coffee"].pk] and exact.did_you_mean == ""


def test_certificate_word_with_a_food_puts_certified_products_first(search_backend, foods):
    for q in ("halal beef", "清真 牛肉"):
        ids = find(search_backend, q)
        assert ids[0] == foods["beef"].pk, q
        assert foods["beef_plain"].pk in ids, q


def test_country_and_province_words_with_a_food(search_backend, foods):
    for q in ("Australian flour", "澳大利亚 面粉"):
        ids = find(search_backend, q)
        assert ids[0] == foods["flour_au"].pk, q
        assert foods["flour_cn"].pk in ids, q
    for q in ("河南 面粉", "henan flour"):
        ids = find(search_backend, q)
        assert ids[0] == foods["flour_cn"].pk, q


def test_words_never_together_return_the_stronger_word_below_full_matches(search_backend, foods):
    results = search_backend.search_products(ProductQuery(q="芝麻 咖啡", sort="relevance"))
    assert results.partial
    assert {foods["yuanxiao"].pk, foods["coffee"].pk} <= set(results.ids)
    full = search_backend.search_products(ProductQuery(q="芝麻 元宵", sort="relevance"))
    assert not full.partial and full.ids == [foods["yuanxiao"].pk]


def test_removed_chip_searches_the_word_as_typed(search_backend, foods):
    ids = find(search_backend, "catsup", literal=("catsup",))
    assert ids == []


# --- the results page --------------------------------------------------------------------------


def test_results_page_shows_removable_chips_in_both_languages(client, search_backend, foods):
    page = client.get("/en/search/", {"q": "frozen dumplings"}).content.decode()
    assert 'id="understood"' in page and 'data-kind="storage"' in page
    assert "literal=frozen" in page
    page = client.get("/search/", {"q": "速冻水饺"}).content.decode()
    assert 'data-kind="storage"' in page and "储存方式" in page
    removed = client.get("/en/search/", {"q": "frozen dumplings", "literal": "frozen"}).content.decode()
    assert 'data-kind="storage"' not in removed


def test_api_reports_what_it_understood(client, search_backend, foods):
    body = client.get("/api/products/", {"q": "清真 牛肉"}).json()
    assert {"kind": "certificate", "word": "清真", "value": "HALAL"} in body["understood"]
    body = client.get("/api/products/", {"q": "cofee"}).json()
    assert body["did_you_mean"] == "coffee"


@pytest.mark.parametrize("q", ["green tea", "绿茶", "GREEN TEA"])
def test_a_kind_of_food_finds_its_kinds_below_the_products_named_so(search_backend, indexed, q):
    named = ProductFactory(title="高山绿茶", title_en="Highland green tea", category="beverages-tea-drinks")
    kind = ProductFactory(title="信阳毛尖 明前特级", title_en="Xinyang Maojian, pre-Qingming grade")
    black = ProductFactory(title="信阳红茶", title_en="Xinyang black tea")
    indexed()
    ids = search_backend.search_products(ProductQuery(q=q)).ids
    assert ids[:2] == [named.pk, kind.pk]
    assert black.pk not in ids[:2]  # a black tea is no green tea, whatever else it matches


def test_kind_words_name_the_general_kind_once_and_never_inside_another_word():
    from search.food_kinds import kind_words

    assert kind_words("信阳毛尖 明前特级", "Xinyang Maojian") == ["绿茶", "green tea"]
    assert kind_words("毛尖绿茶饮料") == []  # it says green tea itself
    assert kind_words("Brief cheddar", "") == ["奶酪", "cheese"]
    assert kind_words("Graham crackers") == [] and kind_words("briefcase") == []
