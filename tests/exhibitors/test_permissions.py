"""A member of company A reaches nothing private of company B, on any company-centre page.

The walk covers every URL of the company centre (read from the URLconf, so new pages
are walked too) and the staff tools.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver

from exhibitors.models import Certificate, CompanyPhoto, Invitation, Membership, Participation, Role
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory, UserFactory
from tests.factories.orders import paid_order

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def company_b():
    owner = MembershipFactory(user__email="owner-b@example.com")
    exhibitor = owner.exhibitor
    staff = MembershipFactory(exhibitor=exhibitor, role=Role.STAFF, user__email="staff-b@example.com")
    objects = {
        "owner": owner,
        "certificate": Certificate.objects.create(exhibitor=exhibitor, code="HALAL", number="SECRET-B-CERT"),
        "participation": Participation.objects.create(
            exhibitor=exhibitor, edition=2026, booth="SECRET-B-BOOTH"
        ),
        "member": staff,
        "invitation": Invitation.objects.create(
            exhibitor=exhibitor, email="invitee-b@example.com", token="b-token"
        ),
        "photo": CompanyPhoto.objects.create(exhibitor=exhibitor, image=SimpleUploadedFile("b.png", PNG)),
        "product": ProductFactory(exhibitor=exhibitor, title="B 的商品"),
    }
    objects["order"] = paid_order(user=UserFactory(), items=[(objects["product"], 1)])
    objects.update(negotiation_between(exhibitor_member=owner, product=objects["product"]))
    objects.update(credit_between(product=objects["product"]))
    return objects


def credit_between(*, product) -> dict:
    """A buyer D's delivered order from exhibitor B, one line rated (not yet answered) and one
    waiting for its rating: none of it may reach a third company."""
    from credit import services
    from tests.credit.support import delivered_order, scores

    buyer_d = MembershipFactory(exhibitor=None, buyer=BuyerFactory())
    order = delivered_order(buyer_member=buyer_d, items=[(product, 3)])
    rated = order.lines.get()
    waiting = delivered_order(buyer_member=buyer_d, items=[(product, 2)]).lines.get()
    review = services.review_create(membership=buyer_d, line=rated, **scores(comment="SECRET-B-REVIEW"))
    return {"review": review, "line_to_rate": waiting, "credit_order": order}


def negotiation_between(*, exhibitor_member, product) -> dict:
    """An inquiry (with an attachment), a sample request, a quote and an accepted meeting
    between exhibitor B and a buyer C: none of it may reach a third company."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from negotiation import services
    from tests.factories.negotiation import quarter, sourcing_request

    buyer_c = MembershipFactory(exhibitor=None, buyer=BuyerFactory())
    inquiry = services.inquiry_create(
        membership=buyer_c,
        exhibitor=exhibitor_member.exhibitor,
        products=[product],
        message="SECRET-B-INQUIRY",
        files=[SimpleUploadedFile("spec.png", PNG)],
    )
    sample = services.sample_request_create(
        membership=buyer_c, product=product, quantity=2, ship_to="SECRET-B-SAMPLE"
    )
    request = sourcing_request(buyer=buyer_c.buyer)
    quote = services.quote_submit(
        membership=exhibitor_member,
        request=request,
        product=product,
        unit_price=Decimal("40.00"),
        moq=10,
        lead_time_days=5,
        delivery_terms="delivered",
        valid_until=timezone.localdate() + timedelta(days=5),
        message="SECRET-B-QUOTE",
    )
    start = quarter(3, 10)
    meeting = services.meeting_request(
        membership=buyer_c,
        exhibitor=exhibitor_member.exhibitor,
        kind="online",
        times=[start],
        topic="SECRET-B-MEETING",
    )
    services.meeting_accept(
        membership=exhibitor_member, meeting=meeting, starts_at=start, attendee=exhibitor_member.user
    )
    return {
        "inquiry": inquiry,
        "thread": inquiry.thread,
        "attachment": inquiry.thread.messages.get().attachments.get(),
        "sample": sample,
        "quote": quote,
        "request": request,
        "meeting": meeting,
    }


NEGOTIATION_OBJECTS = {
    "negotiation-thread": "thread",
    "negotiation-inquiry": "inquiry",
    "negotiation-attachment": "attachment",
    "negotiation-sample": "sample",
    "negotiation-quote": "quote",
    "negotiation-request-quotes": "request",
    "negotiation-meeting": "meeting",
    "negotiation-meeting-ics": "meeting",
}
RATING = {"quality": 1, "as_described": 1, "delivery": 1, "communication": 1, "comment": "HIJACK"}
CREDIT_OBJECTS = {"review-rate": "line_to_rate", "review-answer": "review"}
SECRETS = (
    "SECRET-B-CERT",
    "SECRET-B-BOOTH",
    "staff-b@example.com",
    "invitee-b@example.com",
    "SECRET-B-INQUIRY",
    "SECRET-B-SAMPLE",
    "SECRET-B-QUOTE",
    "SECRET-B-MEETING",
    "SECRET-B-REVIEW",
)


def company_routes():
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) is None and hasattr(pattern, "url_patterns"):
            for inner in pattern.url_patterns:
                if getattr(inner, "namespace", None) == "company":
                    yield from ((p.name, str(p.pattern)) for p in inner.url_patterns)


def object_for(name: str, objects: dict):
    if name in NEGOTIATION_OBJECTS:
        return objects[NEGOTIATION_OBJECTS[name]]
    if name in CREDIT_OBJECTS:
        return objects[CREDIT_OBJECTS[name]]
    for prefix, key in (
        ("certificate-", "certificate"),
        ("participation-", "participation"),
        ("member-", "member"),
        ("invitation-revoke", "invitation"),
        ("photo-", "photo"),
        ("product-", "product"),
        ("request-", "request"),  # buyer C's sourcing request
    ):
        if name.startswith(prefix):
            return objects[key]
    raise AssertionError(f"the permission walk does not know which object {name} takes: add it")


@pytest.mark.parametrize("member_side", ["exhibitor", "buyer"])
def test_member_of_a_reaches_nothing_private_of_b(client, company_b, member_side):
    if member_side == "exhibitor":
        member_a = MembershipFactory()
    else:
        member_a = MembershipFactory(exhibitor=None, buyer=BuyerFactory())
    client.force_login(member_a.user)
    routes = list(company_routes())
    assert len(routes) >= 15
    walked = 0
    for name, route in routes:
        if "<str:token>" in route:
            continue  # an invitation link is reached by its secret token, not by membership
        if "<str:number>" in route:
            url = "/company/" + route.replace("<str:number>", str(company_b["order"].number))
            for method in (client.get, client.post):
                response = method(url, {"action": "confirm", "line": [company_b["order"].lines.get().pk]})
                assert response.status_code in (404, 405), (name, method.__name__, response.status_code)
        elif "<int:pk>" in route:
            target = object_for(name, company_b)
            url = "/company/" + route.replace("<int:pk>", str(target.pk))
            for method in (client.get, client.post):
                response = method(
                    url,
                    {"role": "owner", "code": "SC", "edition": 2030, "answer": "HIJACK", **RATING},
                )
                assert response.status_code in (403, 404, 405), (name, method.__name__, response.status_code)
        else:
            url = "/company/" + route
            html = client.get(url, follow=True).content.decode()
            for secret in SECRETS:
                assert secret not in html, (name, secret)
        walked += 1
    assert walked >= 14
    # switching to B's company is refused
    exhibitor_b = company_b["owner"].exhibitor
    assert client.post("/company/switch/", {"company": f"exhibitor:{exhibitor_b.pk}"}).status_code == 404
    # and nothing of B changed
    company_b["certificate"].refresh_from_db()
    assert company_b["certificate"].code == "HALAL"
    assert Membership.objects.get(pk=company_b["member"].pk).role == Role.STAFF
    assert Invitation.objects.filter(pk=company_b["invitation"].pk).exists()
    assert CompanyPhoto.objects.filter(pk=company_b["photo"].pk).exists()
    assert Participation.objects.get(pk=company_b["participation"].pk).edition == 2026
    assert company_b["order"].lines.get().status == "Paid"
    company_b["product"].refresh_from_db()
    assert company_b["product"].title == "B 的商品"
    company_b["request"].refresh_from_db()
    assert company_b["request"].status == "open" and company_b["request"].title == "辣条 latiao, 500 cartons"
    company_b["review"].refresh_from_db()
    assert company_b["review"].answer == "" and company_b["review"].comment == "SECRET-B-REVIEW"
    from credit.models import Review

    assert not Review.objects.filter(line=company_b["line_to_rate"]).exists()


def test_b_contact_details_are_hidden_from_unverified_and_anonymous_visitors(client, company_b):
    exhibitor_b = company_b["owner"].exhibitor
    exhibitor_b.contact_phone = "+86 395 000 0000"
    exhibitor_b.save()
    url = f"/exhibitors/{exhibitor_b.key}/"
    assert "+86 395 000 0000" not in client.get(url).content.decode()
    pending = MembershipFactory(exhibitor__status="pending")
    client.force_login(pending.user)
    assert "+86 395 000 0000" not in client.get(url).content.decode()
    verified = MembershipFactory()
    client.force_login(verified.user)
    assert "+86 395 000 0000" in client.get(url).content.decode()


def test_staff_tools_are_closed_to_members(client, company_b):
    client.force_login(UserFactory())
    pk = company_b["owner"].exhibitor.pk
    for url in [
        "/admin/exhibitors/",
        f"/admin/exhibitors/inspect/{pk}/",
        f"/admin/exhibitors/edit/{pk}/",
        f"/admin/exhibitors/merge/{pk}/",
        "/admin/buyers/",
        "/admin/sourcing_requests/",
        "/admin/stats/",
        "/admin/stats/export/orders.csv",
        "/admin/stats/export/orders.xlsx",
    ]:
        assert client.get(url).status_code in (302, 403), url
