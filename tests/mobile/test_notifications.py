"""The notifications feed (``?since=`` cursor, ETag/304, fixed queries), marking read, one
notification per event kind, and the push key and subscriptions contract."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from negotiation import services
from notifications.models import Notification, PushSubscription
from tests.factories.negotiation import make_pair, quarter, sourcing_request

from .apps import app_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return make_pair()


def kinds(membership) -> list[str]:
    return [n["kind"] for n in app_for(membership).get("/api/v1/notifications/").json()["results"]]


def test_each_event_notifies_the_other_side(pair):
    services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message="Hello")
    request = sourcing_request(buyer=pair.buyer)
    quote = services.quote_submit(
        membership=pair.exhibitor_member,
        request=request,
        product=pair.product,
        unit_price=Decimal("40.00"),
        moq=10,
        lead_time_days=5,
        delivery_terms="delivered",
        valid_until=timezone.localdate() + timedelta(days=5),
    )
    services.quote_accept(membership=pair.buyer_member, quote=quote)
    sample = services.sample_request_create(
        membership=pair.buyer_member, product=pair.product, quantity=2, ship_to="Wuhan"
    )
    services.sample_accept(membership=pair.exhibitor_member, sample=sample, free=True)
    start = quarter(3, 10)
    meeting = services.meeting_request(
        membership=pair.buyer_member, exhibitor=pair.exhibitor, kind="online", times=[start], topic="2027"
    )
    services.meeting_decline(membership=pair.exhibitor_member, meeting=meeting, reason="Booked")
    assert kinds(pair.exhibitor_member) == ["message", "quote_accepted", "sample", "meeting"]
    assert kinds(pair.buyer_member) == ["quote", "sample", "meeting"]
    feed = app_for(pair.buyer_member).get("/api/v1/notifications/").json()["results"]
    assert feed[0]["object"] == {"type": "quote", "ref": str(quote.pk)}
    assert feed[1]["text"] == f"{sample.label} with {pair.exhibitor.name_en} is now accepted."
    chinese = app_for(pair.buyer_member, HTTP_ACCEPT_LANGUAGE="zh-hans").get("/api/v1/notifications/").json()
    assert pair.exhibitor.name_zh in chinese["results"][1]["text"]


def test_order_confirm_ship_and_deliver_notify_the_buyer_company(pair):
    from order import services as order_services
    from tests.factories.orders import paid_order

    order = paid_order(user=pair.buyer_member.user, items=[(pair.product, 2)])
    line_ids = list(order.lines.values_list("pk", flat=True))
    order_services.exhibitor_lines_confirm(membership=pair.exhibitor_member, order=order, line_ids=line_ids)
    order_services.exhibitor_lines_ship(
        membership=pair.exhibitor_member, order=order, quantities={pk: 2 for pk in line_ids}, tracking="SF1"
    )
    order_services.exhibitor_lines_deliver(membership=pair.exhibitor_member, order=order, line_ids=line_ids)
    feed = app_for(pair.buyer_member).get("/api/v1/notifications/").json()["results"]
    assert [(n["kind"], n["text"]) for n in feed] == [
        ("order_status", f"Order {order.number}: Confirmed."),
        ("order_status", f"Order {order.number}: Shipped."),
        ("order_status", f"Order {order.number}: Delivered."),
    ]
    assert feed[0]["object"] == {"type": "order", "ref": str(order.number)}
    assert kinds(pair.exhibitor_member) == []


def test_the_since_cursor_gives_what_is_new_oldest_first_and_304_when_nothing_is(pair):
    app = app_for(pair.exhibitor_member)
    empty = app.get("/api/v1/notifications/")
    assert empty.json() == {"results": [], "next_since": 0, "more": False}
    services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message="One")
    services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message="Two")
    first = app.get("/api/v1/notifications/").json()
    ids = [n["id"] for n in first["results"]]
    assert ids == sorted(ids) and len(ids) == 2 and first["next_since"] == ids[-1]
    polled = app.get(f"/api/v1/notifications/?since={first['next_since']}")
    assert polled.json()["results"] == [] and polled.json()["next_since"] == ids[-1]
    again = app.get(f"/api/v1/notifications/?since={first['next_since']}", HTTP_IF_NONE_MATCH=polled["ETag"])
    assert again.status_code == 304
    services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message="Three")
    newer = app.get(f"/api/v1/notifications/?since={first['next_since']}", HTTP_IF_NONE_MATCH=polled["ETag"])
    assert newer.status_code == 200 and len(newer.json()["results"]) == 1
    assert app.get("/api/v1/notifications/?since=-1").status_code == 400
    assert app.get("/api/v1/notifications/?since=abc").status_code == 400


def test_the_feed_takes_the_same_queries_for_one_notification_or_many(pair):
    def queries() -> int:
        app = app_for(pair.exhibitor_member)
        with CaptureQueriesContext(connection) as captured:
            assert app.get("/api/v1/notifications/").status_code == 200
        return len(captured)

    services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message="One")
    one = queries()
    for n in range(5):
        services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message=f"More {n}")
    assert queries() == one <= 5


def test_marking_read_up_to_an_id_is_for_my_company_only(pair):
    services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message="One")
    services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message="Two")
    app = app_for(pair.exhibitor_member)
    first, second = app.get("/api/v1/notifications/").json()["results"]
    marked = app.post("/api/v1/notifications/read/", {"up_to": first["id"]}, format="json")
    assert marked.json() == {"marked": 1, "unread": 1}
    assert app.get("/api/v1/unread/").json()["notifications"] == 1
    stranger = app_for(make_pair().exhibitor_member)
    assert (
        stranger.post("/api/v1/notifications/read/", {"up_to": second["id"]}, format="json").json()["marked"]
        == 0
    )
    assert Notification.objects.get(pk=second["id"]).is_read is False
    assert app.post("/api/v1/notifications/read/", {}, format="json").status_code == 400


def test_a_change_that_rolls_back_notifies_nobody(pair):
    from django.core.exceptions import ValidationError

    inquiry = services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message="One")
    services.inquiry_close(membership=pair.buyer_member, inquiry=inquiry)
    before = Notification.objects.count()
    with pytest.raises(ValidationError):
        services.message_post(membership=pair.exhibitor_member, thread=inquiry.thread, body="Late")
    assert Notification.objects.count() == before


def test_the_push_key_is_404_push_off_while_unset_and_the_key_when_set(settings):
    settings.WEBPUSH_VAPID_PUBLIC_KEY = settings.WEBPUSH_VAPID_PRIVATE_KEY = ""
    off = APIClient().get("/api/v1/push/key/")
    assert off.status_code == 404 and off.json()["error"] == "push_off"
    settings.WEBPUSH_VAPID_PUBLIC_KEY, settings.WEBPUSH_VAPID_PRIVATE_KEY = "BPublicKey", "private"
    assert APIClient().get("/api/v1/push/key/").json() == {"public_key": "BPublicKey"}


def test_subscribing_is_idempotent_on_the_endpoint_and_unsubscribing_is_a_204(client, pair):
    body = {
        "endpoint": "https://push.example.com/abc",
        "expirationTime": None,
        "keys": {"p256dh": "BK", "auth": "AU"},
    }
    app = app_for(pair.buyer_member)
    assert app.post("/api/v1/push/subscriptions/", body, format="json").status_code == 201
    assert app.post("/api/v1/push/subscriptions/", body, format="json").status_code == 201
    assert PushSubscription.objects.filter(endpoint=body["endpoint"]).count() == 1
    client.force_login(pair.buyer_member.user)  # the browser: session
    renewed = {**body, "keys": {"p256dh": "BK2", "auth": "AU2"}}
    assert (
        client.post("/api/v1/push/subscriptions/", renewed, content_type="application/json").status_code
        == 201
    )
    assert PushSubscription.objects.get(endpoint=body["endpoint"]).p256dh == "BK2"
    bad = app.post("/api/v1/push/subscriptions/", {"endpoint": "nope"}, format="json")
    assert bad.status_code == 400
    gone = app.delete("/api/v1/push/subscriptions/", {"endpoint": body["endpoint"]}, format="json")
    assert gone.status_code == 204 and not PushSubscription.objects.exists()
    assert APIClient().post("/api/v1/push/subscriptions/", body, format="json").status_code == 401
