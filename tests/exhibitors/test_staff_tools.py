"""Staff tools in the Wagtail admin: lists and filters, verify/reject with e-mail, merge."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from exhibitors.models import Certificate, CompanyStatus, Exhibitor, Membership, Participation
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_exhibitor_list_filters_by_status_province_category_edition_and_certificates(staff_client):
    from oscar.core.loading import get_model

    latiao = ExhibitorFactory(name_zh="辣条厂", province="河南", status=CompanyStatus.PENDING)
    latiao.categories.add(get_model("catalogue", "Category").objects.get(slug="snacks-latiao"))
    ham = ExhibitorFactory(name_zh="火腿厂", province="山东")
    Participation.objects.create(exhibitor=ham, edition=2026, booth="A-1")
    Certificate.objects.create(
        exhibitor=ham, code="HALAL", valid_until=timezone.localdate() + timedelta(days=10)
    )
    snacks = get_model("catalogue", "Category").objects.get(slug="snacks")

    def names(**params):
        html = staff_client.get("/admin/exhibitors/", params).content.decode()
        return {n for n in ("辣条厂", "火腿厂") if n in html}

    assert names() == {"辣条厂", "火腿厂"}
    assert names(status="pending") == {"辣条厂"}
    assert names(province="山东") == {"火腿厂"}
    assert names(category=snacks.pk) == {"辣条厂"}
    assert names(edition=2026) == {"火腿厂"}
    assert names(certificate="expiring30") == {"火腿厂"}
    assert names(q="辣条") == {"辣条厂"}


def test_verify_tells_the_company_by_email_through_celery(staff_client, django_capture_on_commit_callbacks):
    membership = MembershipFactory(exhibitor__status=CompanyStatus.PENDING)
    exhibitor = membership.exhibitor
    review = staff_client.get(f"/admin/exhibitors/inspect/{exhibitor.pk}/")
    assert review.status_code == 200 and exhibitor.key in review.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/admin/exhibitors/verify/{exhibitor.pk}/")
    exhibitor.refresh_from_db()
    assert exhibitor.status == CompanyStatus.VERIFIED and exhibitor.verified_at
    assert membership.user.email in mail.outbox[-1].to
    assert "verified" in mail.outbox[-1].subject


def test_reject_needs_a_reason_and_sends_it(staff_client, django_capture_on_commit_callbacks):
    membership = MembershipFactory(exhibitor__status=CompanyStatus.PENDING)
    exhibitor = membership.exhibitor
    staff_client.post(f"/admin/exhibitors/reject/{exhibitor.pk}/", {"reason": ""})
    exhibitor.refresh_from_db()
    assert exhibitor.status == CompanyStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/admin/exhibitors/reject/{exhibitor.pk}/", {"reason": "营业执照模糊"})
    exhibitor.refresh_from_db()
    assert exhibitor.status == CompanyStatus.REJECTED and exhibitor.rejection_reason == "营业执照模糊"
    assert "营业执照模糊" in mail.outbox[-1].body


def test_buyers_and_requests_are_listed_too(staff_client):
    BuyerFactory(name_zh="丹尼斯百货")
    assert "丹尼斯百货" in staff_client.get("/admin/buyers/").content.decode()
    assert staff_client.get("/admin/sourcing_requests/").status_code == 200


def test_merge_folds_a_duplicate_into_the_kept_company(staff_client):
    keep = ExhibitorFactory(name_zh="漯河食品", website="")
    duplicate = ExhibitorFactory(name_zh="漯河食品（重复）", website="https://dup.example.com")
    member = MembershipFactory(exhibitor=duplicate)
    Certificate.objects.create(exhibitor=duplicate, code="SC")
    product = ProductFactory(exhibitor=duplicate)
    response = staff_client.post(f"/admin/exhibitors/merge/{keep.pk}/", {"duplicate_key": duplicate.key})
    assert response.status_code == 302
    assert not Exhibitor.objects.filter(pk=duplicate.pk).exists()
    keep.refresh_from_db()
    assert keep.website == "https://dup.example.com"
    assert Membership.objects.get(pk=member.pk).exhibitor == keep
    assert keep.certificates.filter(code="SC").exists()
    assert product.stockrecords.get().partner == keep.partner
    # the search index follows the move at once, though the products moved by bulk update
    from search.backends import ProductQuery, get_backend

    assert product.pk in get_backend().search_products(ProductQuery(exhibitor=keep.pk)).ids


def test_merge_with_an_unknown_key_says_so(staff_client):
    keep = ExhibitorFactory()
    response = staff_client.post(f"/en/admin/exhibitors/merge/{keep.pk}/", {"duplicate_key": "NOPE"})
    response = staff_client.post(f"/admin/exhibitors/merge/{keep.pk}/", {"duplicate_key": "NOPE"})
    assert response.status_code == 200
    assert response.context["form"].errors["duplicate_key"]


def test_company_members_cannot_use_the_staff_tools(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    for url in ["/admin/exhibitors/", f"/admin/exhibitors/inspect/{membership.exhibitor.pk}/"]:
        assert client.get(url).status_code in (302, 403)
    client.post(f"/admin/exhibitors/verify/{membership.exhibitor.pk}/")
    membership.exhibitor.refresh_from_db()
    assert membership.exhibitor.status == CompanyStatus.VERIFIED  # unchanged from the factory's default
    pending = MembershipFactory(exhibitor__status=CompanyStatus.PENDING, user=membership.user)
    client.post(f"/admin/exhibitors/verify/{pending.exhibitor.pk}/")
    pending.exhibitor.refresh_from_db()
    assert pending.exhibitor.status == CompanyStatus.PENDING
