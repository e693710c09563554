"""Credit feeds matchmaking as one soft signal: a supplier with a good trading record ranks above
an otherwise equal one with a poor record, with its reason shown, and the poor one stays."""

import pytest
from django.utils import translation
from oscar.core.loading import get_model

from buyers.models import SourcingRequest
from credit import services
from search.matching import match_subject
from search.matching.engine import WEIGHTS
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory

from .support import delivered_order, scores

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")


def test_weights_still_add_up_to_one():
    assert round(sum(WEIGHTS.values()), 6) == 1.0


@pytest.fixture
def two_suppliers(buyer_member):
    """Two exhibitors selling the same latiao at the same price: one delivered on time and was
    rated 5 stars three times, the other delivered late and was rated 1 star three times."""
    good, poor = MembershipFactory(), MembershipFactory()
    found = {}
    for seller, stars, days in ((good, 5, 2), (poor, 1, 30)):
        product = ProductFactory(exhibitor=seller.exhibitor, title="麻辣辣条", title_en="Spicy latiao")
        for _ in range(3):
            order = delivered_order(buyer_member=buyer_member, items=[(product, 10)], days_after_order=days)
            services.review_create(
                membership=buyer_member,
                line=order.lines.get(),
                **scores(stars, stars, stars, stars),
            )
        found[seller] = product
    request = SourcingRequest.objects.create(
        buyer=buyer_member.buyer,
        reference="CREDIT-1",
        title="latiao",
        category=Category.objects.get(slug="snacks-latiao"),
    )
    return found[good], found[poor], request


def _results(request, language="en"):
    with translation.override(language):
        answer = match_subject("request", f"{request.buyer.key}/{request.reference}")
    return {r["key"]: r for r in answer["results"] if r["kind"] == "product"}


def _key(product):
    record = product.stockrecords.get()
    return f"{record.partner.exhibitor.key}/{record.partner_sku}"


def test_good_credit_ranks_above_poor_credit_and_says_why(two_suppliers):
    good, poor, request = two_suppliers
    results = _results(request)
    good_result, poor_result = results[_key(good)], results[_key(poor)]
    assert good_result["score"] > poor_result["score"]  # never a hard rule: the poor one stays
    assert "Credit: rated 5.0/5 by 3 reviews; 100% of lines delivered on time" in " | ".join(
        good_result["reasons"]
    )
    assert any(reason.startswith("Credit: rated 1.0/5 by 3 reviews") for reason in poor_result["reasons"])


def test_credit_reason_in_chinese(two_suppliers):
    good, _, request = two_suppliers
    reasons = _results(request, "zh-hans")[_key(good)]["reasons"]
    assert any(reason.startswith("诚信") for reason in reasons), reasons


def test_hidden_reviews_leave_the_signal(two_suppliers, staff_user):
    good, poor, request = two_suppliers
    before = _results(request)[_key(poor)]["score"]
    for review in services.Review.objects.filter(exhibitor=poor.stockrecords.get().partner.exhibitor):
        services.review_hide(review=review, by=staff_user, reason="abusive")
    after = _results(request)[_key(poor)]
    assert after["score"] > before
    assert not any("rated 1.0/5" in reason for reason in after["reasons"])
