"""Each credit figure against data counted by hand, the score and its reason, and the batch query count."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone, translation
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from credit import selectors, services
from credit.selectors import credit_profiles, credit_scores
from exhibitors.models import Certificate, CertificateStatus, Participation
from negotiation.models import Inquiry, Thread
from negotiation.selectors import responsiveness_for
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory
from tests.factories.orders import paid_order

from .support import deliver, delivered_order, scores

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")


def _inquiry(*, buyer, exhibitor, asked_hours_ago: float, answered_after_hours: float | None):
    thread = Thread.objects.create(buyer=buyer, exhibitor=exhibitor, subject="?")
    inquiry = Inquiry.objects.create(thread=thread, buyer=buyer, exhibitor=exhibitor)
    asked = timezone.now() - timedelta(hours=asked_hours_ago)
    answered = None if answered_after_hours is None else asked + timedelta(hours=answered_after_hours)
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=asked, first_answered_at=answered)


@pytest.fixture
def record(seller, buyer_member, staff_user):
    """A hand-counted record for ``seller``'s exhibitor (see each test for the counts)."""
    exhibitor = seller.exhibitor
    exhibitor.verified_at = timezone.make_aware(datetime(2024, 3, 1, 10, 0))
    exhibitor.save()
    year = timezone.localdate().year
    for edition, withdrawn in ((year - 3, True), (year - 2, False), (year - 1, False), (year, False)):
        Participation.objects.create(exhibitor=exhibitor, edition=edition, withdrawn=withdrawn)
    Participation.objects.create(exhibitor=exhibitor, edition=year + 1)  # booked, not yet held
    today = timezone.localdate()
    Certificate.objects.create(exhibitor=exhibitor, code="SC")  # valid, no end date
    Certificate.objects.create(exhibitor=exhibitor, code="HACCP", valid_until=today)  # valid today
    Certificate.objects.create(exhibitor=exhibitor, code="HALAL", valid_until=today - timedelta(days=1))
    Certificate.objects.create(exhibitor=exhibitor, code="ORGANIC", status=CertificateStatus.EXPIRED)

    ham, noodles = ProductFactory(exhibitor=exhibitor), ProductFactory(exhibitor=exhibitor)
    others = ProductFactory()  # another exhibitor's goods in the same order count for it only
    # order 1: two lines delivered, after 3 days (on time) and 20 days (late)
    order1 = paid_order(user=buyer_member.user, items=[(ham, 10), (noodles, 5), (others, 1)])
    ham_line = order1.lines.get(product=ham)
    noodle_line = order1.lines.get(product=noodles)
    deliver(ham_line, days_after_order=3)
    deliver(noodle_line, days_after_order=20)
    deliver(order1.lines.get(product=others), days_after_order=1)
    # order 2: paid, not delivered yet
    paid_order(user=buyer_member.user, items=[(ham, 2)])
    # order 3: paid, then refunded
    order3 = paid_order(user=buyer_member.user, items=[(noodles, 2)])
    order3.lines.get().set_status("Refunded")
    # order 4: never paid (not counted anywhere)
    basket = Basket.objects.create(owner=buyer_member.user)
    from oscar.apps.partner.strategy import Selector

    basket.strategy = Selector().strategy()
    basket.add_product(ham, 1)
    create_order(basket=basket, user=buyer_member.user)
    # order 5: delivered after one day, rated 1 (hidden by staff as abusive), then refunded
    order5 = delivered_order(buyer_member=buyer_member, items=[(ham, 3)], days_after_order=1)
    hidden = services.review_create(membership=buyer_member, line=order5.lines.get(), **scores(1, 1, 1, 1))
    services.review_hide(review=hidden, by=staff_user, reason="abuse")
    order5.lines.get().set_status("Refunded")
    services.review_create(membership=buyer_member, line=ham_line, **scores(5, 4, 3, 2))
    services.review_create(membership=buyer_member, line=noodle_line, **scores(4, 4, 4, 4))
    # responsiveness: three inquiries in 90 days, two answered (after 2 h and 6 h), one older ignored
    for hours_ago, after in ((10, 2), (30, 6), (50, None), (24 * 100, 1)):
        _inquiry(
            buyer=buyer_member.buyer,
            exhibitor=exhibitor,
            asked_hours_ago=hours_ago,
            answered_after_hours=after,
        )
    return exhibitor


def test_verified_since_years_and_certificates(record):
    profile = selectors.credit_profile_of(record)
    assert profile.verified_since == date(2024, 3, 1)
    year = timezone.localdate().year
    assert (profile.years_at_expo, profile.first_edition) == (3, year - 2)
    assert (profile.certificates_valid, profile.certificates_expired) == (2, 2)


def test_fulfilment_and_refunds(record):
    profile = selectors.credit_profile_of(record)
    assert profile.orders == 4  # orders 1, 2, 3 and 5; the unpaid one does not count
    assert profile.lines_paid == 5
    assert profile.lines_delivered == 3  # order 1's two, and order 5's though refunded since
    assert (profile.lines_delivered_dated, profile.lines_on_time) == (3, 2)
    assert profile.on_time_rate == round(2 / 3, 4)
    assert (profile.lines_refunded, profile.refund_rate) == (2, 0.4)


def test_responsiveness_is_negotiations_own_figure(record):
    profile = selectors.credit_profile_of(record)
    theirs = responsiveness_for(exhibitor_ids=[record.pk])[record.pk]
    assert (profile.answer_rate, profile.median_first_answer_hours, profile.requests_received) == (
        theirs["answer_rate"],
        theirs["median_first_answer_hours"],
        theirs["received"],
    )
    assert (profile.answer_rate, profile.median_first_answer_hours, profile.requests_received) == (
        round(2 / 3, 4),
        4.0,
        3,
    )


def test_ratings_count_visible_reviews_only(record):
    profile = selectors.credit_profile_of(record)
    assert profile.reviews == 2
    assert (profile.quality, profile.as_described, profile.delivery, profile.communication) == (
        4.5,
        4.0,
        3.5,
        3.0,
    )
    assert profile.rating == 3.75


def test_an_exhibitor_with_no_record_has_zeros_and_nothing_to_rate(seller):
    seller.exhibitor.status = "pending"
    seller.exhibitor.save()
    profile = selectors.credit_profile_of(seller.exhibitor)
    assert profile.verified_since is None and profile.years_at_expo == 0 and profile.first_edition is None
    assert (profile.orders, profile.lines_paid, profile.reviews) == (0, 0, 0)
    assert profile.rating is profile.on_time_rate is profile.refund_rate is profile.answer_rate is None


def test_the_score_weighs_the_figures_and_says_why(record):
    signal = credit_scores([record.pk])[record.pk]
    profile = signal.profile
    rating_part = ((3.75 * 2 + 3 * 3) / 5 - 1) / 4
    expected = (
        0.15 * 1
        + 0.10 * 3 / 5
        + 0.10 * 2 / 4
        + 0.15 * profile.answer_rate
        + 0.15 * profile.on_time_rate
        + 0.10 * (1 - 0.4)
        + 0.25 * rating_part
    )
    assert signal.score == pytest.approx(expected, abs=1e-4)
    assert 0 <= signal.score <= 1
    assert signal.reason == (
        "Credit: rated 3.8/5 by 2 reviews; 67% of lines delivered on time; verified since 2024; "
        "3 years at the expo"
    )
    with translation.override("zh-hans"):
        chinese = credit_scores([record.pk])[record.pk].reason
    assert "2024" in chinese and "Credit" not in chinese


def test_better_records_score_higher_and_newcomers_sit_in_the_middle(record, seller):
    newcomer = MembershipFactory().exhibitor
    unverified = MembershipFactory(exhibitor__status="pending").exhibitor
    signals = credit_scores([record.pk, newcomer.pk, unverified.pk, 999999])
    assert set(signals) == {record.pk, newcomer.pk, unverified.pk}  # unknown ids are left out
    assert signals[unverified.pk].score < signals[newcomer.pk].score < signals[record.pk].score
    assert "no trading record yet" in signals[newcomer.pk].reason
    assert "not verified" in signals[unverified.pk].reason


def test_credit_scores_reads_many_exhibitors_in_a_fixed_number_of_queries(
    record, buyer_member, django_assert_max_num_queries
):
    few = [record.pk]
    many = [record.pk]
    for _n in range(15):
        member = MembershipFactory()
        product = ProductFactory(exhibitor=member.exhibitor)
        line = delivered_order(
            buyer_member=buyer_member, items=[(product, 1)], days_after_order=2
        ).lines.get()
        services.review_create(membership=buyer_member, line=line, **scores(3, 4, 5, 4))
        Participation.objects.create(exhibitor=member.exhibitor, edition=2025)
        many.append(member.exhibitor.pk)
    # one statement for the figures, three of negotiation's responsiveness
    with django_assert_max_num_queries(4):
        credit_scores(few)
    with django_assert_max_num_queries(4):
        signals = credit_scores(many)
    assert len(signals) == 16
    assert all(signals[pk].profile.reviews == 1 and signals[pk].profile.rating == 4.0 for pk in many[1:])
    assert credit_profiles([]) == {}
