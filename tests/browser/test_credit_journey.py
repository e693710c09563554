"""Credit in the browser: a buyer orders, the exhibitor confirms, ships and delivers, the buyer
rates the delivered line from the order page, and the rating shows on the exhibitor's booth in
English (``/en/…``) and Chinese (the default language, unprefixed ``/…``), each figure with an
explanation that opens on tap and on hover.

Then staff open the statistics dashboard in the Wagtail admin, refresh it, and see the order
and the rating counted, each with its chart drawn.

Each step is one function taking and returning what the next needs. The card is confirmed
through Stripe's API, as in the trading journey; everything else is the browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import translation
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from credit.models import Review
from exhibitors.models import Exhibitor, Participation
from expo.demo.loader import DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD
from expo.selectors import booth_url
from order.statuses import OrderStatus
from tests.browser.support import checkout_to_payment, login, pay_by_card

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")

BUYER = "buyer@foodexpo.example"
EXHIBITOR = "exhibitor@foodexpo.example"
PHONE = {"width": 390, "height": 844}
COMMENT = "Cartons arrived intact, sausages fresh. 包装完好，很新鲜。"


@dataclass
class Journey:
    base: str
    exhibitor: Exhibitor
    product: object
    order: Order | None = None


def start(live_server) -> Journey:
    """The demo exhibitor, one of its ambient products in stock."""
    exhibitor = Exhibitor.objects.get(memberships__user__email=EXHIBITOR)
    product = (
        Product.objects.filter(stockrecords__partner=exhibitor.partner, storage="ambient")
        .order_by("id")
        .first()
    )
    Product.objects.filter(pk=product.pk).update(moq=1, title_en="Credit journey ham sausage")
    StockRecord.objects.filter(product=product).update(num_in_stock=500, num_allocated=0)
    return Journey(base=live_server.url, exhibitor=exhibitor, product=Product.objects.get(pk=product.pk))


def buyer_orders(page: Page, journey: Journey) -> Journey:
    """The buyer adds the product to the basket from its page, checks out and pays by card."""
    login(page, journey.base, BUYER)
    with translation.override("en"):
        page.goto(journey.base + journey.product.get_absolute_url())
    page.locator("#add_to_basket_form input[name=quantity]").fill("12")
    page.locator("#add_to_basket_form button[type=submit]").click()
    journey.order = checkout_to_payment(page, journey.base)
    pay_by_card(page, journey.base, journey.order)
    return journey


def exhibitor_delivers(page: Page, journey: Journey, artifacts) -> Journey:
    """The exhibitor confirms, ships with a tracking number and marks the line delivered."""
    login(page, journey.base, EXHIBITOR)
    page.goto(journey.base + f"/en/company/orders/{journey.order.number}/")
    line = page.locator("[data-line]")
    page.get_by_role("button", name="Confirm selected lines").click()
    expect(line).to_have_attribute("data-status", "Confirmed")
    page.locator("[data-line] input[type=number]").fill("12")
    page.fill("input[name=tracking]", "SF2026120701")
    page.get_by_role("button", name="Ship", exact=True).click()
    expect(line).to_have_attribute("data-status", "Shipped")
    page.get_by_role("button", name="Mark selected delivered").click()
    expect(line).to_have_attribute("data-status", "Delivered")
    page.screenshot(path=artifacts / "credit-exhibitor-delivered.png", full_page=True)
    return journey


def buyer_rates(page: Page, journey: Journey, artifacts) -> Journey:
    """On a phone, the buyer opens the order, taps Rate on the delivered line, first sends the
    form without scores (told, nothing saved), then rates."""
    page.set_viewport_size(PHONE)
    login(page, journey.base, BUYER)
    page.goto(journey.base + f"/en/accounts/orders/{journey.order.number}/")
    page.locator("[data-rate-line]").click()
    expect(page.locator("h1")).to_contain_text("Rate")
    page.get_by_role("button", name="Send rating").click()
    expect(page.locator(".fx-error-text").first).to_contain_text("Choose a score from 1 to 5.")
    assert not Review.objects.exists()
    for field, score in (("quality", 5), ("as_described", 4), ("delivery", 5), ("communication", 4)):
        page.locator(f"[data-field={field}] label", has_text=str(score)).click()
    page.fill("#id_comment", COMMENT)
    page.screenshot(path=artifacts / "credit-rate-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Send rating").click()
    expect(page).to_have_url(re.compile(r"/en/company/reviews/written/$"))
    expect(page.locator(".fx-messages")).to_contain_text("Your rating is saved")
    expect(page.locator("#reviews-written")).to_contain_text(str(journey.order.number))
    page.goto(journey.base + f"/en/accounts/orders/{journey.order.number}/")
    expect(page.locator("[data-line-rated]")).to_contain_text("Rated 4.5 / 5")
    review = Review.objects.get()
    assert (review.quality, review.as_described, review.delivery, review.communication) == (5, 4, 5, 4)
    return journey


def booth_urls(exhibitor: Exhibitor) -> dict[str, str]:
    year = (
        Participation.objects.filter(exhibitor=exhibitor, withdrawn=False)
        .order_by("-edition")
        .first()
        .edition
    )
    return {
        language: booth_url(
            exhibitor=exhibitor, edition_year=year, locale=Locale.objects.get(language_code=language)
        )
        for language in ("en", "zh-hans")
    }


def rating_shows_on_the_booth(page: Page, phone: Page, journey: Journey, artifacts) -> Journey:
    """Anyone sees the rating, the comment and the figures on the booth, in both languages; the
    explanation of a figure opens on tap (``phone``, a touch screen) and on hover (desktop).
    The order stays private."""
    urls = booth_urls(journey.exhibitor)
    assert urls["en"].startswith("/en/") and not urls["zh-hans"].startswith("/en/")
    labels = {"en": ("Buyers' rating", "1 review"), "zh-hans": ("买家评分", "1 条评价")}
    for language, path in urls.items():
        phone.goto(journey.base + path)
        expect(phone.locator("html")).to_have_attribute("lang", language)
        profile = phone.locator("#credit-profile")
        rating = profile.locator("[data-figure=rating]")
        expect(rating).to_contain_text(labels[language][0])
        expect(rating.locator("[data-rating]")).to_have_text("4.5 / 5")
        expect(rating.locator("[data-review-count]")).to_have_text(labels[language][1])
        expect(profile.locator("#public-reviews")).to_contain_text(COMMENT)
        expect(profile).not_to_contain_text(str(journey.order.number))
        # Tap: the explanation opens, and a second tap closes it.
        why = rating.locator("details.cr-why")
        expect(why.locator("p")).to_be_hidden()
        why.locator("summary").tap()
        expect(why.locator("p")).to_be_visible()
        phone.screenshot(path=artifacts / f"credit-booth-{language}-phone.png", full_page=True)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        why.locator("summary").tap()
        expect(why.locator("p")).to_be_hidden()
        # Hover (desktop): the explanation shows while the pointer rests on it.
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(journey.base + path)
        fulfilment = page.locator("#credit-profile [data-figure=fulfilment] details.cr-why")
        expect(fulfilment.locator("p")).to_be_hidden()
        fulfilment.locator("summary").hover()
        expect(fulfilment.locator("p")).to_be_visible()
        page.mouse.move(0, 0)
        expect(fulfilment.locator("p")).to_be_hidden()
        page.screenshot(path=artifacts / f"credit-booth-{language}-desktop.png", full_page=True)
    return journey


def _cells(table, first_cell: str) -> list[str]:
    """The cells of the row of ``table`` whose first cell reads ``first_cell``."""
    row = table.locator("tbody tr").filter(has=table.page.locator("td", has_text=first_cell)).first
    return [cell.strip() for cell in row.locator("td, th").all_inner_texts()]


def _last_cells(page: Page, table: str) -> list[str]:
    return [row.locator("td").last.inner_text().strip() for row in page.locator(f"{table} tbody tr").all()]


def staff_see_it_counted(page: Page, journey: Journey, artifacts) -> Journey:
    """Staff open the statistics dashboard (all time), refresh it, and find the order among
    the orders placed and paid in its currency, and the rating among the ratings written with
    its scores averaged, each table under a drawn chart."""
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(journey.base + "/admin/login/?next=/admin/stats/")
    page.fill("input[name=username]", DEMO_STAFF_EMAIL)
    page.fill("input[name=password]", DEMO_STAFF_PASSWORD)
    page.locator("form.login-form button").first.click()
    expect(page).to_have_url(re.compile(r"/admin/stats/"))
    before = page.locator("#stats-computed-at").get_attribute("datetime")
    page.locator("#stats-refresh").click()
    expect(page.locator("#stats-computed-at")).not_to_have_attribute("datetime", before)

    order = Order.objects.get(pk=journey.order.pk)
    assert order.status in OrderStatus.PAID_STATES
    placed = Order.objects.filter(currency=order.currency)
    paid = placed.filter(status__in=OrderStatus.PAID_STATES)
    orders = page.locator("section#table-orders")
    expect(orders.locator("canvas#chart-orders")).to_have_attribute("data-drawn", "true")
    assert _cells(orders.locator("table#stats-table-orders"), order.currency)[1:3] == [
        str(placed.count()),
        str(paid.count()),
    ]

    reviews = page.locator("section#table-reviews")
    expect(reviews.locator("canvas#chart-reviews")).to_have_attribute("data-drawn", "true")
    assert Review.objects.count() == 1
    # Rows: written, shown, hidden, answered; then each score's average (5, 4, 5, 4 given).
    assert _last_cells(page, "table#stats-table-reviews") == ["1", "1", "0", "0"]
    assert _last_cells(page, "table#stats-table-ratings") == ["5.0", "4.0", "5.0", "4.0"]
    page.locator("section#table-reviews").screenshot(path=artifacts / "credit-stats-reviews.png")
    orders.screenshot(path=artifacts / "credit-stats-orders.png")
    return journey


def test_buyer_orders_exhibitor_delivers_buyer_rates_rating_shows_on_the_booth_in_both_languages(
    page: Page, browser, live_server, site_data, stripe_settings, artifacts
):
    phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True).new_page()
    journey = start(live_server)
    journey = buyer_orders(page, journey)
    journey = exhibitor_delivers(page, journey, artifacts)
    journey = buyer_rates(page, journey, artifacts)
    journey = rating_shows_on_the_booth(page, phone, journey, artifacts)
    phone.context.close()
    staff_see_it_counted(page, journey, artifacts)
