"""The site as an installed phone app: manifest, service worker, pages read offline, the offline
page, forms that are never sent twice or while offline, and the push switch that stays hidden
while the server has no push key.
"""

import re

import pytest
from django.utils import translation
from oscar.core.loading import get_model
from playwright.sync_api import BrowserContext, Page, expect

from exhibitors.models import Exhibitor
from tests.browser.support import login

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Line = get_model("basket", "Line")

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
BUYER = "buyer@foodexpo.example"
SAVED = re.compile(r"You are offline: this page was saved on .+; prices and stock may have changed\.")


@pytest.fixture
def phone(browser, artifacts):
    context = browser.new_context(**PHONE, service_workers="allow", locale="en-GB")
    yield context
    context.close()


def go_offline(context: BrowserContext) -> None:
    """No network for the pages nor for the service worker's own fetches."""
    context.set_offline(True)


def go_online(context: BrowserContext) -> None:
    context.set_offline(False)


def wait_until_saved(page: Page, url: str) -> None:
    page.wait_for_function(
        """async (url) => Boolean(await caches.match(url, {ignoreVary: true}))""", arg=url, timeout=10_000
    )


def basket_lines():
    return Line.objects.filter(basket__owner__email=BUYER, basket__status="Open")


def test_phone_app_installs_reads_saved_pages_offline_and_never_sends_a_form_twice(
    phone: BrowserContext, live_server, site_data, artifacts
):
    base = live_server.url
    exhibitor = Exhibitor.objects.get(memberships__user__email="exhibitor@foodexpo.example")
    product = Product.objects.filter(stockrecords__partner=exhibitor.partner).order_by("id").first()
    StockRecord.objects.filter(product=product).update(num_in_stock=5000, num_allocated=0)
    with translation.override("en"):
        product_url = base + product.get_absolute_url()
    exhibitor_url = f"{base}/en/exhibitors/{exhibitor.key}/"
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Installable: the manifest is linked and loads.
    login(page, base, BUYER)
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["name"] == "China Food Expo"
    assert manifest["start_url"] == "/en/" and manifest["display"] == "standalone"

    # The service worker registers and controls the page.
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15_000)
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == base + "/"

    # The company centre: no push key on this server, so no switch, and no error either.
    with page.expect_response(lambda r: r.url.endswith("/api/v1/push/key/")) as key:
        page.goto(base + "/en/company/")
    assert key.value.status == 404
    expect(page.locator("#push-optin")).to_be_hidden()

    # Visited pages are saved: a product, an exhibitor and its booth.
    page.goto(product_url)
    expect(page.locator("#add_to_basket_form")).to_be_visible()
    page.goto(exhibitor_url)
    page.locator("[data-booth-link]").first.click()
    expect(page).to_have_url(re.compile(r"/en/expo-\d{4}/booths/[^/]+/$"))
    booth_url = page.url
    for url in (product_url, exhibitor_url, booth_url):
        wait_until_saved(page, url)
    assert not page.evaluate("caches.match(location.origin + '/en/company/', {ignoreVary: true})")

    go_offline(phone)
    # Saved pages come from the cache, with the banner.
    page.goto(product_url)
    expect(page.locator("[data-offline-banner]")).to_have_text(SAVED)
    expect(page.locator("h1").first).to_have_text(product.title_en or product.title)
    page.screenshot(path=artifacts / "pwa-product-offline-phone.png", full_page=True)
    page.reload()
    expect(page.locator("[data-offline-banner]")).to_have_text(SAVED)
    page.goto(booth_url)
    expect(page.locator("[data-offline-banner]")).to_have_text(SAVED)
    page.screenshot(path=artifacts / "pwa-booth-offline-phone.png", full_page=True)
    # A page never opened: the offline page instead of the browser's error.
    page.goto(base + "/en/events/")
    expect(page.locator("[data-offline-page] h1")).to_have_text("You are offline")
    page.screenshot(path=artifacts / "pwa-offline-page-phone.png", full_page=True)

    # A form sent offline is stopped and says so; back online, nothing arrives.
    page.goto(product_url)
    page.locator("#add_to_basket_form button[type=submit]").click()
    expect(page.locator("#add_to_basket_form [data-offline-note]")).to_have_text(
        "You are offline: nothing was sent."
    )
    go_online(phone)
    expect(page.locator("[data-offline-banner]")).to_contain_text("You are back online")
    page.wait_for_timeout(1000)
    assert not basket_lines().exists()

    # Online, a double tap on "add to basket" adds one line, once.
    page.goto(product_url)
    expect(page.locator("[data-offline-banner]")).to_have_count(0)
    quantity = int(page.locator("#add_to_basket_form input[name=quantity]").input_value())
    with page.expect_navigation():
        page.locator("#add_to_basket_form button[type=submit]").dblclick()
    page.wait_for_load_state()
    lines = list(basket_lines())
    assert len(lines) == 1
    assert lines[0].quantity == quantity

    # The guard itself: a second submit while the first is on its way never reaches the form
    # (without it both would, and the browser would send the form again).
    page.goto(product_url)
    with page.expect_navigation():
        reached = page.evaluate(
            """() => {
                const form = document.querySelector("#add_to_basket_form");
                let reached = 0;
                form.addEventListener("submit", () => { reached += 1; });
                form.requestSubmit();
                form.requestSubmit();
                return reached;
            }"""
        )
    assert reached == 1
    page.wait_for_load_state()
    lines = list(basket_lines())
    assert len(lines) == 1
    assert lines[0].quantity == 2 * quantity
    assert errors == []
