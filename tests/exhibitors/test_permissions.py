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
    return objects


def company_routes():
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) is None and hasattr(pattern, "url_patterns"):
            for inner in pattern.url_patterns:
                if getattr(inner, "namespace", None) == "company":
                    yield from ((p.name, str(p.pattern)) for p in inner.url_patterns)


def object_for(name: str, objects: dict):
    for prefix, key in (
        ("certificate-", "certificate"),
        ("participation-", "participation"),
        ("member-", "member"),
        ("invitation-revoke", "invitation"),
        ("photo-", "photo"),
        ("product-", "product"),
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
                response = method(url, {"role": "owner", "code": "SC", "edition": 2030})
                assert response.status_code in (403, 404, 405), (name, method.__name__, response.status_code)
        else:
            url = "/company/" + route
            html = client.get(url, follow=True).content.decode()
            for secret in ("SECRET-B-CERT", "SECRET-B-BOOTH", "staff-b@example.com", "invitee-b@example.com"):
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
    ]:
        assert client.get(url).status_code in (302, 403), url
