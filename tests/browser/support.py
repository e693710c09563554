"""Steps the shop journeys share: logging in as a member, checking out, paying by card."""

from __future__ import annotations

import re

from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from expo.demo.loader import DEMO_MEMBER_PASSWORD
from payments.models import PaymentIntent
from payments.services import stripe_client

Order = get_model("order", "Order")


def login(page: Page, base: str, email: str) -> None:
    """Log in on the shop's English login page and land on the English home page (after
    logging in Oscar goes to the default language)."""
    page.context.clear_cookies()
    page.goto(base + "/en/accounts/login/")
    page.fill("#id_login-username", email)
    page.fill("#id_login-password", DEMO_MEMBER_PASSWORD)
    page.locator("button[name=login_submit]").click()
    expect(page.locator(".fx-topbar a[href*=logout]")).to_be_visible()
    page.goto(base + "/en/")


def checkout_to_payment(page: Page, base: str) -> Order:
    """From the basket: address, shipping, card as the method, place the order; ends on the
    payment page of the order, which is returned."""
    page.goto(base + "/en/checkout/")
    page.fill("#id_first_name", "Aigerim")
    page.fill("#id_last_name", "Sadykova")
    page.fill("#id_line1", "金水路 88 号")
    page.fill("#id_line4", "郑州")
    page.fill("#id_state", "河南")
    page.fill("#id_postcode", "450000")
    page.locator(
        "form#new_shipping_address button[type=submit], form[method=post] button.btn-primary"
    ).last.click()
    expect(page).to_have_url(re.compile(r"/en/checkout/shipping-method/$"))
    page.get_by_role("button", name="Continue with this shipping").click()
    expect(page).to_have_url(re.compile(r"/en/checkout/payment-method/$"))
    page.locator("input[name=method][value=stripe]").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/en/checkout/preview/$"))
    page.locator("#place-order").click()
    expect(page).to_have_url(re.compile(r"/en/checkout/pay/\d+/$"))
    return Order.objects.get(number=re.search(r"/pay/(\d+)/", page.url).group(1))


def pay_by_card(page: Page, base: str, order: Order) -> None:
    """Pay the order with card 4242 (confirmed through localstripe's API, as Stripe.js would)
    and come back to the thank-you page; the order is then paid."""
    intent = PaymentIntent.objects.get(order=order)
    client = stripe_client()
    client.v1.payment_intents.update(intent.intent_id, params={"payment_method": "pm_card_visa"})
    client.v1.payment_intents.confirm(intent.intent_id)
    page.goto(base + f"/en/checkout/pay/{order.number}/return/?payment_intent={intent.intent_id}")
    expect(page).to_have_url(re.compile(r"/en/checkout/thank-you/$"))
    order.refresh_from_db()
    assert order.status == "Paid"
