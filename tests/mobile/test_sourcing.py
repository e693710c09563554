"""Sourcing requests and matches through ``/api/v1/``: the buyer's own only, the page's rules."""

from __future__ import annotations

import pytest
from django.urls import reverse

from buyers.models import RequestStatus, SourcingRequest
from tests.factories.negotiation import make_pair, sourcing_request

from .apps import app_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return make_pair()


def test_a_request_posted_in_the_app_shows_on_the_page_and_closes_in_the_app(client, pair):
    app = app_for(pair.buyer_member)
    posted = app.post(
        "/api/v1/sourcing-requests/",
        {
            "title": "辣条 latiao, 500 cartons",
            "quantity": "500",
            "unit": "箱",
            "required_certifications": ["HALAL"],
        },
        format="json",
    )
    assert posted.status_code == 201, posted.content
    body = posted.json()
    request = SourcingRequest.objects.get(pk=body["request"]["id"])
    assert body["detail"] == f"The sourcing request {request.reference} is saved."
    assert request.required_certifications == ["HALAL"]
    client.force_login(pair.buyer_member.user)
    assert request.reference in client.get(reverse("company:requests")).content.decode()
    assert [r["id"] for r in app.get("/api/v1/sourcing-requests/").json()["results"]] == [request.pk]
    closed = app.post(f"/api/v1/sourcing-requests/{request.pk}/close/", {}, format="json")
    assert closed.status_code == 200
    assert closed.json()["detail"] == "The request is closed: exhibitors no longer see it."
    assert closed.json()["request"]["status"] == RequestStatus.CLOSED


def test_a_request_closed_on_the_page_reads_closed_in_the_app(client, pair):
    request = sourcing_request(buyer=pair.buyer)
    client.force_login(pair.buyer_member.user)
    client.post(reverse("company:request-close", args=[request.pk]))
    listed = app_for(pair.buyer_member).get("/api/v1/sourcing-requests/").json()["results"]
    assert listed[0]["status"] == RequestStatus.CLOSED


def test_sourcing_refusals(pair):
    app = app_for(pair.buyer_member)
    assert app.post("/api/v1/sourcing-requests/", {"quantity": "-1"}, format="json").status_code == 400
    bad = app.post("/api/v1/sourcing-requests/", {"title": "x", "quantity": "-1"}, format="json").json()
    assert bad["error"] == "invalid" and "quantity" in bad["detail"]
    exhibitor_app = app_for(pair.exhibitor_member)
    assert exhibitor_app.get("/api/v1/sourcing-requests/").status_code == 403
    assert exhibitor_app.post("/api/v1/sourcing-requests/", {"title": "x"}, format="json").status_code == 403
    others = sourcing_request(buyer=make_pair().buyer)
    assert app.post(f"/api/v1/sourcing-requests/{others.pk}/close/", {}, format="json").status_code == 404
    assert SourcingRequest.objects.get(pk=others.pk).status == RequestStatus.OPEN
    assert app.get(f"/api/v1/matches/?request={others.pk}").status_code == 404


def test_matches_are_the_acting_companys_with_reasons(pair):
    request = sourcing_request(buyer=pair.buyer)
    buyer_answer = app_for(pair.buyer_member).get("/api/v1/matches/")
    assert buyer_answer.status_code == 200, buyer_answer.content
    assert buyer_answer.json()["subject"] == {"kind": "buyer", "key": pair.buyer.key} | {
        k: v for k, v in buyer_answer.json()["subject"].items() if k not in ("kind", "key")
    }
    for_request = app_for(pair.buyer_member).get(f"/api/v1/matches/?request={request.pk}").json()
    assert for_request["subject"]["kind"] == "request"
    exhibitor_answer = app_for(pair.exhibitor_member).get("/api/v1/matches/?limit=5").json()
    assert exhibitor_answer["subject"]["kind"] == "exhibitor"
    assert exhibitor_answer["subject"]["key"] == pair.exhibitor.key
    assert app_for(pair.buyer_member).get("/api/v1/matches/?limit=0").status_code == 400


def test_matches_come_in_cursor_pages_that_join_into_the_ranking(pair):
    from oscar.core.loading import get_model

    from tests.factories.catalogue import ProductFactory
    from tests.factories.exhibitors import ExhibitorFactory

    for _ in range(6):
        ProductFactory(exhibitor=ExhibitorFactory())
    latiao = get_model("catalogue", "Category").objects.get(slug="snacks-latiao")
    base = f"/api/v1/matches/?request={sourcing_request(buyer=pair.buyer, category=latiao).pk}"
    app = app_for(pair.buyer_member)
    whole = app.get(f"{base}&limit=50").json()
    assert len(whole["results"]) >= 5 and whole["next"] is None and whole["previous"] is None
    keys, url, pages = [], f"{base}&limit=2", 0
    while url:
        page = app.get(url)
        assert page.status_code == 200, page.content
        assert len(page.json()["results"]) <= 2
        keys += [row["key"] for row in page.json()["results"]]
        url, pages = page.json()["next"], pages + 1
    assert keys == [row["key"] for row in whole["results"]]
    assert pages == (len(keys) + 1) // 2
    second = app.get(app.get(f"{base}&limit=2").json()["next"]).json()
    assert app.get(second["previous"]).json()["results"] == whole["results"][:2]
    for bad in ("nonsense", "bz0xMDA=", "%%%"):
        response = app.get(f"{base}&cursor={bad}")
        assert response.status_code == 404 and response.json()["error"] == "not_found", bad
