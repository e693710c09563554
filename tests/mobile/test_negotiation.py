"""Negotiation through ``/api/v1/``: threads and inquiries, samples, quotes, meetings; each
change shows on the HTML page and the reverse; refusals in the pages' words; 404 for others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from negotiation import services
from negotiation.models import Inquiry, MeetingStatus, Quote, QuoteStatus, SampleStatus
from tests.factories.negotiation import make_pair, quarter, sourcing_request

from .apps import app_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return make_pair()


def ask(pair, message="Price for 500 cartons?"):
    return app_for(pair.buyer_member).post(
        "/api/v1/inquiries/",
        {"product": pair.product.pk, "products": [pair.product.pk], "message": message},
        format="json",
    )


# --- threads and inquiries ----------------------------------------------------------------------


def test_an_inquiry_sent_from_the_app_shows_on_the_exhibitors_page_and_reads_unread(client, pair):
    response = ask(pair)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["detail"].startswith("Your inquiry is sent to")
    inquiry = Inquiry.objects.get(pk=body["inquiry"]["id"])
    exhibitor_app = app_for(pair.exhibitor_member)
    threads = exhibitor_app.get("/api/v1/threads/").json()["results"]
    assert [(t["id"], t["unread"]) for t in threads] == [(inquiry.thread_id, True)]
    assert exhibitor_app.get("/api/v1/unread/").json()["threads"] == 1
    client.force_login(pair.exhibitor_member.user)
    page = client.get(reverse("company:negotiation-inquiry", args=[inquiry.pk]))
    assert "Price for 500 cartons?" in page.content.decode()
    # the page marked it read: the app sees it read too
    assert exhibitor_app.get("/api/v1/threads/").json()["results"][0]["unread"] is False


def test_reading_a_thread_in_the_app_marks_it_read_and_shows_a_reply_from_the_page(client, pair):
    inquiry = services.inquiry_create(
        membership=pair.buyer_member, exhibitor=pair.exhibitor, products=[pair.product], message="Hello"
    )
    client.force_login(pair.exhibitor_member.user)
    client.post(reverse("company:negotiation-inquiry", args=[inquiry.pk]), {"body": "Yes, 40 CNY a carton."})
    buyer_app = app_for(pair.buyer_member)
    assert buyer_app.get("/api/v1/threads/").json()["results"][0]["unread"] is True
    detail = buyer_app.get(f"/api/v1/threads/{inquiry.thread_id}/").json()
    assert [(m["body"], m["mine"]) for m in detail["messages"]] == [
        ("Hello", True),
        ("Yes, 40 CNY a carton.", False),
    ]
    assert buyer_app.get("/api/v1/unread/").json()["threads"] == 0


def test_a_reply_from_the_app_shows_on_the_page(client, pair):
    inquiry = services.inquiry_create(
        membership=pair.buyer_member, exhibitor=pair.exhibitor, products=[pair.product], message="Hello"
    )
    response = app_for(pair.exhibitor_member).post(
        f"/api/v1/threads/{inquiry.thread_id}/messages/", {"body": "Welcome"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["detail"] == "Your message is sent."
    inquiry.refresh_from_db()
    assert inquiry.status == "answered"
    client.force_login(pair.buyer_member.user)
    assert "Welcome" in client.get(reverse("company:negotiation-inquiry", args=[inquiry.pk])).content.decode()


def test_inquiry_refusals(pair):
    exhibitor_app = app_for(pair.exhibitor_member)
    refused = exhibitor_app.post(
        "/api/v1/inquiries/", {"product": pair.product.pk, "message": "x"}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only a buyer company can do this; switch to your buyer company."
    empty = ask(pair, message="")
    assert empty.status_code == 400 and "message" in empty.json()["detail"]
    assert (
        app_for(pair.buyer_member).post("/api/v1/inquiries/", {"message": "x"}, format="json").status_code
        == 404
    )
    chinese = app_for(pair.buyer_member, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert (
        chinese.post("/api/v1/inquiries/", {"message": "x", "product": 0}, format="json").status_code == 404
    )


def test_a_reply_in_a_closed_inquiry_is_a_409_in_the_pages_words(pair):
    inquiry = services.inquiry_create(
        membership=pair.buyer_member, exhibitor=pair.exhibitor, products=[pair.product], message="Hello"
    )
    services.inquiry_close(membership=pair.buyer_member, inquiry=inquiry)
    response = app_for(pair.exhibitor_member).post(
        f"/api/v1/threads/{inquiry.thread_id}/messages/", {"body": "Late"}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {
        "error": "closed",
        "detail": "This inquiry is closed. Start a new inquiry to continue the conversation.",
    }
    empty = app_for(pair.exhibitor_member).post(
        f"/api/v1/threads/{inquiry.thread_id}/messages/", {"body": ""}, format="json"
    )
    assert empty.status_code == 400


def test_another_companys_thread_is_a_404(pair):
    inquiry = services.inquiry_create(
        membership=pair.buyer_member, exhibitor=pair.exhibitor, products=[pair.product], message="Hello"
    )
    other = make_pair()
    stranger = app_for(other.buyer_member)
    assert stranger.get(f"/api/v1/threads/{inquiry.thread_id}/").status_code == 404
    reply = stranger.post(f"/api/v1/threads/{inquiry.thread_id}/messages/", {"body": "hi"}, format="json")
    assert reply.status_code == 404
    assert stranger.get("/api/v1/threads/").json()["results"] == []
    assert inquiry.thread.messages.count() == 1


def test_the_thread_list_takes_the_same_queries_for_one_thread_or_five(pair):
    def queries() -> int:
        app = app_for(pair.exhibitor_member)
        with CaptureQueriesContext(connection) as captured:
            assert app.get("/api/v1/threads/").status_code == 200
        return len(captured)

    services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message="One")
    one = queries()
    for n in range(4):
        services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message=f"More {n}")
    assert queries() == one


def test_no_token_is_a_401(pair):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/threads/").status_code == 401


# --- samples ------------------------------------------------------------------------------------


def test_a_sample_request_goes_through_the_app_and_the_pages(client, pair):
    buyer_app, exhibitor_app = app_for(pair.buyer_member), app_for(pair.exhibitor_member)
    created = buyer_app.post(
        "/api/v1/samples/", {"product": pair.product.pk, "quantity": 2, "ship_to": "Wuhan"}, format="json"
    )
    assert created.status_code == 201, created.content
    sample_id = created.json()["sample"]["id"]
    assert [s["id"] for s in exhibitor_app.get("/api/v1/samples/").json()["results"]] == [sample_id]
    declined = exhibitor_app.post(f"/api/v1/samples/{sample_id}/decline/", {}, format="json")
    assert declined.status_code == 400 and "reason" in declined.json()["detail"]
    accepted = exhibitor_app.post(f"/api/v1/samples/{sample_id}/accept/", {"terms": "free"}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["sample"]["status"] == SampleStatus.ACCEPTED
    wrong_side = buyer_app.post(f"/api/v1/samples/{sample_id}/ship/", {"tracking": "SF1"}, format="json")
    assert wrong_side.status_code == 422
    assert wrong_side.json()["detail"] == "Only the exhibitor can do this."
    early = buyer_app.post(f"/api/v1/samples/{sample_id}/feedback/", {"feedback": "Nice"}, format="json")
    assert early.status_code == 409
    assert early.json()["detail"] == "Give feedback once the samples have arrived."
    # the exhibitor ships on the page; the buyer gives feedback in the app
    client.force_login(pair.exhibitor_member.user)
    client.post(
        reverse("company:negotiation-sample", args=[sample_id]), {"action": "ship", "ship-tracking": "SF9"}
    )
    feedback = buyer_app.post(
        f"/api/v1/samples/{sample_id}/feedback/", {"feedback": "Crisp", "rating": 5}, format="json"
    )
    assert feedback.status_code == 200, feedback.content
    assert feedback.json()["sample"]["status"] == SampleStatus.RECEIVED
    assert "Crisp" in client.get(reverse("company:negotiation-sample", args=[sample_id])).content.decode()
    assert (
        make_pair()
        and app_for(make_pair().exhibitor_member)
        .post(f"/api/v1/samples/{sample_id}/accept/", {"terms": "free"}, format="json")
        .status_code
        == 404
    )


def test_an_exhibitor_cannot_request_samples(pair):
    response = app_for(pair.exhibitor_member).post(
        "/api/v1/samples/", {"product": pair.product.pk, "quantity": 2, "ship_to": "Wuhan"}, format="json"
    )
    assert response.status_code == 403


# --- quotes -------------------------------------------------------------------------------------


def quote_body(request, product, **fields):
    return {
        "request": request.pk,
        "product": product.pk,
        "unit_price": "40.00",
        "moq": 10,
        "lead_time_days": 5,
        "delivery_terms": "delivered",
        "valid_until": (timezone.localdate() + timedelta(days=5)).isoformat(),
        **fields,
    }


def test_a_quote_posted_in_the_app_is_accepted_in_the_app_with_its_agreed_price(client, pair):
    request = sourcing_request(buyer=pair.buyer)
    posted = app_for(pair.exhibitor_member).post(
        "/api/v1/quotes/", quote_body(request, pair.product), format="json"
    )
    assert posted.status_code == 201, posted.content
    quote_id = posted.json()["quote"]["id"]
    client.force_login(pair.buyer_member.user)
    page = client.get(reverse("company:negotiation-request-quotes", args=[request.pk]))
    assert page.status_code == 200 and "40.00" in page.content.decode()
    buyer_app = app_for(pair.buyer_member)
    assert [q["id"] for q in buyer_app.get("/api/v1/quotes/").json()["results"]] == [quote_id]
    accepted = buyer_app.post(f"/api/v1/quotes/{quote_id}/accept/", {}, format="json")
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["detail"] == "You accepted this quote. Check out at the quoted price below."
    assert body["quote"]["status"] == QuoteStatus.ACCEPTED
    assert body["negotiated"] == body["grant"]["id"] == body["quote"]["price_grant"]
    assert body["grant"]["unit_price"] == "40.00" and body["grant"]["product"] == pair.product.pk
    again = buyer_app.post(f"/api/v1/quotes/{quote_id}/accept/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "This quote is accepted and can no longer be accepted."


def test_quote_refusals(pair):
    request = sourcing_request(buyer=pair.buyer)
    buyer_app, exhibitor_app = app_for(pair.buyer_member), app_for(pair.exhibitor_member)
    assert (
        buyer_app.post("/api/v1/quotes/", quote_body(request, pair.product), format="json").status_code == 403
    )
    bad = exhibitor_app.post("/api/v1/quotes/", quote_body(request, pair.product, moq=0), format="json")
    assert bad.status_code == 400 and "moq" in bad.json()["detail"]
    assert exhibitor_app.post("/api/v1/quotes/", {"product": 1}, format="json").status_code == 400
    missing = exhibitor_app.post(
        "/api/v1/quotes/", {**quote_body(request, pair.product), "request": 999999}, format="json"
    )
    assert missing.status_code == 404
    posted = exhibitor_app.post("/api/v1/quotes/", quote_body(request, pair.product), format="json")
    quote = Quote.objects.get(pk=posted.json()["quote"]["id"])
    assert exhibitor_app.post(f"/api/v1/quotes/{quote.pk}/accept/", {}, format="json").status_code == 422
    other = make_pair()
    assert (
        app_for(other.buyer_member).post(f"/api/v1/quotes/{quote.pk}/accept/", {}, format="json").status_code
        == 404
    )
    withdrawn = exhibitor_app.post(f"/api/v1/quotes/{quote.pk}/withdraw/", {}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["detail"] == "Your quote is withdrawn."


# --- meetings -----------------------------------------------------------------------------------


def test_a_meeting_asked_in_the_app_is_accepted_declined_or_moved(client, pair):
    buyer_app, exhibitor_app = app_for(pair.buyer_member), app_for(pair.exhibitor_member)
    start = timezone.localtime(quarter(3, 10)).strftime("%Y-%m-%dT%H:%M")
    body = {
        "exhibitor": pair.exhibitor.key,
        "kind": "online",
        "time_1": start,
        "duration_minutes": 30,
        "topic": "2027",
    }
    asked = buyer_app.post("/api/v1/meetings/", body, format="json")
    assert asked.status_code == 201, asked.content
    meeting = asked.json()["meeting"]
    assert exhibitor_app.post("/api/v1/meetings/", body, format="json").status_code == 403
    proposal = meeting["proposals"][0]["id"]
    accepted = exhibitor_app.post(
        f"/api/v1/meetings/{meeting['id']}/accept/",
        {"proposal": proposal, "attendee": pair.exhibitor_member.user_id},
        format="json",
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["meeting"]["status"] == MeetingStatus.ACCEPTED
    client.force_login(pair.buyer_member.user)
    assert client.get(reverse("company:negotiation-meeting", args=[meeting["id"]])).status_code == 200

    second = buyer_app.post("/api/v1/meetings/", {**body, "topic": "Another"}, format="json").json()[
        "meeting"
    ]
    moved = exhibitor_app.post(
        f"/api/v1/meetings/{second['id']}/propose/",
        {
            "starts_at": timezone.localtime(quarter(3, 14)).strftime("%Y-%m-%dT%H:%M"),
            "attendee": pair.exhibitor_member.user_id,
        },
        format="json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["meeting"]["status"] == MeetingStatus.PROPOSED
    taken = buyer_app.post(f"/api/v1/meetings/{second['id']}/accept-proposal/", {}, format="json")
    assert taken.status_code == 200 and taken.json()["meeting"]["status"] == MeetingStatus.ACCEPTED

    third = buyer_app.post("/api/v1/meetings/", {**body, "topic": "Third"}, format="json").json()["meeting"]
    no_reason = exhibitor_app.post(f"/api/v1/meetings/{third['id']}/decline/", {}, format="json")
    assert no_reason.status_code == 400
    declined = exhibitor_app.post(
        f"/api/v1/meetings/{third['id']}/decline/", {"reason": "Booked"}, format="json"
    )
    assert declined.status_code == 200 and declined.json()["meeting"]["status"] == MeetingStatus.DECLINED
    again = exhibitor_app.post(
        f"/api/v1/meetings/{third['id']}/decline/", {"reason": "Booked"}, format="json"
    )
    assert again.status_code == 409
    other = make_pair()
    assert (
        app_for(other.exhibitor_member)
        .post(f"/api/v1/meetings/{third['id']}/decline/", {"reason": "x"}, format="json")
        .status_code
        == 404
    )
    listed = exhibitor_app.get("/api/v1/meetings/").json()["results"]
    assert {m["id"] for m in listed} == {meeting["id"], second["id"], third["id"]}
