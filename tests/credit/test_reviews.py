"""Reviews: once per delivered order line, by the buyer company that ordered; one answer by the
exhibitor; staff hide abusive ones (off the booth and the averages, still seen by both parties)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from credit import selectors, services
from credit.models import Review
from tests.factories.buyers import BuyerFactory
from tests.factories.members import MembershipFactory, UserFactory
from tests.factories.orders import paid_order

from .support import deliver, delivered_order, scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(buyer_member, product):
    return delivered_order(buyer_member=buyer_member, items=[(product, 10)]).lines.get()


def test_the_buyer_rates_a_delivered_line_once(buyer_member, colleague, line, seller):
    review = services.review_create(membership=buyer_member, line=line, **scores(4, 5, 3, 4, comment="好"))
    assert (review.exhibitor, review.buyer, review.author) == (
        seller.exhibitor,
        buyer_member.buyer,
        buyer_member.user,
    )
    assert review.average == 4.0
    # Again, by the same person or a colleague: refused with a clear message, nothing saved.
    for member in (buyer_member, colleague):
        with pytest.raises(ValidationError) as refused:
            services.review_create(membership=member, line=line, **scores())
        assert refused.value.messages == [
            "Your company has already rated this order line; each line is rated once."
        ]
    assert Review.objects.count() == 1


def test_the_database_refuses_a_second_review_of_a_line(buyer_member, line, seller):
    services.review_create(membership=buyer_member, line=line, **scores())
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            line=line, buyer=buyer_member.buyer, exhibitor=seller.exhibitor, **scores(comment="twice")
        )


def test_a_colleague_rates_an_order_another_member_placed(colleague, line):
    assert selectors.lines_to_rate(membership=colleague) == [line]
    services.review_create(membership=colleague, line=line, **scores())
    assert selectors.lines_to_rate(membership=colleague) == []


def test_lines_are_not_rateable_before_delivery(buyer_member, product):
    order = paid_order(user=buyer_member.user, items=[(product, 10)])
    line = order.lines.get()
    for status in (None, "Confirmed", "Shipped"):
        if status:
            line.set_status(status)
        with pytest.raises(ValidationError) as refused:
            services.review_create(membership=buyer_member, line=line, **scores())
        assert "can be rated once it is delivered" in refused.value.messages[0]
    assert selectors.lines_to_rate(membership=buyer_member) == []
    deliver(line)
    assert selectors.lines_to_rate(membership=buyer_member) == [line]


def test_another_company_cannot_rate_the_line(line):
    other_buyer = MembershipFactory(exhibitor=None, buyer=BuyerFactory())
    exhibitor_member = MembershipFactory()
    for member in (other_buyer, exhibitor_member):
        with pytest.raises(ValidationError):
            services.review_create(membership=member, line=line, **scores())
    from django.http import Http404

    for member in (other_buyer, exhibitor_member):
        with pytest.raises(Http404):
            selectors.rateable_line_get(membership=member, line_id=line.pk)
    # A person without a buyer company who ordered: no company to rate for.
    loner_order = paid_order(user=UserFactory(), items=[(line.product, 1)])
    with pytest.raises(Http404):
        selectors.rateable_line_get(membership=other_buyer, line_id=loner_order.lines.get().pk)
    assert Review.objects.count() == 0


@pytest.mark.parametrize("bad", [0, 6, "5", None, True, 4.5])
def test_scores_outside_one_to_five_are_refused(buyer_member, line, bad):
    with pytest.raises(ValidationError) as refused:
        services.review_create(membership=buyer_member, line=line, **{**scores(), "quality": bad})
    assert refused.value.messages == ["Give every score as a whole number from 1 to 5."]
    assert Review.objects.count() == 0


def test_the_exhibitor_answers_once(buyer_member, line, seller):
    review = services.review_create(membership=buyer_member, line=line, **scores(comment="慢"))
    with pytest.raises(ValidationError):
        services.review_answer(membership=buyer_member, review=review, answer="me too")
    with pytest.raises(ValidationError):
        services.review_answer(membership=MembershipFactory(), review=review, answer="not mine")
    with pytest.raises(ValidationError) as empty:
        services.review_answer(membership=seller, review=review, answer="   ")
    assert empty.value.messages == ["Write your answer."]
    services.review_answer(membership=seller, review=review, answer="Sorry, the truck broke down.")
    with pytest.raises(ValidationError) as twice:
        services.review_answer(membership=seller, review=review, answer="Second answer")
    assert twice.value.messages == ["This review has already been answered; it can be answered once."]
    review.refresh_from_db()
    assert (review.answer, review.answered_by) == ("Sorry, the truck broke down.", seller.user)


def test_a_hidden_review_leaves_the_booth_and_the_averages_but_the_parties_see_it(
    buyer_member, product, seller, staff_user
):
    order = delivered_order(buyer_member=buyer_member, items=[(product, 10)])
    second = delivered_order(buyer_member=buyer_member, items=[(product, 5)])
    kept = services.review_create(membership=buyer_member, line=order.lines.get(), **scores(4, 4, 4, 4, "OK"))
    abusive = services.review_create(
        membership=buyer_member, line=second.lines.get(), **scores(1, 1, 1, 1, "ABUSIVE-WORDS")
    )
    assert selectors.credit_profile_of(seller.exhibitor).rating == 2.5

    with pytest.raises(ValidationError):
        services.review_hide(review=abusive, by=staff_user, reason=" ")
    with pytest.raises(ValidationError):
        services.review_hide(review=abusive, by=seller.user, reason="not staff")
    services.review_hide(review=abusive, by=staff_user, reason="Insults, not a review")

    profile = selectors.credit_profile_of(seller.exhibitor)
    assert (profile.reviews, profile.rating, profile.quality) == (1, 4.0, 4.0)
    assert [r.comment for r in selectors.public_reviews(exhibitor_id=seller.exhibitor.pk)] == ["OK"]
    for reviews in (
        selectors.reviews_written(membership=buyer_member),
        selectors.reviews_received(membership=seller),
    ):
        shown = {r.pk: r for r in reviews}
        assert set(shown) == {kept.pk, abusive.pk}
        assert shown[abusive.pk].is_hidden and shown[abusive.pk].hidden_reason == "Insults, not a review"

    services.review_unhide(review=abusive, by=staff_user)
    assert selectors.credit_profile_of(seller.exhibitor).reviews == 2


def test_public_reviews_carry_no_private_field(buyer_member, line, seller):
    services.review_create(membership=buyer_member, line=line, **scores(comment="Good ham"))
    (public,) = selectors.public_reviews(exhibitor_id=seller.exhibitor.pk)
    assert public.comment == "Good ham"
    for private in ("line", "order", "buyer", "author", "hidden_reason"):
        assert not hasattr(public, private)
