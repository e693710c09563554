"""Negotiation in the browser: an inquiry answered, a paid sample shipped, a quote turned into
an order, a meeting moved and put in both calendars.

Cards are confirmed through Stripe's API (the local Stripe server's stand-in Stripe.js mounts the
card form but cannot complete a payment), as in the trading journey; everything else is the browser.
"""

import re
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone, translation
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from buyers.models import Buyer, RequestStatus, SourcingRequest
from exhibitors.models import Exhibitor, Membership, Role
from expo.demo.data import demo_opening_day
from expo.demo.loader import DEMO_MEMBER_PASSWORD
from negotiation.models import Meeting, Quote, QuoteStatus, SampleRequest, SampleStatus
from negotiation.services import company_language
from tests.browser.support import checkout_to_payment, login, pay_by_card

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")

BUYER = "buyer@foodexpo.example"
EXHIBITOR = "exhibitor@foodexpo.example"
COLLEAGUE = "sales@foodexpo.example"


def add_member(email: str, exhibitor: Exhibitor, first_name: str = "") -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=email, email=email, password=DEMO_MEMBER_PASSWORD, first_name=first_name
    )
    Membership.objects.create(user=user, exhibitor=exhibitor, role=Role.STAFF)


def demo_exhibitor() -> Exhibitor:
    return Exhibitor.objects.get(memberships__user__email=EXHIBITOR)


def sellable(exhibitor: Exhibitor, **product_fields):
    product = Product.objects.filter(stockrecords__partner=exhibitor.partner).order_by("id").first()
    Product.objects.filter(pk=product.pk).update(**product_fields)
    StockRecord.objects.filter(product=product).update(num_in_stock=5000, num_allocated=0)
    return Product.objects.get(pk=product.pk)


def checkout_by_card(page: Page, base: str) -> Order:
    """From the basket: address, shipping, card; the card is confirmed through the API."""
    order = checkout_to_payment(page, base)
    pay_by_card(page, base, order)
    return order


def test_buyer_asks_exhibitor_member_answers_buyer_sees_the_badge_and_the_answer(
    page: Page, live_server, site_data, artifacts
):
    base = live_server.url
    exhibitor = demo_exhibitor()
    add_member(COLLEAGUE, exhibitor, first_name="Wang Fang")
    sellable(exhibitor, title_en="Halal ham sausage, 30 g × 20")
    page.set_viewport_size({"width": 375, "height": 800})

    login(page, base, BUYER)
    page.goto(base + f"/en/exhibitors/{exhibitor.key}/")
    expect(page.locator("[data-responsiveness]")).to_be_visible()
    page.locator("#ask-exhibitor").click()
    page.get_by_label("Halal ham sausage, 30 g × 20").check()
    page.fill("#id_quantity", "500")
    page.fill("#id_destination", "Almaty, Kazakhstan")
    page.fill("#id_message", "Price for 500 cartons delivered to Almaty? Halal certificate copy please.")
    page.get_by_role("button", name="Send inquiry").click()
    expect(page.locator("h1")).to_contain_text("Inquiry I-")
    expect(page.locator("[data-status]").first).to_have_text("Open")
    page.screenshot(path=artifacts / "negotiation-inquiry-sent-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # A colleague of the exhibitor (not the owner) answers.
    login(page, base, COLLEAGUE)
    expect(page.locator("#header-messages [data-unread-badge]")).to_have_text("1")
    page.locator("#header-messages").click()
    page.locator("tr[data-unread] a").first.click()
    expect(page.locator("[data-message]")).to_have_count(1)
    page.fill("#id_body", "42.00 CNY per carton, CIF Almaty, 25 days. The HALAL certificate is attached.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("[data-message]")).to_have_count(2)
    expect(page.locator("[data-status]").first).to_have_text("Answered")

    # The buyer sees the unread badge and the answer, with who wrote it.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, base, BUYER)
    expect(page.locator("#header-messages [data-unread-badge]")).to_have_text("1")
    page.locator("#header-messages").click()
    page.locator("tr[data-unread] a").first.click()
    answer = page.locator("[data-message][data-side=theirs]")
    expect(answer).to_contain_text("42.00 CNY per carton")
    expect(answer.locator("[data-author]")).to_have_text("Wang Fang")
    expect(page.locator("#header-messages [data-unread-badge]")).to_have_count(0)
    page.screenshot(path=artifacts / "negotiation-inquiry-answered.png", full_page=True)


def test_buyer_requests_samples_exhibitor_sets_the_price_buyer_pays_exhibitor_ships(
    page: Page, live_server, site_data, stripe_settings, artifacts
):
    base = live_server.url
    exhibitor = demo_exhibitor()
    product = sellable(exhibitor, title_en="Sample-worthy latiao", moq=50, sample_available=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    login(page, base, BUYER)
    page.goto(base + "/en" + product.get_absolute_url().removeprefix("/en"))
    page.locator("#request-sample").click()
    page.fill("#id_quantity", "3")
    page.fill("#id_ship_to", "Astana, Kabanbay Batyr 15, office 4")
    page.fill("#id_message", "For a tasting with our retail partners.")
    page.get_by_role("button", name="Send sample request").click()
    expect(page.locator("h1")).to_contain_text("Sample request S-")
    sample = SampleRequest.objects.get()

    login(page, base, EXHIBITOR)
    page.goto(base + "/en/company/negotiation/samples/")
    page.get_by_role("link", name=sample.label).click()
    page.get_by_label("At the sample price").check()
    page.fill("#id_accept-unit_price", "12.50")
    page.get_by_role("button", name="Accept the request").click()
    expect(page.locator("[data-terms]")).to_contain_text("12.50")

    login(page, base, BUYER)
    page.goto(base + f"/en/company/negotiation/samples/{sample.pk}/")
    page.locator("#order-samples").click()
    expect(page).to_have_url(re.compile(r"/en/basket/$"))
    expect(page.locator("body")).to_contain_text("37.50")  # 3 × 12.50
    order = checkout_by_card(page, base)
    line = order.lines.get()
    assert (line.quantity, line.unit_price_excl_tax) == (3, Decimal("12.50"))
    sample.refresh_from_db()
    assert (sample.status, sample.order_number) == (SampleStatus.ORDERED, order.number)

    login(page, base, EXHIBITOR)
    page.goto(base + f"/en/company/negotiation/samples/{sample.pk}/")
    expect(page.locator("[data-order]")).to_contain_text(order.number)
    page.fill("#id_ship-tracking", "SF9988776655")
    page.get_by_role("button", name="Mark shipped").click()
    expect(page.locator("h1 [data-status]")).to_have_text("Shipped")
    page.screenshot(path=artifacts / "negotiation-sample-shipped.png", full_page=True)
    order.refresh_from_db()
    assert order.lines.get().status == "Shipped"

    login(page, base, BUYER)
    page.goto(base + f"/en/company/negotiation/samples/{sample.pk}/")
    expect(page.locator("[data-tracking]")).to_have_text("SF9988776655")
    page.get_by_role("button", name="Samples received").click()
    page.fill("#id_feedback-feedback", "Spicy enough for our market; softer texture wanted.")
    page.get_by_role("button", name="Save feedback").click()
    expect(page.locator("h1 [data-status]")).to_have_text("Received")


def test_two_exhibitors_quote_buyer_accepts_one_checks_out_at_the_quoted_price_other_is_told(
    page: Page, live_server, site_data, stripe_settings, artifacts, mailoutbox
):
    base = live_server.url
    buyer = Buyer.objects.get(memberships__user__email=BUYER)
    first = demo_exhibitor()
    second = Exhibitor.objects.filter(status="verified").exclude(pk=first.pk).order_by("id").first()
    add_member("rival@foodexpo.example", second)
    product_1 = sellable(first, title_en="Quoted ham sausage")
    product_2 = sellable(second, title_en="Rival ham sausage")
    request = SourcingRequest.objects.create(
        buyer=buyer,
        reference="RFQ-HALAL-2026",
        title="Halal ham sausage for Kazakhstan, 300 cartons",
        quantity=Decimal("300"),
        unit="箱",
        delivery_region="Almaty",
    )
    page.set_viewport_size({"width": 1280, "height": 900})

    def send_quote(email, product, price):
        login(page, base, email)
        page.goto(base + "/en/company/negotiation/quotes/")
        page.locator(f"[data-open-request='{request.pk}'] a").click()
        page.select_option("#id_product", str(product.pk))
        page.fill("#id_unit_price", price)
        page.fill("#id_moq", "100")
        page.fill("#id_lead_time_days", "20")
        page.select_option("#id_delivery_terms", "delivered")
        page.fill("#id_valid_until", (timezone.localdate() + timedelta(days=14)).isoformat())
        page.fill("#id_message", "Halal certified, shelf life 180 days.")
        page.get_by_role("button", name="Send quote").click()
        expect(page.locator("h1")).to_contain_text("Quote Q-")

    send_quote(EXHIBITOR, product_1, "41.00")
    send_quote("rival@foodexpo.example", product_2, "39.50")

    login(page, base, BUYER)
    page.goto(base + f"/en/company/negotiation/requests/{request.pk}/quotes/")
    expect(page.locator("#quote-comparison tbody tr[data-quote]")).to_have_count(2)
    page.screenshot(path=artifacts / "negotiation-quotes-compared.png", full_page=True)
    chosen = Quote.objects.get(exhibitor=first)
    page.locator(f"tr[data-quote='{chosen.pk}'] a").click()
    page.fill("#id_body", "Can you deliver in 20 days?")
    page.get_by_role("button", name="Send").click()
    page.locator("#accept-quote").click()
    expect(page.locator("h1 [data-status]")).to_have_text("Accepted")
    page.locator("#checkout-quote").click()
    expect(page).to_have_url(re.compile(r"/en/basket/$"))
    expect(page.locator("body")).to_contain_text("12,300.00")  # 300 × 41.00
    order = checkout_by_card(page, base)
    line = order.lines.get()
    assert (line.quantity, line.unit_price_excl_tax) == (300, Decimal("41.00"))
    chosen.refresh_from_db()
    assert chosen.order_number == order.number
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED

    rival = Quote.objects.get(exhibitor=second)
    assert rival.status == QuoteStatus.NOT_CHOSEN
    with translation.override(company_language(second)):  # the rival reads its mail in its language
        not_chosen = translation.gettext("Quote not chosen")
    assert any(not_chosen in m.subject and "rival@foodexpo.example" in m.to for m in mailoutbox)
    login(page, base, "rival@foodexpo.example")
    page.goto(base + f"/en/company/negotiation/quotes/{rival.pk}/")
    expect(page.locator("[data-outcome]")).to_contain_text("The buyer chose another quote.")


def test_buyer_requests_a_meeting_exhibitor_proposes_another_time_buyer_accepts_both_get_the_ics(
    page: Page, live_server, site_data, artifacts
):
    base = live_server.url
    exhibitor = demo_exhibitor()
    opening = demo_opening_day()
    tz = timezone.get_current_timezone()
    asked = datetime.combine(opening, time(10, 0), tz)
    moved = datetime.combine(opening + timedelta(days=1), time(14, 30), tz)
    page.set_viewport_size({"width": 375, "height": 800})

    login(page, base, BUYER)
    page.goto(base + f"/en/exhibitors/{exhibitor.key}/")
    page.locator("#book-meeting").click()
    expect(page.locator("[data-expo-dates]")).to_be_visible()
    page.get_by_label("At the booth, during the expo").check()
    page.fill("#id_time_1", asked.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_time_2", (asked + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_topic", "Halal ham sausage for Kazakhstan: prices and tasting")
    page.get_by_role("button", name="Send meeting request").click()
    expect(page.locator("h1 [data-status]")).to_have_text("Requested")
    meeting = Meeting.objects.get()

    login(page, base, EXHIBITOR)
    page.goto(base + f"/en/company/negotiation/meetings/{meeting.pk}/")
    page.fill("#id_propose-starts_at", moved.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#propose button[type=submit]").click()
    expect(page.locator("h1 [data-status]")).to_have_text("Other time proposed")

    login(page, base, BUYER)
    page.goto(base + f"/en/company/negotiation/meetings/{meeting.pk}/")
    expect(page.locator("[data-counter]")).to_contain_text(moved.strftime("%Y-%m-%d %H:%M"))
    page.locator("#accept-proposal").click()
    expect(page.locator("h1 [data-status]")).to_have_text("Accepted")
    page.screenshot(path=artifacts / "negotiation-meeting-accepted-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling on a phone
    start_utc = moved.astimezone(UTC)
    for email in (BUYER, EXHIBITOR):
        login(page, base, email)
        page.goto(base + f"/en/company/negotiation/meetings/{meeting.pk}/")
        with page.expect_download() as download:
            page.locator("#download-ics").click()
        body = open(download.value.path(), encoding="utf-8").read()
        assert "BEGIN:VEVENT" in body and f"DTSTART:{start_utc:%Y%m%dT%H%M%SZ}" in body, body
        assert download.value.suggested_filename == f"meeting-{meeting.pk}.ics"
