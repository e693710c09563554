"""``GET /api/match/{kind}/{key}/``: the command's answer, for the company itself and staff only."""

import pytest

from buyers.models import Buyer
from exhibitors.models import Exhibitor
from tests.factories.buyers import BuyerFactory
from tests.factories.members import MembershipFactory, UserFactory

from .match_support import AS_OF, LATIAO, WUHAN_CHAIN, import_samples, match_json

pytestmark = pytest.mark.django_db

REQUEST = f"{WUHAN_CHAIN}/RFQ-2026-001"


@pytest.fixture
def samples(db):
    import_samples()


def _get(client, kind, key, **params):
    params.setdefault("as_of", AS_OF.isoformat())
    return client.get(f"/api/match/{kind}/{key}/", params, HTTP_ACCEPT_LANGUAGE="en")


def _buyer_member():
    return MembershipFactory(exhibitor=None, buyer=Buyer.objects.get(key=WUHAN_CHAIN)).user


@pytest.mark.parametrize(
    "kind, key, limit",
    [("buyer", WUHAN_CHAIN, "5"), ("request", REQUEST, "20"), ("exhibitor", LATIAO, "3")],
)
def test_same_answer_as_the_command(client, samples, staff_user, kind, key, limit):
    client.force_login(staff_user)
    response = _get(client, kind, key, limit=limit)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == match_json(kind, key, "--limit", limit)


def test_buyer_members_see_their_company_and_its_requests(client, samples):
    client.force_login(_buyer_member())
    assert _get(client, "buyer", WUHAN_CHAIN).status_code == 200
    answer = _get(client, "request", REQUEST).json()
    assert answer["subject"] == {"kind": "request", "key": REQUEST}
    assert LATIAO in [r["key"] for r in answer["results"]]


def test_exhibitor_members_see_their_own_matches(client, samples):
    member = MembershipFactory(exhibitor=Exhibitor.objects.get(key=LATIAO))
    client.force_login(member.user)
    assert _get(client, "exhibitor", LATIAO).status_code == 200


@pytest.mark.parametrize("side", ["exhibitor", "buyer"])
def test_another_companys_member_gets_404(client, samples, side):
    if side == "exhibitor":
        other = MembershipFactory()
    else:
        other = MembershipFactory(exhibitor=None, buyer=BuyerFactory())
    client.force_login(other.user)
    for kind, key in (("buyer", WUHAN_CHAIN), ("request", REQUEST), ("exhibitor", LATIAO)):
        response = _get(client, kind, key)
        assert response.status_code == 404, (kind, response.status_code)
        assert set(response.json()) == {"error", "detail"}
        assert "results" not in response.content.decode()


def test_a_buyer_member_cannot_read_the_exhibitor_side_of_the_same_key(client, samples):
    """A buyer membership does not open the exhibitor record that shares its key."""
    client.force_login(_buyer_member())
    assert _get(client, "exhibitor", WUHAN_CHAIN).status_code == 404


def test_visitors_must_log_in(client, samples):
    response = _get(client, "buyer", WUHAN_CHAIN)
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"error", "detail"}


def test_a_plain_user_gets_404(client, samples):
    client.force_login(UserFactory())
    assert _get(client, "buyer", WUHAN_CHAIN).status_code == 404


def test_unknown_key_and_kind_are_404_json_even_for_staff(client, samples, staff_user):
    client.force_login(staff_user)
    for kind, key in (("buyer", "NO-SUCH"), ("request", f"{WUHAN_CHAIN}/NOPE"), ("product", "X")):
        response = _get(client, kind, key)
        assert response.status_code == 404
        body = response.json()
        assert body["error"] == "not_found" and body["detail"]


@pytest.mark.parametrize(
    "params", [{"limit": "0"}, {"limit": "abc"}, {"limit": "101"}, {"as_of": "2026-02-30"}]
)
def test_bad_parameters_are_400_json(client, samples, staff_user, params):
    client.force_login(staff_user)
    response = _get(client, "buyer", WUHAN_CHAIN, **params)
    assert response.status_code == 400
    assert set(response.json()) == {"error", "detail"}


def test_reasons_follow_the_readers_language(client, samples, staff_user):
    client.force_login(staff_user)
    url = f"/api/match/request/{REQUEST}/"
    chinese = client.get(url, {"as_of": AS_OF.isoformat()}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    english = client.get(url, {"as_of": AS_OF.isoformat()}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert any("辣条 / Latiao" in r for r in chinese["results"][0]["reasons"])  # Chinese name first
    assert any("Latiao (spicy gluten strips) / 辣条" in r for r in english["results"][0]["reasons"])


def test_schema_documents_the_match_endpoint(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/match/{kind}/{key}/" in schema
