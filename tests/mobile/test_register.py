"""Sign-up from an app: person and company in one request through the registration form and
service the site uses; tokens at once; the company waits for staff; the page's own refusals."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from buyers.models import Buyer
from exhibitors.models import CompanyStatus, Exhibitor, Membership
from exhibitors.services import company_verify
from tests.factories.buyers import BuyerFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a long pass phrase 2026"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def register(api, **fields):
    body = {
        "email": "new.buyer@example.com",
        "password": PASSWORD,
        "side": "buyer",
        "key": "91410100MA9XYZ0001",
        "name_zh": "郑州新食品贸易有限公司",
        "country": "CN",
        "province": "河南",
        **fields,
    }
    return api.post("/api/v1/auth/register/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")


def test_a_buyer_registers_is_logged_in_and_waits_for_staff(client):
    api = APIClient()
    answer = register(api)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    buyer = Buyer.objects.get(key="91410100MA9XYZ0001")
    assert buyer.status == CompanyStatus.PENDING
    assert body["companies"] == [
        {
            "kind": "buyer",
            "id": buyer.pk,
            "key": buyer.key,
            "status": "pending",
            "x_company": f"buyer:{buyer.pk}",
        }
    ]
    assert Membership.objects.get(buyer=buyer).user.email == "new.buyer@example.com"
    me = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert me.status_code == 200 and me.json()["acting_for"] == f"buyer:{buyer.pk}"
    company_verify(company=buyer)  # what staff's "verify" in the admin does
    buyer.refresh_from_db()
    assert buyer.status == CompanyStatus.VERIFIED
    # The same person logs in on the site with the password they chose.
    assert client.login(email="new.buyer@example.com", password=PASSWORD)


def test_both_sides_in_one_request():
    body = register(APIClient(), side="both", key="91410100MA9XYZ0002").json()
    assert [c["kind"] for c in body["companies"]] == ["exhibitor", "buyer"]
    assert Exhibitor.objects.get(key="91410100MA9XYZ0002").partner is not None


@pytest.mark.parametrize(
    ("fields", "field", "english", "chinese"),
    [
        ({"password": "123"}, "password", "This password is too short", "密码长度太短"),
        ({"name_zh": ""}, "name_zh", "Give the company name in Chinese or English", None),
        ({"key": "bad key!"}, "key", None, None),
    ],
)
def test_bad_fields_are_named_with_the_pages_messages(fields, field, english, chinese):
    api = APIClient()
    answer = register(api, **fields)
    assert answer.status_code == 400
    body = answer.json()
    assert body["error"] == "invalid" and field in body["detail"]
    if english:
        assert english in " ".join(body["detail"][field])
    if chinese:
        zh = api.post(
            "/api/v1/auth/register/",
            {
                **fields,
                "email": "x@example.com",
                "side": "buyer",
                "key": "91410100MA9XYZ0009",
                "name_en": "X",
            },
            format="json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ).json()
        assert chinese in " ".join(zh["detail"][field])
    assert not Buyer.objects.exists()


def test_a_taken_e_mail_or_company_is_refused_and_nothing_is_kept():
    api = APIClient()
    assert register(api).status_code == 201
    again = register(api, key="91410100MA9XYZ0003").json()
    assert "An account with this e-mail exists already" in " ".join(again["detail"]["email"])
    taken = BuyerFactory()
    other = register(api, email="other@example.com", key=taken.key).json()
    assert "already registered" in " ".join(other["detail"]["key"])
    assert Buyer.objects.count() == 2
