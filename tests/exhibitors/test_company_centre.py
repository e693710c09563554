"""The company centre: registration, profile, members and invitations, certificates."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from buyers.models import Buyer
from exhibitors.models import Certificate, CompanyStatus, Exhibitor, Invitation, Membership, Role
from tests.factories.members import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def register(client, url="/company/register/", **overrides):
    data = {
        "email": "owner@luohe-foods.example",
        "password1": "Luohe-food-2026!",
        "password2": "Luohe-food-2026!",
        "side": "exhibitor",
        "key": "91411100MA47TEST1X",
        "name_zh": "漯河测试食品有限公司",
        "name_en": "Luohe Test Foods",
        "country": "cn",
        "province": "河南",
        "city": "漯河",
    }
    data.update(overrides)
    return client.post(url, data)


def test_a_new_person_registers_a_pending_exhibitor_with_its_own_partner(client):
    response = register(client)
    assert response.status_code == 302 and response["Location"] == "/company/profile/"
    exhibitor = Exhibitor.objects.get(key="91411100MA47TEST1X")
    assert exhibitor.status == CompanyStatus.PENDING and exhibitor.country == "CN"
    assert exhibitor.partner.exhibitor == exhibitor
    membership = Membership.objects.get(exhibitor=exhibitor)
    assert membership.role == Role.OWNER and membership.user.email == "owner@luohe-foods.example"
    assert "待审核" in client.get("/company/").content.decode()


def test_a_company_that_both_sells_and_buys_gets_both_records_and_can_switch(client):
    register(client, side="both")
    assert Buyer.objects.filter(key="91411100MA47TEST1X").exists()
    html = client.get("/en/company/").content.decode()
    assert "Switch company" in html
    buyer = Buyer.objects.get()
    response = client.post("/company/switch/", {"company": f"buyer:{buyer.pk}"})
    assert response.status_code == 302
    assert "Buyer" in client.get("/en/company/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "different"}, "password2", "The two passwords differ."),
        ({"key": "bad key/1"}, "key", "no '/' and no spaces"),
        ({"name_zh": "", "name_en": ""}, "name_zh", "Give the company name"),
        ({"password1": "123", "password2": "123"}, "password1", "too short"),
    ],
)
def test_bad_registration_input_is_explained_and_kept(client, overrides, field, message):
    response = register(client, url="/en/company/register/", **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert form.data["city"] == "漯河"  # nothing the person typed is lost
    assert not Exhibitor.objects.exists()


def test_an_existing_company_cannot_be_registered_twice(client):
    MembershipFactory(exhibitor__key="91411100MA47TEST1X")
    response = register(client, url="/en/company/register/")
    assert response.status_code == 200
    assert "ask its owner to invite you" in str(response.context["form"].errors["key"])


def test_profile_in_both_languages_and_licence_upload(client):
    register(client)
    response = client.post(
        "/company/profile/",
        {
            "name_zh": "漯河测试食品有限公司",
            "name_en": "Luohe Test Foods",
            "country": "CN",
            "description_zh": "专业生产辣条",
            "description_en": "We make latiao",
            "business_licence": SimpleUploadedFile("licence.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    exhibitor = Exhibitor.objects.get()
    assert exhibitor.description_en == "We make latiao" and exhibitor.business_licence


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("licence.pdf", b"MZ\x90\x00 this is an executable", "not a PDF, JPEG or PNG"),
        ("licence.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "too large"),
    ],
)
def test_uploads_of_the_wrong_type_or_size_are_refused(client, name, content, message):
    register(client)
    response = client.post(
        "/en/company/profile/",
        {
            "name_zh": "漯河测试食品有限公司",
            "country": "CN",
            "business_licence": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["business_licence"])
    assert not Exhibitor.objects.get().business_licence


def test_certificate_with_scanned_document(client):
    register(client)
    response = client.post(
        "/company/certificates/add/",
        {
            "code": "HALAL",
            "number": "HL-2026-001",
            "issuer": "河南省伊斯兰教协会",
            "valid_until": (timezone.localdate() + timedelta(days=365)).isoformat(),
            "document": SimpleUploadedFile("halal.png", png_bytes(), "image/png"),
        },
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.status == "valid" and certificate.document
    # a second certificate of the same code is refused with a message
    response = client.post("/en/company/certificates/add/", {"code": "HALAL", "number": "x"})
    assert "already" in str(response.context["form"].errors["code"])


def test_owner_invites_a_colleague_who_joins_with_the_link(client, django_capture_on_commit_callbacks):
    register(client)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/company/members/", {"email": "Colleague@Example.com", "role": "staff"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "colleague@example.com"
    assert invitation.token in mail.outbox[-1].body
    colleague = UserFactory(email="colleague@example.com")
    other = client.__class__()
    other.force_login(colleague)
    response = other.post(f"/company/invitations/{invitation.token}/")
    assert response.status_code == 302
    assert Membership.objects.get(user=colleague).role == Role.STAFF
    # a used invitation cannot be used again
    response = other.post(f"/company/invitations/{invitation.token}/", follow=True)
    assert "already been used" in response.content.decode() or "已" in response.content.decode()


def test_an_invitation_for_someone_else_is_refused(client):
    register(client)
    client.post("/company/members/", {"email": "colleague@example.com", "role": "staff"})
    invitation = Invitation.objects.get()
    stranger = client.__class__()
    stranger.force_login(UserFactory(email="stranger@example.com"))
    stranger.post(f"/company/invitations/{invitation.token}/")
    assert not Membership.objects.filter(user__email="stranger@example.com").exists()


def test_staff_members_cannot_invite_and_the_last_owner_cannot_leave(client):
    owner = MembershipFactory()
    staff = MembershipFactory(exhibitor=owner.exhibitor, role=Role.STAFF)
    client.force_login(staff.user)
    response = client.post("/company/members/", {"email": "x@example.com", "role": "staff"})
    assert not Invitation.objects.exists() and response.status_code == 200
    client.force_login(owner.user)
    client.post(f"/company/members/{owner.pk}/remove/")
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_a_person_without_a_company_is_sent_to_register(client):
    client.force_login(UserFactory())
    response = client.get("/company/")
    assert response.status_code == 302 and response["Location"] == "/company/register/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/company/certificates/")
    assert response.status_code == 302 and "login" in response["Location"]
