"""Tokens for apps: log-in, refresh (rotating), log-out that revokes, throttled log-in, and
JSON errors with a code and a message in the request's language."""

import pytest
from django.core.cache import cache

from exhibitors.models import Role
from tests.factories.buyers import BuyerFactory
from tests.factories.members import MembershipFactory, UserFactory

PASSWORD = "member-pass-2026"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def buyer_member():
    return MembershipFactory(buyer=BuyerFactory(name_en="Wuhan Chain"), exhibitor=None, role=Role.OWNER)


def login(client, email, password=PASSWORD, **headers):
    return client.post(
        "/api/v1/auth/login/", {"email": email, "password": password}, format="json", **headers
    )


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


def test_log_in_then_read_me_with_the_access_token(api, buyer_member):
    tokens = login(api, buyer_member.user.email).json()
    assert set(tokens) == {"access", "refresh"}
    me = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert me.status_code == 200
    body = me.json()
    assert body["email"] == buyer_member.user.email
    assert body["acting_for"] == f"buyer:{buyer_member.buyer_id}"
    assert [c["key"] for c in body["companies"]] == [buyer_member.buyer.key]


def test_a_wrong_password_is_a_401_in_the_readers_language(api, buyer_member):
    english = login(api, buyer_member.user.email, "wrong", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 401
    assert english.json() == {
        "error": "wrong_login",
        "detail": "The e-mail address or the password is wrong.",
    }
    chinese = login(api, buyer_member.user.email, "wrong-again", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 401 and chinese.json()["error"] == "wrong_login"
    assert "密码" in chinese.json()["detail"]


def test_without_a_token_me_is_a_json_401(api):
    response = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    garbage = api.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert garbage.status_code == 401 and garbage.json()["error"] == "token_not_valid"


def test_refresh_rotates_and_the_old_refresh_token_is_refused(api, buyer_member):
    first = login(api, buyer_member.user.email).json()
    second = api.post("/api/v1/auth/refresh/", {"refresh": first["refresh"]}, format="json")
    assert second.status_code == 200 and second.json()["refresh"] != first["refresh"]
    again = api.post("/api/v1/auth/refresh/", {"refresh": first["refresh"]}, format="json")
    assert again.status_code == 401 and again.json()["error"] == "token_not_valid"
    assert (
        api.post("/api/v1/auth/refresh/", {"refresh": second.json()["refresh"]}, format="json").status_code
        == 200
    )


def test_log_out_revokes_the_refresh_token(api, buyer_member):
    tokens = login(api, buyer_member.user.email).json()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access']}"}
    assert (
        api.post("/api/v1/auth/logout/", {"refresh": tokens["refresh"]}, format="json", **bearer).status_code
        == 204
    )
    refused = api.post("/api/v1/auth/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert refused.status_code == 401


def test_nobody_logs_out_someone_else(api, buyer_member):
    other = UserFactory()
    theirs = login(api, other.email).json()
    mine = login(api, buyer_member.user.email).json()
    response = api.post(
        "/api/v1/auth/logout/",
        {"refresh": theirs["refresh"]},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {mine['access']}",
    )
    assert response.status_code == 400
    assert api.post("/api/v1/auth/refresh/", {"refresh": theirs["refresh"]}, format="json").status_code == 200


def test_log_in_is_throttled_per_address_and_email(api, buyer_member, settings):
    for _ in range(10):
        assert login(api, buyer_member.user.email, "wrong").status_code == 401
    throttled = login(api, buyer_member.user.email)  # even the right password waits now
    assert throttled.status_code == 429
    assert throttled.json()["error"] == "throttled" and "Retry-After" in throttled
    assert login(api, UserFactory().email).status_code == 200  # another account is not locked out


@pytest.mark.parametrize(
    "body",
    [{}, {"email": "not-an-email", "password": "x"}, {"email": "a@b.cn", "password": "x" * 500}, ["list"]],
)
def test_malformed_log_in_is_a_400_naming_the_field(api, body):
    response = api.post("/api/v1/auth/login/", body, format="json")
    assert response.status_code == 400 and response.json()["error"] == "invalid"
