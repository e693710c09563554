"""Visitors browse the online expo and register for an event, in real Chromium."""

import re

from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}


def test_visitor_browses_edition_hall_booth_product_in_english_on_a_phone(
    page: Page, live_server, site_data, artifacts
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/en/")
    page.get_by_role("link", name="Visit the expo online").click()
    expect(page.locator("h1")).to_contain_text("China (Luohe) Food Expo")
    page.screenshot(path=artifacts / "edition-en-phone.png", full_page=True)
    page.locator("#halls a").first.click()
    expect(page.locator("h1")).to_contain_text("Hall A")
    page.locator("#booths .fx-card a").first.click()
    expect(page).to_have_url(re.compile(r"/en/expo-\d{4}/booths/[^/]+/$"))
    expect(page.locator("[data-badge=verified]")).to_be_visible()
    expect(page.locator("[data-prices=hidden]")).to_be_visible()
    page.screenshot(path=artifacts / "booth-en-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    product = page.locator("#booth-products .fx-card h3 a").first
    title = product.inner_text()
    product.click()
    expect(page.locator("h1").first).to_have_text(title)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.screenshot(path=artifacts / "booth-product-en-phone.png", full_page=True)


def test_visitor_registers_for_an_event_and_downloads_the_ics(page: Page, live_server, site_data, artifacts):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/en/events/")
    page.get_by_role("link", name="Central Asia buyers matchmaking session").click()
    page.fill("#id_name", "Aigerim")
    page.fill("#id_email", "aigerim@astana-import.example")
    page.fill("#id_company", "Astana Import Trading LLP")
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".fx-messages")).to_contain_text("You are registered")
    page.screenshot(path=artifacts / "event-registered-phone.png", full_page=True)
    # registering twice is told, not counted
    page.fill("#id_name", "Aigerim")
    page.fill("#id_email", "aigerim@astana-import.example")
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".fx-messages")).to_contain_text("already registered")
    with page.expect_download() as download_info:
        page.locator("[data-ics]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    body = open(download.path(), encoding="utf-8").read()
    assert "BEGIN:VEVENT" in body and "SUMMARY:Central Asia buyers matchmaking session" in body
