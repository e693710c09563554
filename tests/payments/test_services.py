"""Payment services against a local Stripe: PaymentIntents, failures, bank transfers, refunds,
cancellation and the periodic reconciliation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import stripe
from django.utils import timezone
from oscar.core.loading import get_model

from payments.models import BankTransfer, PaymentIntent, Refund
from payments.services import (
    PaymentError,
    RefundError,
    bank_transfer_confirm,
    bank_transfer_create,
    order_cancel,
    order_payment_retry,
    payment_intent_create,
    payment_intent_sync,
    payments_reconcile,
    refund_create,
    stripe_client,
)
from payments.services import refund_create as services_refund_create
from tests.checkout.support import make_buyer, make_product, place, stock_of
from tests.factories.exhibitors import ExhibitorFactory

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")


@pytest.fixture
def seller():
    return ExhibitorFactory(contact_email="sales@luohe.example")


@pytest.fixture
def product(seller):
    return make_product(stock=10, price="45.00", exhibitor=seller)


@pytest.fixture
def order(product):
    """3 × 45.00 from one exhibitor, 1 × 30.00 from another: 165.00 + 2 × 20.00 shipping."""
    other = make_product(stock=10, price="30.00")
    return place(user=make_buyer(email="buyer@example.com"), items=[(product, 3), (other, 1)])


def confirm_at_stripe(intent: PaymentIntent, payment_method: str = "pm_card_visa"):
    """What Stripe.js does in the browser, done through the API."""
    client = stripe_client()
    client.v1.payment_intents.update(intent.intent_id, params={"payment_method": payment_method})
    return client.v1.payment_intents.confirm(intent.intent_id)


def declined_card() -> str:
    card = {"number": "4000000000000341", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    return stripe_client().v1.payment_methods.create(params={"type": "card", "card": card}).id


def test_a_payment_intent_is_created_once_for_the_order_total(stripe_settings, order):
    assert order.total_incl_tax == Decimal("205.00")
    intent = payment_intent_create(order=order)
    assert (intent.amount, intent.currency, intent.status) == (20500, "cny", "requires_payment_method")
    assert intent.payment_method_types == ["card"]
    at_stripe = stripe_client().v1.payment_intents.retrieve(intent.intent_id)
    assert at_stripe.amount == 20500 and at_stripe.currency == "cny"
    assert at_stripe.metadata["order_number"] == order.number
    assert payment_intent_create(order=order) == intent
    assert PaymentIntent.objects.filter(order=order).count() == 1


def test_payment_method_types_come_from_the_settings(stripe_settings, order):
    stripe_settings.STRIPE_PAYMENT_METHOD_TYPES = ["card", "alipay"]
    assert payment_intent_create(order=order).payment_method_types == ["card", "alipay"]


def test_without_stripe_keys_the_buyer_is_told_to_use_bank_transfer(settings, order):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(PaymentError, match="bank transfer"):
        payment_intent_create(order=order)


def test_a_confirmed_payment_marks_order_and_lines_paid(
    stripe_settings, order, mailoutbox, django_capture_on_commit_callbacks
):
    intent = payment_intent_create(order=order)
    confirm_at_stripe(intent)
    with django_capture_on_commit_callbacks(execute=True):
        assert payment_intent_sync(payment_intent=intent) == "paid"
    order.refresh_from_db()
    assert order.status == "Paid"
    assert {line.status for line in order.lines.all()} == {"Paid"}
    assert PaymentIntent.objects.get(order=order).paid_at is not None
    recipients = sorted(mail.to[0] for mail in mailoutbox)
    assert "buyer@example.com" in recipients and "sales@luohe.example" in recipients
    assert payment_intent_sync(payment_intent=intent) == "already_paid"


def test_a_declined_card_fails_the_payment_and_releases_the_stock(stripe_settings, order, product):
    intent = payment_intent_create(order=order)
    assert stock_of(product).num_allocated == 3
    with pytest.raises(stripe.CardError):
        confirm_at_stripe(intent, declined_card())
    assert payment_intent_sync(payment_intent=intent) == "failed"
    order.refresh_from_db()
    assert order.status == "Payment failed"
    assert "declined" in PaymentIntent.objects.get(order=order).last_error
    assert stock_of(product).num_allocated == 0

    order_payment_retry(order=order)  # the buyer tries again: the goods are reserved again
    order.refresh_from_db()
    assert order.status == "Pending payment" and stock_of(product).num_allocated == 3
    # (localstripe cannot confirm a PaymentIntent again after a declined charge; Stripe can.)


def test_a_retry_after_the_stock_is_gone_cancels_the_order(stripe_settings, order, product):
    intent = payment_intent_create(order=order)
    with pytest.raises(stripe.CardError):
        confirm_at_stripe(intent, declined_card())
    payment_intent_sync(payment_intent=intent)
    record = stock_of(product)
    record.num_allocated = 9  # meanwhile others bought all but one
    record.save()
    with pytest.raises(PaymentError, match="Only 1 left"):
        order_payment_retry(order=order)
    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert stock_of(product).num_allocated == 9


def test_bank_transfer_awaits_a_reference_then_staff_confirm_it(
    order, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    transfer = bank_transfer_create(order=order)
    order.refresh_from_db()
    assert order.status == "Awaiting bank transfer"
    assert transfer.reference.startswith(f"FX{order.number}") and transfer.amount == Decimal("205.00")
    assert bank_transfer_create(order=order) == transfer
    with django_capture_on_commit_callbacks(execute=True):
        bank_transfer_confirm(order=order, by=staff_user)
    order.refresh_from_db()
    assert order.status == "Paid"
    assert {line.status for line in order.lines.all()} == {"Paid"}
    transfer.refresh_from_db()
    assert (transfer.status, transfer.confirmed_by) == ("confirmed", staff_user)
    bank_transfer_confirm(order=order, by=staff_user)  # twice: nothing more happens
    assert len([mail for mail in mailoutbox if "is paid" in mail.subject]) == 1


def test_a_cancelled_transfer_cannot_be_confirmed(order, staff_user, product):
    bank_transfer_create(order=order)
    order_cancel(order=order, reason="changed my mind")
    assert stock_of(product).num_allocated == 0
    assert BankTransfer.objects.get(order=order).status == "cancelled"
    with pytest.raises(PaymentError, match="can no longer be confirmed"):
        bank_transfer_confirm(order=order, by=staff_user)


def test_refunds_through_stripe_by_line_and_amount_never_more_than_paid(
    stripe_settings, order, product, staff_user, django_capture_on_commit_callbacks
):
    def refund_create(**kwargs):  # Stripe is called after the commit that recorded the refund
        with django_capture_on_commit_callbacks(execute=True):
            refund = services_refund_create(**kwargs)
        refund.refresh_from_db()
        return refund

    intent = payment_intent_create(order=order)
    confirm_at_stripe(intent)
    payment_intent_sync(payment_intent=intent)
    order.refresh_from_db()
    line = order.lines.get(product=product)

    refund = refund_create(order=order, lines=[line], by=staff_user, reason="damaged cartons")
    assert refund.amount == Decimal("135.00") and refund.stripe_refund_id.startswith("re_")
    order.refresh_from_db()
    line.refresh_from_db()
    assert (order.status, line.status) == ("Partially refunded", "Refunded")
    assert stock_of(product).num_allocated == 0  # not shipped: back on the shelf

    with pytest.raises(RefundError, match="already been refunded"):
        refund_create(order=order, lines=[line], by=staff_user)
    with pytest.raises(RefundError, match="only 70.00 of the 205.00 paid"):
        refund_create(order=order, amount=Decimal("70.01"), by=staff_user)
    with pytest.raises(RefundError, match="more than zero"):
        refund_create(order=order, amount=Decimal("0"), by=staff_user)

    refund_create(order=order, by=staff_user)  # everything left
    order.refresh_from_db()
    assert order.status == "Refunded"
    assert {line.status for line in order.lines.all()} == {"Refunded"}
    assert sum(Refund.objects.filter(order=order).values_list("amount", flat=True)) == Decimal("205.00")
    latest = stripe_client().v1.payment_intents.retrieve(intent.intent_id).latest_charge
    charge = stripe_client().v1.charges.retrieve(getattr(latest, "id", latest))
    assert charge.amount_refunded == 20500
    with pytest.raises(RefundError):
        refund_create(order=order, amount=Decimal("1.00"), by=staff_user)
    assert Refund.objects.filter(order=order).count() == 2


def test_an_unpaid_order_cannot_be_refunded(order, staff_user):
    with pytest.raises(RefundError, match="has not been paid"):
        refund_create(order=order, by=staff_user)


def test_a_bank_transfer_refund_is_recorded_without_stripe(order, staff_user, settings):
    settings.STRIPE_SECRET_KEY = ""
    bank_transfer_create(order=order)
    bank_transfer_confirm(order=order, by=staff_user)
    refund = refund_create(order=order, amount=Decimal("5.00"), by=staff_user)
    assert (refund.method, refund.status, refund.stripe_refund_id) == ("bank_transfer", "succeeded", None)


def test_cancelling_a_stripe_order_cancels_the_intent_and_releases_the_stock(stripe_settings, order, product):
    intent = payment_intent_create(order=order)
    order_cancel(order=order, reason="buyer asked")
    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert {line.status for line in order.lines.all()} == {"Cancelled"}
    assert stock_of(product).num_allocated == 0
    assert stripe_client().v1.payment_intents.retrieve(intent.intent_id).status == "canceled"


def test_a_paid_order_is_not_cancelled(stripe_settings, order):
    intent = payment_intent_create(order=order)
    confirm_at_stripe(intent)  # paid, but the webhook has not arrived
    with pytest.raises(PaymentError, match="Only unpaid orders"):
        order_cancel(order=order, reason="too late")
    order.refresh_from_db()
    assert order.status == "Paid"


def test_reconciliation_applies_what_stripe_says_and_expires_unpaid_orders(stripe_settings, product):
    buyer = make_buyer()
    paid, unpaid, fresh, by_transfer = (place(user=buyer, items=[(product, 1)]) for _ in range(4))
    for order in (paid, unpaid, fresh):
        payment_intent_create(order=order)
    confirm_at_stripe(paid.stripe_intent)  # paid at Stripe; the webhook never came
    bank_transfer_create(order=by_transfer)
    long_ago = timezone.now() - timedelta(days=8)
    Order.objects.filter(pk__in=[paid.pk, unpaid.pk, by_transfer.pk]).update(date_placed=long_ago)
    PaymentIntent.objects.filter(order__in=[paid, unpaid]).update(created_at=long_ago)
    assert stock_of(product).num_allocated == 4

    counts = payments_reconcile()
    statuses = {
        o.pk: o.status for o in Order.objects.filter(pk__in=[paid.pk, unpaid.pk, fresh.pk, by_transfer.pk])
    }
    assert statuses == {
        paid.pk: "Paid",
        unpaid.pk: "Cancelled",
        fresh.pk: "Pending payment",
        by_transfer.pk: "Cancelled",
    }
    assert counts["paid"] == 1 and counts["expired"] == 2
    assert stock_of(product).num_allocated == 2  # the paid and the fresh order keep theirs
    assert stripe_client().v1.payment_intents.retrieve(unpaid.stripe_intent.intent_id).status == "canceled"
    assert payments_reconcile().get("expired", 0) == 0  # nothing left to do
