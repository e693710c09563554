"""The review pages: Rate on the buyer's order page, the form, reviews written and received, the
answer, the credit profile on the company page and the booth, and staff hiding in the admin."""

import pytest
from django.core.management import call_command

from credit import services
from credit.models import Review
from exhibitors.models import Participation
from tests.factories.buyers import BuyerFactory
from tests.factories.members import MembershipFactory
from tests.factories.orders import paid_order

from .support import deliver, delivered_order, scores

pytestmark = pytest.mark.django_db

GOOD = {
    "quality": "5",
    "as_described": "4",
    "delivery": "4",
    "communication": "5",
    "comment": "Fresh and on time",
}


@pytest.fixture
def order(buyer_member, product):
    return delivered_order(buyer_member=buyer_member, items=[(product, 10)])


def rate_url(line) -> str:
    return f"/en/company/reviews/rate/{line.pk}/"


def test_the_order_page_offers_rate_for_delivered_lines_then_shows_the_rating(client, buyer_member, product):
    order = paid_order(user=buyer_member.user, items=[(product, 10)])
    line = order.lines.get()
    client.force_login(buyer_member.user)
    page = f"/en/accounts/orders/{order.number}/"
    assert f'data-rate-line="{line.pk}"' not in client.get(page).content.decode()
    deliver(line)
    html = client.get(page).content.decode()
    assert f'data-rate-line="{line.pk}"' in html and rate_url(line) in html
    services.review_create(membership=buyer_member, line=line, **scores(4, 4, 4, 4))
    html = client.get(page).content.decode()
    assert f'data-rate-line="{line.pk}"' not in html and "Rated 4.0 / 5" in html


def test_rating_through_the_form_with_bad_input_then_good_then_twice(client, buyer_member, order):
    line = order.lines.get()
    client.force_login(buyer_member.user)
    assert client.get(rate_url(line)).status_code == 200
    for bad in ({}, {**GOOD, "quality": "9"}, {**GOOD, "delivery": "x"}, {**GOOD, "comment": "x" * 2001}):
        response = client.post(rate_url(line), bad)
        assert response.status_code == 200
        html = response.content.decode()
        assert "fx-error-text" in html, bad
        assert Review.objects.count() == 0
    assert "Choose a score from 1 to 5." in client.post(rate_url(line), {}).content.decode()
    response = client.post(rate_url(line), GOOD, follow=True)
    assert response.redirect_chain[-1][0] == "/en/company/reviews/written/"
    html = response.content.decode()
    assert "Your rating is saved" in html and "Fresh and on time" in html and str(order.number) in html
    review = Review.objects.get()
    assert (review.quality, review.as_described, review.delivery, review.communication) == (5, 4, 4, 5)
    # The second try, by the form or by opening the page again, is told it is rated.
    for response in (client.post(rate_url(line), GOOD, follow=True), client.get(rate_url(line), follow=True)):
        assert "already rated this order line" in response.content.decode()
    assert Review.objects.count() == 1


def test_a_line_not_yet_delivered_is_not_rateable_from_the_page(client, buyer_member, product):
    line = paid_order(user=buyer_member.user, items=[(product, 1)]).lines.get()
    client.force_login(buyer_member.user)
    response = client.get(rate_url(line), follow=True)
    assert "can be rated once it is delivered" in response.content.decode()
    response = client.post(rate_url(line), GOOD, follow=True)
    assert "can be rated once it is delivered" in response.content.decode()
    assert Review.objects.count() == 0


def test_other_companies_get_404_on_the_line_and_the_review(client, order, buyer_member, seller):
    line = order.lines.get()
    review = services.review_create(membership=buyer_member, line=line, **scores())
    for member in (MembershipFactory(exhibitor=None, buyer=BuyerFactory()), MembershipFactory()):
        client.force_login(member.user)
        for url in (rate_url(line), f"/en/company/reviews/{review.pk}/answer/"):
            assert client.get(url).status_code == 404
            assert client.post(url, {**GOOD, "answer": "hijack"}).status_code == 404
    review.refresh_from_db()
    assert review.answer == ""


def test_written_and_received_pages_show_private_fields_and_the_answer_once(
    client, order, buyer_member, seller
):
    buyer_member.user.first_name, buyer_member.user.last_name = "Aigerim", "Sadykova"
    buyer_member.user.save()
    review = services.review_create(
        membership=buyer_member, line=order.lines.get(), **scores(comment="Good ham")
    )
    client.force_login(seller.user)
    html = client.get("/en/company/reviews/received/").content.decode()
    assert "Good ham" in html and str(order.number) in html and "Aigerim Sadykova" in html
    assert buyer_member.buyer.name_en in html
    answer = f"/en/company/reviews/{review.pk}/answer/"
    assert answer in html
    response = client.post(answer, {"answer": "  "})
    assert response.status_code == 200 and "Write your answer." in response.content.decode()
    response = client.post(answer, {"answer": "Thank you!"}, follow=True)
    assert "Your answer is saved" in response.content.decode()
    response = client.post(answer, {"answer": "Again"})
    assert "already been answered" in response.content.decode()
    review.refresh_from_db()
    assert review.answer == "Thank you!"
    client.force_login(buyer_member.user)
    html = client.get("/en/company/reviews/written/").content.decode()
    assert "Good ham" in html and "Thank you!" in html and str(order.number) in html
    # Each side's page is the other side's 404.
    assert client.get("/en/company/reviews/received/").status_code == 404
    client.force_login(seller.user)
    assert client.get("/en/company/reviews/written/").status_code == 404


def test_the_company_page_shows_the_credit_profile_and_public_review_fields_only(
    client, order, buyer_member, seller, staff_user
):
    buyer_member.user.first_name = "Aigerim"
    buyer_member.user.save()
    review = services.review_create(
        membership=buyer_member, line=order.lines.get(), **scores(5, 5, 4, 4, "Tasty")
    )
    services.review_answer(membership=seller, review=review, answer="谢谢")
    url = f"/en/exhibitors/{seller.exhibitor.key}/"
    html = client.get(url).content.decode()
    assert 'id="credit-profile"' in html and 'data-rating="4.5"' in html and 'data-review-count="1"' in html
    assert "Tasty" in html and "谢谢" in html
    for private in (str(order.number), "Aigerim", buyer_member.user.email, buyer_member.buyer.name_en):
        assert private not in html, private
    # Every figure carries its explanation, opened by tap or keyboard (a <details>) and by hover (script).
    for key in ("verified", "years", "certificates", "responsiveness", "fulfilment", "refunds", "rating"):
        assert f'data-why="{key}"' in html
    assert "credit/credit.js" in html
    chinese = client.get(f"/exhibitors/{seller.exhibitor.key}/").content.decode()
    assert "Tasty" in chinese and 'data-rating="4.5"' in chinese

    services.review_hide(review=review, by=staff_user, reason="Fake")
    html = client.get(url).content.decode()
    assert "Tasty" not in html and 'data-review-count="0"' in html
    for member in (buyer_member, seller):
        client.force_login(member.user)
        page = "/en/company/reviews/written/" if member is buyer_member else "/en/company/reviews/received/"
        html = client.get(page).content.decode()
        assert "Tasty" in html and "Hidden by the expo staff" in html and "Fake" in html


def test_the_booth_shows_the_credit_profile(client, buyer_member):
    call_command("load_demo", verbosity=0)
    from expo.models import ExpoEditionPage

    edition = ExpoEditionPage.objects.filter(locale__language_code="zh-hans").order_by("-year").first()
    participation = Participation.objects.filter(edition=edition.year, exhibitor__status="verified").first()
    exhibitor = participation.exhibitor
    from tests.factories.catalogue import ProductFactory

    product = ProductFactory(exhibitor=exhibitor)
    line = delivered_order(buyer_member=buyer_member, items=[(product, 1)]).lines.get()
    services.review_create(membership=buyer_member, line=line, **scores(4, 4, 4, 4, "Booth review"))
    url = edition.url + edition.reverse_subpage("booth_route", args=[exhibitor.key])
    html = client.get(url).content.decode()
    assert 'id="credit-profile"' in html and "Booth review" in html and 'data-rating="4.0"' in html
    assert "买家评分" in html


def test_staff_hide_a_review_with_a_reason_in_the_admin(client, order, buyer_member, staff_user):
    review = services.review_create(membership=buyer_member, line=order.lines.get(), **scores(comment="Rude"))
    client.force_login(staff_user)
    assert client.get("/admin/credit_reviews/").status_code == 200
    assert client.get(f"/admin/credit_reviews/inspect/{review.pk}/").status_code == 200
    edit = f"/admin/credit_reviews/edit/{review.pk}/"
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"hidden": "on", "hidden_reason": ""})
    assert response.status_code == 200
    review.refresh_from_db()
    assert not review.is_hidden
    response = client.post(edit, {"hidden": "on", "hidden_reason": "Insults"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_hidden and review.hidden_reason == "Insults" and review.hidden_by == staff_user
    client.post(edit, {"hidden_reason": ""})
    review.refresh_from_db()
    assert not review.is_hidden
    # Members cannot reach the moderation.
    client.force_login(buyer_member.user)
    assert client.get("/admin/credit_reviews/").status_code in (302, 403)
