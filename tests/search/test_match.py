"""Matchmaking on the staff sample files: ``manage.py match --json`` gives the answers a buyer
would expect, and never breaks a hard rule (certificates, storage, closed, unverified).

The hard-rule tests run on SQLite and, with ``DATABASE_URL=postgres://...``, on PostgreSQL.
"""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from buyers.models import Buyer, RequestStatus, SourcingRequest
from exhibitors.models import Certificate, CertificateStatus, CompanyStatus, Exhibitor
from search.matching import UnknownSubject, match_subject
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory

from .match_support import (
    ALMATY_DAIRY,
    AS_OF,
    FLOUR,
    FROZEN,
    HALAL_IMPORTER,
    LATIAO,
    MEAT,
    SHENZHEN_SHOP,
    WUHAN_CHAIN,
    ZHENGZHOU_CATERING,
    import_samples,
    keys,
    match_json,
)

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")


@pytest.fixture
def samples(db):
    import_samples()


def _request(buyer_key: str, reference: str, **fields) -> SourcingRequest:
    category = fields.pop("category", None)
    return SourcingRequest.objects.create(
        buyer=Buyer.objects.get(key=buyer_key),
        reference=reference,
        title=fields.pop("title", reference),
        category=Category.objects.get(slug=category) if category else None,
        **fields,
    )


def _holds_valid(exhibitor_key: str, code: str, day=AS_OF) -> bool:
    return any(
        c.is_valid_on(day) for c in Certificate.objects.filter(exhibitor__key=exhibitor_key, code=code)
    )


def _supplier_of(result_key: str) -> str:
    return result_key.split("/")[0]


# --- the contract's shape -------------------------------------------------------------------------


def test_json_answer_has_the_contract_shape(samples):
    answer = match_json("buyer", WUHAN_CHAIN)
    assert answer["subject"] == {"kind": "buyer", "key": WUHAN_CHAIN}
    assert answer["backend"] in ("database", "elasticsearch")
    assert answer["results"]
    scores = [r["score"] for r in answer["results"]]
    assert scores == sorted(scores, reverse=True)
    for result in answer["results"]:
        assert result["kind"] in ("exhibitor", "product")
        assert 0.0 <= result["score"] <= 1.0
        assert result["reasons"] and all(isinstance(r, str) and r for r in result["reasons"])
        if result["kind"] == "product":
            exhibitor_key, sku = result["key"].split("/")
            assert exhibitor_key and sku


def test_limit_caps_the_answer(samples):
    assert len(match_json("buyer", WUHAN_CHAIN, "--limit", "2")["results"]) == 2


def test_reasons_are_english_by_default_and_name_category_and_certificate(samples):
    answer = match_json("request", f"{WUHAN_CHAIN}/RFQ-2026-001")
    first = {r["key"]: r["reasons"] for r in answer["results"]}[f"{LATIAO}/LT-DB-106"]
    assert "category: 辣条 / Latiao (spicy gluten strips)" in first or any(
        r.startswith("category: ") and "辣条" in r for r in first
    )
    assert "certified: SC" in first
    assert any(r.startswith("price 31") for r in first)  # the 2,000-unit tier within the target 32.00


def test_reasons_in_chinese_on_request(samples):
    answer = match_json("request", f"{WUHAN_CHAIN}/RFQ-2026-001", "--language", "zh-hans")
    reasons = answer["results"][0]["reasons"]
    assert any("辣条" in r for r in reasons)


# --- what a buyer expects -------------------------------------------------------------------------


def test_latiao_request_gets_the_latiao_maker_first(samples):
    answer = match_json("request", f"{WUHAN_CHAIN}/RFQ-2026-001")
    assert keys(answer)[:2] == [LATIAO, f"{LATIAO}/LT-DB-106"] or set(keys(answer)[:2]) == {
        LATIAO,
        f"{LATIAO}/LT-DB-106",
    }


def test_flour_request_of_the_caterer_gets_the_flour_group(samples):
    answer = match_json("request", f"{ZHENGZHOU_CATERING}/CAT-15")
    # The caterer requires SC and HACCP of every supplier; the flour group holds no HACCP.
    assert FLOUR not in keys(answer) and f"{FLOUR}/FL-25" not in keys(answer)
    Certificate.objects.create(exhibitor=Exhibitor.objects.get(key=FLOUR), code="HACCP")
    # FL-25 names only SC among the certificates covering it
    assert f"{FLOUR}/FL-25" not in keys(match_json("request", f"{ZHENGZHOU_CATERING}/CAT-15"))
    get_model("catalogue", "Product").objects.filter(upc=f"{FLOUR}/FL-25").update(certifications=[])
    answer = match_json("request", f"{ZHENGZHOU_CATERING}/CAT-15")
    assert set(keys(answer)[:2]) == {FLOUR, f"{FLOUR}/FL-25"}


def test_buyer_gets_exhibitors_and_products_of_its_interests(samples):
    answer = match_json("buyer", SHENZHEN_SHOP)
    assert LATIAO in keys(answer, "exhibitor")
    assert f"{LATIAO}/LT-DB-106" in keys(answer, "product")
    assert MEAT not in keys(answer)  # no interest in meat, no keyword about it


def test_exhibitor_gets_buyers_and_open_requests_that_fit(samples):
    answer = match_json("exhibitor", LATIAO)
    assert f"{WUHAN_CHAIN}/RFQ-2026-001" in keys(answer, "request")
    assert {SHENZHEN_SHOP, WUHAN_CHAIN, HALAL_IMPORTER} <= set(keys(answer, "buyer"))
    # the caterer wants HACCP, which the latiao maker lacks; flour is not what it sells
    assert ZHENGZHOU_CATERING not in keys(answer)
    assert f"{ZHENGZHOU_CATERING}/CAT-15" not in keys(answer)


# --- hard rules -----------------------------------------------------------------------------------


def test_halal_importer_is_never_offered_a_supplier_without_a_valid_halal_certificate(samples):
    answer = match_json("buyer", HALAL_IMPORTER)
    assert answer["results"]
    for result in answer["results"]:
        assert _holds_valid(_supplier_of(result["key"]), "HALAL"), result["key"]
        assert "certified: HALAL" in result["reasons"]
    assert {LATIAO, ALMATY_DAIRY} <= set(keys(answer, "exhibitor"))
    assert FROZEN not in keys(answer) and f"{FROZEN}/DJ-1000" not in keys(answer)


def test_an_expired_halal_certificate_does_not_count(samples):
    halal = Certificate.objects.filter(exhibitor__key=LATIAO, code="HALAL")
    halal.update(valid_until=AS_OF - timedelta(days=1))
    answer = match_json("buyer", HALAL_IMPORTER)
    assert LATIAO not in keys(answer) and f"{LATIAO}/LT-DB-106" not in keys(answer)
    # valid up to and including its last day
    halal.update(valid_until=AS_OF)
    assert LATIAO in keys(match_json("buyer", HALAL_IMPORTER))
    # a certificate marked expired does not count whatever its date
    halal.update(valid_until=None, status=CertificateStatus.EXPIRED)
    assert LATIAO not in keys(match_json("buyer", HALAL_IMPORTER))


def test_as_of_decides_which_certificates_count(samples):
    halal = Certificate.objects.filter(exhibitor__key=LATIAO, code="HALAL")
    halal.update(valid_until=AS_OF + timedelta(days=10))
    later = (AS_OF + timedelta(days=11)).isoformat()
    out = StringIO()
    call_command("match", "buyer", HALAL_IMPORTER, "--json", "--as-of", later, stdout=out)
    assert LATIAO not in out.getvalue()
    assert LATIAO in keys(match_json("buyer", HALAL_IMPORTER))


def test_a_product_not_covered_by_the_halal_certificate_is_not_offered(samples):
    latiao = Exhibitor.objects.get(key=LATIAO)
    uncovered = ProductFactory(exhibitor=latiao, category="snacks-latiao", certifications=["SC"])
    covered_by_all = ProductFactory(exhibitor=latiao, category="snacks-latiao", certifications=[])
    answer = match_json("buyer", HALAL_IMPORTER, "--limit", "100")
    product_keys = keys(answer, "product")
    sku = {p.pk: p.stockrecords.get().partner_sku for p in (uncovered, covered_by_all)}
    assert f"{LATIAO}/{sku[uncovered.pk]}" not in product_keys
    assert f"{LATIAO}/{sku[covered_by_all.pk]}" in product_keys


def test_request_certificates_add_to_the_buyer_ones(samples):
    _request(WUHAN_CHAIN, "HALAL-LATIAO", category="snacks-latiao", required_certifications=["HALAL"])
    meat_latiao = ProductFactory(exhibitor=Exhibitor.objects.get(key=MEAT), category="snacks-latiao")
    answer = match_json("request", f"{WUHAN_CHAIN}/HALAL-LATIAO")
    assert LATIAO in keys(answer)
    assert MEAT not in keys(answer)  # holds SC (the buyer's) but not HALAL (the request's)
    assert all(_supplier_of(k) != MEAT for k in keys(answer)), meat_latiao
    for result in answer["results"]:
        assert {"certified: SC", "certified: HALAL"} <= set(result["reasons"])


def test_frozen_request_never_gets_an_ambient_only_supplier(samples):
    _request(WUHAN_CHAIN, "FROZEN-1", title="速冻水饺", category="frozen", storage="frozen", quantity=100)
    latiao = Exhibitor.objects.get(key=LATIAO)
    ambient = ProductFactory(exhibitor=latiao, category="frozen", storage="ambient")
    answer = match_json("request", f"{WUHAN_CHAIN}/FROZEN-1")
    assert FROZEN in keys(answer, "exhibitor")
    assert f"{FROZEN}/DJ-1000" in keys(answer, "product")
    assert LATIAO not in keys(answer)  # its only frozen-category product is ambient
    assert f"{LATIAO}/{ambient.stockrecords.get().partner_sku}" not in keys(answer)
    for result in answer["results"]:
        assert "storage: Frozen (≤ -18 °C)" in result["reasons"]
    # a frozen product outside the request's category does not qualify the exhibitor either
    ProductFactory(exhibitor=latiao, category="snacks-latiao", storage="frozen")
    assert LATIAO not in keys(match_json("request", f"{WUHAN_CHAIN}/FROZEN-1"))
    ProductFactory(exhibitor=latiao, category="frozen", storage="frozen")
    assert LATIAO in keys(match_json("request", f"{WUHAN_CHAIN}/FROZEN-1"))


def test_a_product_without_storage_fits_only_requests_naming_none(samples):
    _request(WUHAN_CHAIN, "AMBIENT-LATIAO", category="snacks-latiao", storage="ambient")
    unknown = ProductFactory(
        exhibitor=Exhibitor.objects.get(key=LATIAO), category="snacks-latiao", storage=""
    )
    key = f"{LATIAO}/{unknown.stockrecords.get().partner_sku}"
    assert key not in keys(match_json("request", f"{WUHAN_CHAIN}/AMBIENT-LATIAO", "--limit", "100"))
    _request(WUHAN_CHAIN, "ANY-LATIAO", category="snacks-latiao")
    assert key in keys(match_json("request", f"{WUHAN_CHAIN}/ANY-LATIAO", "--limit", "100"))


def test_exhibitor_is_not_offered_a_frozen_request_it_cannot_fill(samples):
    _request(SHENZHEN_SHOP, "FROZEN-LATIAO", category="snacks-latiao", storage="frozen")
    _request(SHENZHEN_SHOP, "AMBIENT-LATIAO", category="snacks-latiao", storage="ambient")
    answer = match_json("exhibitor", LATIAO)
    assert f"{SHENZHEN_SHOP}/AMBIENT-LATIAO" in keys(answer, "request")
    assert f"{SHENZHEN_SHOP}/FROZEN-LATIAO" not in keys(answer, "request")


def test_closed_request_answers_empty_with_a_note(samples):
    SourcingRequest.objects.filter(reference="RFQ-2026-001").update(status=RequestStatus.CLOSED)
    answer = match_json("request", f"{WUHAN_CHAIN}/RFQ-2026-001")
    assert answer["results"] == [] and answer["note"] == "closed"
    # nor is it offered to exhibitors
    assert f"{WUHAN_CHAIN}/RFQ-2026-001" not in keys(match_json("exhibitor", LATIAO))


@pytest.mark.parametrize("status", [CompanyStatus.PENDING, CompanyStatus.REJECTED])
def test_unverified_companies_are_never_offered(samples, status):
    Exhibitor.objects.filter(key=LATIAO).update(status=status)
    answer = match_json("buyer", SHENZHEN_SHOP)
    assert all(_supplier_of(k) != LATIAO for k in keys(answer))
    Buyer.objects.filter(key=WUHAN_CHAIN).update(status=status)
    answer = match_json("exhibitor", MEAT)
    assert all(_supplier_of(k) != WUHAN_CHAIN for k in keys(answer))


def test_a_company_is_never_its_own_match(samples):
    latiao = Exhibitor.objects.get(key=LATIAO)
    Buyer.objects.create(key=LATIAO, name_zh=latiao.name_zh, status=CompanyStatus.VERIFIED).interests.add(
        Category.objects.get(slug="snacks")
    )
    assert LATIAO not in keys(match_json("exhibitor", LATIAO))
    assert LATIAO not in keys(match_json("buyer", LATIAO))


# --- unknown keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, key",
    [
        ("buyer", "NO-SUCH-BUYER"),
        ("exhibitor", "NO-SUCH-EXHIBITOR"),
        ("request", f"{WUHAN_CHAIN}/NOPE"),
        ("request", "X"),
    ],
)
def test_unknown_key_exits_2_with_one_line_naming_it(samples, kind, key):
    with pytest.raises(CommandError) as raised:
        call_command("match", kind, key, "--json")
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert key in message and "\n" not in message
    with pytest.raises(UnknownSubject):
        match_subject(kind, key)


@pytest.mark.parametrize("args", [["--limit", "0"], ["--limit", "x"], ["--as-of", "2026-13-01"]])
def test_bad_options_are_bad_usage(samples, args):
    with pytest.raises(CommandError):
        call_command("match", "buyer", WUHAN_CHAIN, *args)


def test_text_output_lists_results_with_reasons(samples):
    out = StringIO()
    call_command("match", "request", f"{WUHAN_CHAIN}/RFQ-2026-001", "--as-of", AS_OF.isoformat(), stdout=out)
    text = out.getvalue()
    assert LATIAO in text and "certified: SC" in text


# --- scoring --------------------------------------------------------------------------------------


def test_exact_category_scores_above_a_parent_interest():
    from tests.factories.buyers import BuyerFactory
    from tests.factories.exhibitors import ExhibitorFactory

    buyer = BuyerFactory()
    buyer.interests.add(Category.objects.get(slug="snacks"), Category.objects.get(slug="snacks-nuts"))
    nuts = ExhibitorFactory(name_en="Nuts maker")
    nuts.categories.add(Category.objects.get(slug="snacks-nuts"))
    latiao = ExhibitorFactory(name_en="Latiao maker")
    latiao.categories.add(Category.objects.get(slug="snacks-latiao"))
    answer = match_subject("buyer", buyer.key)
    scores = {r["key"]: r["score"] for r in answer["results"]}
    assert scores[nuts.key] > scores[latiao.key] > 0
    reasons = {r["key"]: r["reasons"] for r in answer["results"]}
    assert any("Snacks" in r and "Latiao" in r for r in reasons[latiao.key])


def test_an_exhibitors_categories_include_its_products():
    from tests.factories.buyers import BuyerFactory
    from tests.factories.exhibitors import ExhibitorFactory

    buyer = BuyerFactory()
    buyer.interests.add(Category.objects.get(slug="meat-ham-sausage"))
    maker = ExhibitorFactory()  # declares nothing
    ProductFactory(exhibitor=maker, category="meat-ham-sausage")
    assert maker.key in keys(match_subject("buyer", buyer.key), "exhibitor")
    assert buyer.key in keys(match_subject("exhibitor", maker.key), "buyer")


def test_moq_and_price_within_the_request_count(samples):
    _request(
        WUHAN_CHAIN,
        "CHEAP-LATIAO",
        category="snacks-latiao",
        quantity=Decimal("50"),
        target_price=Decimal("30.00"),
        currency="CNY",
    )
    latiao = Exhibitor.objects.get(key=LATIAO)
    cheap = ProductFactory(exhibitor=latiao, category="snacks-latiao", price=Decimal("29.00"), moq=10)
    answer = match_json("request", f"{WUHAN_CHAIN}/CHEAP-LATIAO")
    by_key = {r["key"]: r for r in answer["results"]}
    cheap_key = f"{LATIAO}/{cheap.stockrecords.get().partner_sku}"
    dear_key = f"{LATIAO}/LT-DB-106"  # MOQ 100 over the 50 wanted, 36.00 over the target
    assert by_key[cheap_key]["score"] > by_key[dear_key]["score"]
    assert any(r.startswith("minimum order 10") for r in by_key[cheap_key]["reasons"])
    assert any(r.startswith("price 29") for r in by_key[cheap_key]["reasons"])
    assert not any(r.startswith(("price", "minimum order")) for r in by_key[dear_key]["reasons"])


def test_target_market_matches_the_suppliers_country(samples):
    answer = match_json("buyer", HALAL_IMPORTER)
    dairy = {r["key"]: r["reasons"] for r in answer["results"]}[ALMATY_DAIRY]
    assert "market: Kazakhstan" in dairy


def test_a_supplier_that_answers_fast_scores_higher_and_says_so():
    from datetime import timedelta

    from negotiation import services as negotiation
    from negotiation.models import Inquiry
    from tests.factories.exhibitors import ExhibitorFactory
    from tests.factories.members import MembershipFactory

    buyer_member = MembershipFactory(exhibitor=None, buyer=BuyerFactory())
    buyer_member.buyer.interests.add(Category.objects.get(slug="snacks-latiao"))
    fast, silent = ExhibitorFactory(name_en="Fast latiao"), ExhibitorFactory(name_en="Silent latiao")
    for maker in (fast, silent):
        maker.categories.add(Category.objects.get(slug="snacks-latiao"))
    inquiry = negotiation.inquiry_create(
        membership=buyer_member, exhibitor=fast, products=[], message="500 cartons?", files=[]
    )
    asked = inquiry.created_at - timedelta(days=1)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        created_at=asked, first_answered_at=asked + timedelta(hours=2)
    )
    answer = match_subject("buyer", buyer_member.buyer.key)
    by_key = {r["key"]: r for r in answer["results"]}
    assert by_key[fast.key]["score"] > by_key[silent.key]["score"]
    assert "answers 100% of enquiries, typically within 2 h" in by_key[fast.key]["reasons"]
    assert not any(r.startswith("answers") for r in by_key[silent.key]["reasons"])


def test_with_the_search_engine_down_the_match_answers_without_keywords(samples, mocker):
    from search.backends import SearchUnavailable, get_backend

    for method in ("keyword_scores", "keyword_scores_of"):
        mocker.patch.object(type(get_backend()), method, side_effect=SearchUnavailable("down"))
    answer = match_json("request", f"{WUHAN_CHAIN}/RFQ-2026-001")
    assert LATIAO in keys(answer)
    assert answer["warnings"] and not any(
        r.startswith("keywords") for x in answer["results"] for r in x["reasons"]
    )


def test_a_buyer_naming_no_category_is_matched_on_its_keywords(samples):
    buyer = Buyer.objects.get(key=WUHAN_CHAIN)
    buyer.interests.clear()
    buyer.keywords = ["辣条"]
    buyer.save()
    answer = match_json("buyer", WUHAN_CHAIN)
    assert LATIAO in keys(answer) and f"{LATIAO}/LT-DB-106" in keys(answer)
    first = answer["results"][0]
    assert any(r.startswith("keywords: ") and "辣条" in r for r in first["reasons"])
