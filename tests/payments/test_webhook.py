"""Stripe's webhook: only signed events count, each once, in whatever order they arrive."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest
import stripe
from oscar.core.loading import get_model

from payments.models import PaymentIntent, Refund, StripeEvent
from payments.services import order_cancel, to_minor_units
from tests.checkout.support import make_buyer, make_product, place, stock_of
from tests.factories.exhibitors import ExhibitorFactory
from tests.fixtures_stripe import WEBHOOK_SECRET

pytestmark = pytest.mark.django_db
URL = "/payments/stripe/webhook/"
Source = get_model("payment", "Source")


@pytest.fixture(autouse=True)
def _webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_SECRET_KEY = ""  # nothing here may call Stripe


@pytest.fixture
def product():
    return make_product(stock=10, exhibitor=ExhibitorFactory(contact_email="sales@luohe.example"))


@pytest.fixture
def order(product):
    """An order for 2 units (90.00 + 20.00 shipping) with its PaymentIntent recorded."""
    order = place(user=make_buyer(email="buyer@example.com"), items=[(product, 2)])
    PaymentIntent.objects.create(
        order=order,
        intent_id=f"pi_test_{order.number}",
        amount=to_minor_units(order.total_incl_tax, "cny"),
        currency="cny",
        status="requires_payment_method",
    )
    return order


def intent_event(
    event_id: str, order, kind: str, *, amount: int | None = None, currency: str = "cny"
) -> dict:
    intent = order.stripe_intent
    status = {"succeeded": "succeeded", "payment_failed": "requires_payment_method", "canceled": "canceled"}[
        kind
    ]
    obj = {
        "id": intent.intent_id,
        "object": "payment_intent",
        "amount": intent.amount if amount is None else amount,
        "currency": currency,
        "status": status,
        "metadata": {"order_number": order.number},
        "last_payment_error": {"code": "card_declined", "message": "Your card was declined."}
        if kind == "payment_failed"
        else None,
    }
    return {"id": event_id, "object": "event", "type": f"payment_intent.{kind}", "data": {"object": obj}}


def refund_event(event_id: str, order, *, refund_id: str = "re_test_1", amount: int | None = None) -> dict:
    intent = order.stripe_intent
    amount = intent.amount if amount is None else amount
    charge = {
        "id": f"ch_{order.number}",
        "object": "charge",
        "amount": intent.amount,
        "amount_refunded": amount,
        "currency": "cny",
        "paid": True,
        "status": "succeeded",
        "payment_intent": intent.intent_id,
        "refunded": amount == intent.amount,
        "refunds": {"object": "list", "data": [{"id": refund_id, "amount": amount, "status": "succeeded"}]},
    }
    return {"id": event_id, "object": "event", "type": "charge.refunded", "data": {"object": charge}}


def deliver(client, event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None, body=None):
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return client.post(
        URL, data=body or payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def test_forged_events_are_refused_and_change_nothing(client, order, django_capture_on_commit_callbacks):
    event = intent_event("evt_forged", order, "succeeded")
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, event, secret="whsec_someone_else").status_code == 400
        tampered = json.dumps({**event, "type": "payment_intent.succeeded", "id": "evt_other"})
        assert deliver(client, event, body=tampered).status_code == 400
        assert deliver(client, event, timestamp=int(time.time()) - 3600).status_code == 400
        assert client.post(URL, data=json.dumps(event), content_type="application/json").status_code == 400
        assert client.get(URL).status_code == 405
    assert not StripeEvent.objects.exists()
    order.refresh_from_db()
    assert order.status == "Pending payment"


def test_an_unset_webhook_secret_refuses_everything(client, order, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    event = intent_event("evt_unsigned", order, "succeeded")
    assert deliver(client, event, secret="").status_code == 400
    assert not StripeEvent.objects.exists()


def test_replayed_and_reordered_events_leave_one_paid_order_and_one_refund(
    client, order, product, mailoutbox, django_capture_on_commit_callbacks
):
    events = [
        intent_event("evt_failed", order, "payment_failed"),
        *[intent_event("evt_succeeded", order, "succeeded")] * 4,
        intent_event("evt_succeeded_again", order, "succeeded"),  # a second event saying the same
        refund_event("evt_refunded", order),
        refund_event("evt_refunded", order),
        intent_event("evt_failed_late", order, "payment_failed"),
    ]
    statuses = []
    for event in events:
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(client, event)
        assert response.status_code == 200
        order.refresh_from_db()
        statuses.append(order.status)
    assert statuses == ["Payment failed", *["Paid"] * 5, "Refunded", "Refunded", "Refunded"]
    assert StripeEvent.objects.count() == 5
    assert StripeEvent.objects.get(event_id="evt_succeeded_again").outcome == "already_paid"
    assert StripeEvent.objects.get(event_id="evt_failed_late").outcome == "ignored"

    assert Refund.objects.filter(order=order).count() == 1
    refund = Refund.objects.get(order=order)
    assert (refund.stripe_refund_id, refund.amount) == ("re_test_1", Decimal("110.00"))
    assert {line.status for line in order.lines.all()} == {"Refunded"}
    source = Source.objects.get(order=order)
    assert source.amount_debited == source.amount_refunded == Decimal("110.00")
    assert source.transactions.filter(txn_type="Debit").count() == 1

    paid_mails = [mail for mail in mailoutbox if "is paid" in mail.subject]
    assert [mail.to for mail in paid_mails] == [["buyer@example.com"]]
    exhibitor_mails = [mail for mail in mailoutbox if "New paid order" in mail.subject]
    assert [mail.to for mail in exhibitor_mails] == [["sales@luohe.example"]]
    # The failed payment released the stock; the success took it again; the refund gave it back.
    assert stock_of(product).num_allocated == 0


def test_a_refund_reported_before_the_success_is_applied_after_paying(
    client, order, django_capture_on_commit_callbacks
):
    for event in (
        refund_event("evt_partial_refund", order, amount=5000),
        intent_event("evt_paid", order, "succeeded"),
        intent_event("evt_paid", order, "succeeded"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            assert deliver(client, event).status_code == 200
    order.refresh_from_db()
    assert order.status == "Partially refunded"
    assert list(Refund.objects.filter(order=order).values_list("amount", flat=True)) == [Decimal("50.00")]
    assert {line.status for line in order.lines.all()} == {"Paid"}
    assert StripeEvent.objects.get(event_id="evt_paid").outcome == "already_paid"


def test_an_event_whose_amount_or_currency_differ_is_ignored(
    client, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, intent_event("evt_cheap", order, "succeeded", amount=100))
        deliver(client, intent_event("evt_dollars", order, "succeeded", currency="usd"))
    order.refresh_from_db()
    assert order.status == "Pending payment"
    assert StripeEvent.objects.get(event_id="evt_cheap").outcome == "mismatch"
    assert StripeEvent.objects.get(event_id="evt_dollars").outcome == "mismatch"


def test_payment_for_a_cancelled_order_is_flagged_for_staff(
    client, order, product, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PAYMENTS_STAFF_EMAILS = ["finance@foodexpo.example"]
    PaymentIntent.objects.filter(order=order).update(status="canceled")
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, reason="test")
        deliver(client, intent_event("evt_late_payment", order, "succeeded"))
    order.refresh_from_db()
    assert order.status == "Cancelled"
    note = PaymentIntent.objects.get(
        order=order
    ).needs_attention  # written in the webhook's language (Chinese)
    assert "refund" in note or "退款" in note
    assert any(mail.to == ["finance@foodexpo.example"] for mail in mailoutbox)
    assert stock_of(product).num_allocated == 0


def test_events_we_do_not_handle_or_do_not_know_answer_200(client, order, django_capture_on_commit_callbacks):
    other = {
        "id": "evt_customer",
        "object": "event",
        "type": "customer.created",
        "data": {"object": {"id": "cus_1"}},
    }
    stranger = intent_event("evt_stranger", order, "succeeded")
    stranger["data"]["object"]["id"] = "pi_not_ours"
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, other).status_code == 200
        assert deliver(client, stranger).status_code == 200
    assert StripeEvent.objects.get(event_id="evt_customer").outcome == "not_handled"
    assert StripeEvent.objects.get(event_id="evt_stranger").outcome == "unknown"
