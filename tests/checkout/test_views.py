"""The checkout through its pages: address, shipping, payment method, preview, then bank transfer
or Stripe (against a local Stripe); refusals and tampered requests get clear 4xx answers."""

from __future__ import annotations

from decimal import Decimal

import pytest
import stripe
from django.contrib.messages import get_messages
from oscar.core.loading import get_model

from exhibitors.models import CompanyStatus
from payments.models import BankTransfer, PaymentIntent, Refund
from payments.services import bank_transfer_create, stripe_client
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.members import UserFactory

from .support import ADDRESS, china, make_buyer, make_product, place, stock_of

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")


@pytest.fixture
def seller():
    return ExhibitorFactory(name_en="Luohe Frozen Foods", contact_email="sales@luohe.example")


@pytest.fixture
def product(seller):
    return make_product(stock=10, price="45.00", storage="frozen", exhibitor=seller)


@pytest.fixture
def buyer():
    return make_buyer(email="buyer@example.com")


@pytest.fixture
def buyer_client(client, buyer):
    china()
    client.force_login(buyer)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def to_preview(client, product, *, quantity: int = 2, method: str = "bank_transfer"):
    """Basket → address → shipping → payment method; returns the preview page."""
    assert client.post(f"/en/basket/add/{product.pk}/", {"quantity": quantity}).status_code == 302
    assert client.get("/en/checkout/")["Location"] == "/en/checkout/shipping-address/"
    response = client.post("/en/checkout/shipping-address/", ADDRESS)
    assert response.status_code == 302 and response["Location"] == "/en/checkout/shipping-method/"
    shipping = client.get("/en/checkout/shipping-method/")
    assert shipping.status_code == 200
    response = client.post("/en/checkout/shipping-method/", {"method_code": "per-exhibitor"})
    assert response["Location"] == "/en/checkout/payment-method/"
    assert client.get("/en/checkout/payment-method/").status_code == 200
    response = client.post("/en/checkout/payment-method/", {"method": method})
    assert response["Location"] == "/en/checkout/preview/"
    preview = client.get("/en/checkout/preview/")
    assert preview.status_code == 200
    return shipping, preview


def place_order(client, preview, **overrides):
    data = {
        "action": "place_order",
        "fingerprint": preview.context["fingerprint"],
        "total": str(preview.context["order_total"].incl_tax),
        **overrides,
    }
    return client.post("/en/checkout/preview/", data)


def test_bank_transfer_checkout_ends_awaiting_the_transfer_with_a_reference(
    buyer_client, product, mailoutbox, django_capture_on_commit_callbacks
):
    shipping, preview = to_preview(buyer_client, product)
    page = shipping.content.decode()
    assert "Luohe Frozen Foods" in page and "Cold chain" in page  # the breakdown per exhibitor
    assert preview.context["order_total"].incl_tax == Decimal("140.00")  # 90 + 20 base + 30 cold chain
    assert "Bank transfer" in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = place_order(buyer_client, preview)
    assert response.status_code == 302 and response["Location"] == "/en/checkout/thank-you/"
    order = Order.objects.get()
    transfer = BankTransfer.objects.get(order=order)
    assert order.status == "Awaiting bank transfer"
    assert stock_of(product).num_allocated == 2

    thank_you = buyer_client.get("/en/checkout/thank-you/")
    content = thank_you.content.decode()
    assert transfer.reference in content and "Account number" in content
    assert "Demo account" in content  # the test settings carry the labelled demo account
    placed = [mail for mail in mailoutbox if "placed" in mail.subject]
    assert placed and transfer.reference in placed[0].body and placed[0].to == ["buyer@example.com"]
    assert "DEMO ACCOUNT" in placed[0].body


def test_a_real_bank_account_shows_without_the_demo_label(
    buyer_client, product, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.BANK_TRANSFER_ACCOUNT = {
        "beneficiary": "漯河食品博览会",
        "bank": "中国银行",
        "account_number": "2468 1357",
    }
    _, preview = to_preview(buyer_client, product)
    with django_capture_on_commit_callbacks(execute=True):
        place_order(buyer_client, preview)
    content = buyer_client.get("/en/checkout/thank-you/").content.decode()
    assert "2468 1357" in content and "Demo account" not in content
    placed = [mail for mail in mailoutbox if "placed" in mail.subject]
    assert "2468 1357" in placed[0].body and "DEMO" not in placed[0].body


def test_stripe_checkout_is_paid_when_the_buyer_returns(
    stripe_settings, buyer_client, product, django_capture_on_commit_callbacks
):
    _, preview = to_preview(buyer_client, product, method="stripe")
    response = place_order(buyer_client, preview)
    order = Order.objects.get()
    assert response["Location"] == f"/en/checkout/pay/{order.number}/"
    page = buyer_client.get(response["Location"])
    intent = PaymentIntent.objects.get(order=order)
    content = page.content.decode()
    assert intent.client_secret in content and "/js.stripe.com/v3/" in content
    assert intent.amount == 14000

    # Stripe.js confirms in the browser; here, through the API.
    client = stripe_client()
    client.v1.payment_intents.update(intent.intent_id, params={"payment_method": "pm_card_visa"})
    client.v1.payment_intents.confirm(intent.intent_id)
    with django_capture_on_commit_callbacks(execute=True):
        back = buyer_client.get(f"/en/checkout/pay/{order.number}/return/?payment_intent={intent.intent_id}")
    assert back.status_code == 302 and back["Location"] == "/en/checkout/thank-you/"
    order.refresh_from_db()
    assert order.status == "Paid"
    assert "Your payment was received" in buyer_client.get("/en/checkout/thank-you/").content.decode()
    assert buyer_client.get(f"/en/checkout/pay/{order.number}/")["Location"] == "/en/checkout/thank-you/"


def test_a_declined_card_says_so_and_releases_the_stock(stripe_settings, buyer_client, product):
    _, preview = to_preview(buyer_client, product, method="stripe")
    place_order(buyer_client, preview)
    order = Order.objects.get()
    buyer_client.get(f"/en/checkout/pay/{order.number}/")
    intent = PaymentIntent.objects.get(order=order)
    card = {"number": "4000000000000341", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    client = stripe_client()
    declined = client.v1.payment_methods.create(params={"type": "card", "card": card})
    client.v1.payment_intents.update(intent.intent_id, params={"payment_method": declined.id})
    with pytest.raises(stripe.CardError):
        client.v1.payment_intents.confirm(intent.intent_id)

    back = buyer_client.get(f"/en/checkout/pay/{order.number}/return/")
    assert back["Location"] == f"/en/checkout/pay/{order.number}/"
    assert any("did not go through (Your card was declined.)" in text for text in messages_of(back))
    order.refresh_from_db()
    assert order.status == "Payment failed"
    assert stock_of(product).num_allocated == 0
    page = buyer_client.get(back["Location"]).content.decode()
    assert "Try again" in page

    retry = buyer_client.post(f"/en/checkout/pay/{order.number}/", {"action": "retry"})
    assert retry.status_code == 302
    order.refresh_from_db()
    assert order.status == "Pending payment" and stock_of(product).num_allocated == 2


def test_people_without_a_verified_buyer_company_are_told_why(client, product):
    client.force_login(UserFactory())
    response = client.get("/en/checkout/", follow=True)
    assert response.status_code == 403
    content = response.content.decode()
    assert "does not belong to a buyer company" in content and 'href="/en/company/"' in content

    client.force_login(make_buyer(status=CompanyStatus.PENDING))
    response = client.get("/en/checkout/preview/", follow=True)
    assert response.status_code == 403 and "awaiting verification" in response.content.decode()

    client.logout()
    assert client.get("/en/checkout/")["Location"].startswith("/en/accounts/login/")


def test_goods_of_an_unverified_exhibitor_stop_the_checkout(buyer_client, product, seller):
    buyer_client.post(f"/en/basket/add/{product.pk}/", {"quantity": 1})
    seller.status = CompanyStatus.PENDING
    seller.save()
    response = buyer_client.get("/en/checkout/shipping-address/")
    assert response["Location"] == "/en/basket/"
    assert any("not verified" in text for text in messages_of(response))


def test_an_empty_basket_cannot_be_checked_out(buyer_client):
    response = buyer_client.get("/en/checkout/preview/")
    assert response["Location"] == "/en/basket/"


def test_a_forged_total_or_a_changed_basket_is_refused(buyer_client, product):
    _, preview = to_preview(buyer_client, product)
    forged = place_order(buyer_client, preview, total="1.00")
    assert forged.status_code == 409 and "is not the order" in forged.content.decode()
    tampered = place_order(buyer_client, preview, fingerprint="0" * 40)
    assert tampered.status_code == 409 and "changed since this page was shown" in tampered.content.decode()
    broken = place_order(buyer_client, preview, total="lots", fingerprint="")
    assert broken.status_code == 400

    buyer_client.post(f"/en/basket/add/{product.pk}/", {"quantity": 1})  # another tab adds one
    changed = buyer_client.post(
        "/en/checkout/preview/",
        {
            "action": "place_order",
            "fingerprint": preview.context["fingerprint"],
            "total": str(buyer_client.get("/en/checkout/preview/").context["order_total"].incl_tax),
        },
    )
    assert changed.status_code == 409
    assert not Order.objects.exists()
    assert stock_of(product).num_allocated == 0


def test_stock_gone_before_placing_is_refused_naming_what_is_left(buyer_client, product):
    _, preview = to_preview(buyer_client, product, quantity=3)
    record = stock_of(product)
    record.num_allocated = 9  # others bought meanwhile; one unit left
    record.save()
    response = place_order(buyer_client, preview)
    assert response["Location"] == "/en/basket/"
    assert any("1" in text and product.get_title() in text for text in messages_of(response))
    assert not Order.objects.exists()
    assert stock_of(product).num_allocated == 9


def test_orders_of_other_people_and_unknown_numbers_are_404(stripe_settings, buyer_client, buyer, product):
    someone_else = make_buyer()
    theirs = place(user=someone_else, items=[(product, 1)])
    for url in (
        f"/en/checkout/pay/{theirs.number}/",
        f"/en/checkout/pay/{theirs.number}/return/",
        "/en/checkout/pay/999999999/",
        "/en/checkout/pay/%27%3Bdrop/",
    ):
        assert buyer_client.get(url).status_code == 404, url
    assert buyer_client.post(f"/en/checkout/pay/{theirs.number}/", {"action": "retry"}).status_code == 404
    mine = place(user=buyer, items=[(product, 1)])
    assert buyer_client.post(f"/en/checkout/pay/{mine.number}/", {"action": "refund"}).status_code == 400
    assert not PaymentIntent.objects.filter(order=theirs).exists()


def test_tampered_address_and_method_choices_are_4xx(buyer_client, product):
    buyer_client.post(f"/en/basket/add/{product.pk}/", {"quantity": 1})
    bad = {"address_id": "abc", "action": "ship_to"}
    assert buyer_client.post("/en/checkout/shipping-address/", bad).status_code == 400
    assert (
        buyer_client.post("/en/checkout/shipping-address/", {**bad, "address_id": "99999"}).status_code == 404
    )
    buyer_client.post("/en/checkout/shipping-address/", ADDRESS)
    buyer_client.post("/en/checkout/shipping-method/", {"method_code": "per-exhibitor"})
    assert buyer_client.post("/en/checkout/payment-method/", {"method": "cash"}).status_code == 400
    response = buyer_client.post("/en/checkout/shipping-method/", {"method_code": "teleport"})
    assert response.status_code == 200 and any("not permitted" in text for text in messages_of(response))


def test_staff_confirm_transfers_and_refund_from_the_staff_pages(client, staff_user, product):
    buyer = make_buyer()
    order = place(user=buyer, items=[(product, 2)])
    transfer = bank_transfer_create(order=order)
    confirm_url = f"/payments/staff/orders/{order.number}/confirm-transfer/"
    refund_url = f"/payments/staff/orders/{order.number}/refunds/"
    assert "/accounts/login/" in client.get("/payments/staff/")["Location"]
    client.force_login(buyer)
    assert client.get("/payments/staff/").status_code == 403
    assert client.post(confirm_url).status_code == 403

    client.force_login(staff_user)
    assert "/payments/staff/" in client.get("/admin/").content.decode()  # the Wagtail menu entry
    listing = client.get("/payments/staff/")
    assert listing.status_code == 200 and transfer.reference in listing.content.decode()
    assert client.get("/payments/staff/orders/nope/").status_code == 404
    assert client.post("/payments/staff/orders/nope/confirm-transfer/").status_code == 404
    assert client.get(confirm_url).status_code == 405

    refused = client.post(refund_url, {"amount": "10.00"})
    # /payments/ is outside the language prefixes: the staff's language (Chinese by default) applies.
    assert any("has not been paid" in text or "尚未付款" in text for text in messages_of(refused))
    assert client.post(confirm_url).status_code == 302
    order.refresh_from_db()
    assert order.status == "Paid"

    too_much = client.post(refund_url, {"amount": "1000.00"})
    assert any(
        "Cannot refund 1000.00" in text or "无法退款 1000.00" in text for text in messages_of(too_much)
    )
    garbage = client.post(refund_url, {"amount": "-5", "lines": ["abc"]})
    assert garbage.status_code == 302
    assert any("errors" in text or "有误" in text for text in messages_of(garbage))
    line = order.lines.get()
    client.post(refund_url, {"lines": [line.pk], "reason": "short shipment"})
    order.refresh_from_db()
    line.refresh_from_db()
    assert (order.status, line.status) == ("Partially refunded", "Refunded")
    assert Refund.objects.get(order=order).amount == Decimal("90.00")
    detail = client.get(f"/payments/staff/orders/{order.number}/")
    assert detail.status_code == 200 and "short shipment" in detail.content.decode()
