"""``/api/v1/staff/companies/``: staff review sign-ups as in the admin, and nobody else can."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from rest_framework.test import APIClient

from exhibitors.models import CompanyStatus
from tests.factories.buyers import BuyerFactory
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.members import UserFactory

from .trading import app, buyer_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    """Staff who may change buyers in the admin, and not exhibitors."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_buyer"))
    return user


def staff_app(user) -> APIClient:
    api = APIClient()
    tokens = api.post(
        "/api/v1/auth/login/", {"email": user.email, "password": "member-pass-2026"}, format="json"
    ).json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}", HTTP_ACCEPT_LANGUAGE="en")
    return api


def test_staff_list_pending_buyers_and_verify_or_reject_them_with_a_reason(reviewer):
    waiting = BuyerFactory(status=CompanyStatus.PENDING)
    other = BuyerFactory(status=CompanyStatus.PENDING)
    BuyerFactory()  # verified already
    api = staff_app(reviewer)
    pending = api.get("/api/v1/staff/companies/buyer/?status=pending").json()["results"]
    assert {row["key"] for row in pending} == {waiting.key, other.key}

    verified = api.patch(
        f"/api/v1/staff/companies/buyer/{waiting.key}/", {"status": "verified"}, format="json"
    )
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    waiting.refresh_from_db()
    assert waiting.status == CompanyStatus.VERIFIED and waiting.verified_at

    no_reason = api.patch(
        f"/api/v1/staff/companies/buyer/{other.key}/", {"status": "rejected"}, format="json"
    )
    assert no_reason.status_code == 422 and no_reason.json()["detail"]
    rejected = api.patch(
        f"/api/v1/staff/companies/buyer/{other.key}/",
        {"status": "rejected", "reason": "The licence is unreadable."},
        format="json",
    )
    assert rejected.status_code == 200 and rejected.json()["rejection_reason"] == "The licence is unreadable."
    assert api.get(f"/api/v1/staff/companies/buyer/{other.key}/").json()["status"] == "rejected"
    assert api.get("/api/v1/staff/companies/buyer/?status=pending").json()["results"] == []


def test_staff_without_the_admin_permission_members_and_visitors_are_refused(reviewer):
    pending = ExhibitorFactory(status=CompanyStatus.PENDING)
    api = staff_app(reviewer)
    assert api.get("/api/v1/staff/companies/exhibitor/").status_code == 403
    refused = api.patch(
        f"/api/v1/staff/companies/exhibitor/{pending.key}/", {"status": "verified"}, format="json"
    )
    assert refused.status_code == 403 and refused.json()["error"]
    assert api.get("/api/v1/staff/companies/nonsense/").status_code == 404
    assert api.get("/api/v1/staff/companies/buyer/NO-SUCH-KEY/").status_code == 404
    member = app(buyer_member())
    assert member.get("/api/v1/staff/companies/buyer/").status_code == 403
    assert (
        member.patch(
            f"/api/v1/staff/companies/exhibitor/{pending.key}/", {"status": "verified"}, format="json"
        ).status_code
        == 403
    )
    pending.refresh_from_db()
    assert pending.status == CompanyStatus.PENDING
    assert APIClient().get("/api/v1/staff/companies/buyer/").status_code == 401
    assert not [m for m in mail.outbox if pending.key in m.body]
