"""Sourcing requests in the company centre: a buyer posts, changes, closes and reopens its own;
each request page recommends suppliers with reasons; dashboards show matches."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from buyers.models import RequestStatus, SourcingRequest
from exhibitors.models import Certificate
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")


@pytest.fixture
def buyer_member(client):
    member = MembershipFactory(
        exhibitor=None, buyer=BuyerFactory(name_zh="武汉测试商超", required_certifications=["SC"])
    )
    client.force_login(member.user)
    return member


@pytest.fixture
def latiao_maker():
    maker = ExhibitorFactory(name_zh="漯河辣条厂", name_en="Luohe Latiao Works")
    maker.categories.add(Category.objects.get(slug="snacks-latiao"))
    Certificate.objects.create(
        exhibitor=maker, code="SC", valid_until=timezone.localdate() + timedelta(days=300)
    )
    Certificate.objects.create(exhibitor=maker, code="HALAL")
    ProductFactory(
        exhibitor=maker, category="snacks-latiao", title="大面筋辣条", price=Decimal("30.00"), moq=50
    )
    return maker


def _post_request(client, **fields):
    data = {
        "title": "采购辣条 春节备货",
        "category": Category.objects.get(slug="snacks-latiao").pk,
        "quantity": "5000",
        "unit": "箱",
        "target_price": "32.00",
        "currency": "cny",
        "delivery_region": "湖北武汉",
        "deliver_by": (timezone.localdate() + timedelta(days=40)).isoformat(),
        "required_certifications": ["HALAL"],
        "storage": "ambient",
        **fields,
    }
    return client.post("/company/requests/add/", data)


def test_buyer_posts_a_request_with_a_generated_reference(client, buyer_member, latiao_maker):
    response = _post_request(client)
    request = SourcingRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/company/requests/{request.pk}/")
    assert request.buyer == buyer_member.buyer
    assert request.reference == f"RQ-{timezone.localdate():%Y%m%d}-1"
    assert request.currency == "CNY" and request.required_certifications == ["HALAL"]
    assert request.status == RequestStatus.OPEN
    _post_request(client, title="第二个需求")
    assert SourcingRequest.objects.filter(reference=f"RQ-{timezone.localdate():%Y%m%d}-2").exists()


def test_request_page_recommends_suppliers_with_reasons(client, buyer_member, latiao_maker):
    _post_request(client)
    html = client.get(f"/en/company/requests/{SourcingRequest.objects.get().pk}/").content.decode()
    assert "Recommended suppliers" in html
    assert "Luohe Latiao Works" in html
    assert f"/en/exhibitors/{latiao_maker.key}/" in html
    assert "certified: HALAL" in html and "certified: SC" in html
    assert "price 30 CNY within the target 32" in html


def test_request_page_in_chinese(client, buyer_member, latiao_maker):
    _post_request(client)
    html = client.get(f"/company/requests/{SourcingRequest.objects.get().pk}/").content.decode()
    assert "漯河辣条厂" in html and 'lang="zh' in html


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"title": ""}, "title"),
        ({"quantity": "-5"}, "quantity"),
        ({"quantity": "lots"}, "quantity"),
        ({"target_price": "0"}, "target_price"),
        ({"currency": "yuan"}, "currency"),
        ({"storage": "warm"}, "storage"),
        ({"required_certifications": ["NOPE"]}, "required_certifications"),
        ({"deliver_by": "2026-02-30"}, "deliver_by"),
        ({"category": "999999"}, "category"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, buyer_member, fields, field):
    response = _post_request(client, **fields)
    assert response.status_code == 200
    assert f'data-field="{field}"' in response.content.decode()
    assert "fx-field-error" in response.content.decode()
    assert not SourcingRequest.objects.exists()


def test_buyer_changes_closes_and_reopens_its_request(client, buyer_member, latiao_maker):
    _post_request(client)
    request = SourcingRequest.objects.get()
    response = client.post(
        f"/company/requests/{request.pk}/edit/",
        {"title": "采购辣条 改", "quantity": "6000", "currency": "CNY", "storage": ""},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.title == "采购辣条 改" and request.quantity == Decimal("6000") and request.storage == ""
    client.post(f"/company/requests/{request.pk}/close/")
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    html = client.get(f"/en/company/requests/{request.pk}/").content.decode()
    assert 'data-note="closed"' in html and "Luohe Latiao Works" not in html
    client.post(f"/company/requests/{request.pk}/reopen/")
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_list_shows_only_the_companys_own_requests(client, buyer_member):
    _post_request(client, title="我们的需求")
    SourcingRequest.objects.create(buyer=BuyerFactory(), reference="THEIRS", title="别人的需求")
    html = client.get("/company/requests/").content.decode()
    assert "我们的需求" in html and "别人的需求" not in html


def test_another_buyers_request_is_404(client, buyer_member):
    theirs = SourcingRequest.objects.create(buyer=BuyerFactory(), reference="THEIRS", title="别人的需求")
    for url in (
        f"/company/requests/{theirs.pk}/",
        f"/company/requests/{theirs.pk}/edit/",
    ):
        assert client.get(url).status_code == 404
    for url in (
        f"/company/requests/{theirs.pk}/edit/",
        f"/company/requests/{theirs.pk}/close/",
        f"/company/requests/{theirs.pk}/reopen/",
    ):
        assert client.post(url, {"title": "hijacked"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "别人的需求" and theirs.status == RequestStatus.OPEN


def test_exhibitors_have_no_request_pages(client):
    client.force_login(MembershipFactory().user)
    for url in ("/company/requests/", "/company/requests/add/"):
        assert client.get(url).status_code == 404
    assert client.post("/company/requests/add/", {"title": "x"}).status_code == 404
    assert not SourcingRequest.objects.exists()


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/company/requests/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_buyer_dashboard_recommends_suppliers(client, buyer_member, latiao_maker):
    buyer_member.buyer.interests.add(Category.objects.get(slug="snacks"))
    html = client.get("/en/company/").content.decode()
    assert "Recommended suppliers" in html and "Luohe Latiao Works" in html
    assert "category: " in html


def test_exhibitor_dashboard_shows_buyers_looking_for_what_it_sells(client, buyer_member, latiao_maker):
    buyer_member.buyer.interests.add(Category.objects.get(slug="snacks"))
    _post_request(client)
    request = SourcingRequest.objects.get()
    owner = MembershipFactory(exhibitor=latiao_maker)
    client.force_login(owner.user)
    html = client.get("/en/company/").content.decode()
    assert "Buyers looking for what you sell" in html
    assert f'data-key="{buyer_member.buyer.key}"' in html
    assert f'data-key="{buyer_member.buyer.key}/{request.reference}"' in html
    assert f"/en/company/negotiation/quotes/new/?request={request.pk}" in html


def test_pages_fit_a_phone(client, buyer_member, latiao_maker):
    """No fixed widths wider than a 375 px screen on the request pages."""
    _post_request(client)
    request = SourcingRequest.objects.get()
    for url in ("/company/requests/", f"/company/requests/{request.pk}/", "/company/requests/add/"):
        html = client.get(url).content.decode()
        assert 'name="viewport"' in html
        assert "width:" not in html.replace("max-width:", "")
