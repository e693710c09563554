"""A visitor's and a staff member's first steps, in real headless Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from expo.demo.loader import DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_visitor_browses_in_chinese_then_english_and_opens_a_product(
    page: Page, live_server, site_data, artifacts, viewport
):
    name = "phone" if viewport is PHONE else "desktop"
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".fx-hero h1")).to_have_text("永不落幕的食博会")
    page.screenshot(path=artifacts / f"home-zh-{name}.png", full_page=True)
    # nothing wider than the screen on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.locator('.fx-lang a[data-lang="en"]').click()
    expect(page).to_have_url(live_server.url + "/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".fx-hero h1")).to_have_text("The food expo that never closes")
    page.screenshot(path=artifacts / f"home-en-{name}.png", full_page=True)

    page.get_by_role("link", name="Browse products").first.click()
    expect(page).to_have_url(re.compile(r"/en/catalogue/$"))
    expect(page.locator("h1")).to_have_text("All products")
    page.screenshot(path=artifacts / f"shop-en-{name}.png")

    first = page.locator(".fx-card h3 a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1").first).to_have_text(title)
    expect(page.locator("#food-facts")).to_contain_text("Shelf life")
    page.screenshot(path=artifacts / f"product-en-{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_staff_logs_in_to_both_admins(page: Page, live_server, site_data, artifacts):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.fill("input[name=username]", DEMO_STAFF_EMAIL)
    page.fill("input[name=password]", DEMO_STAFF_PASSWORD)
    page.locator("form.login-form button").first.click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("body")).to_contain_text("中国（漯河）食品博览会")
    page.screenshot(path=artifacts / "wagtail-admin.png")

    page.context.clear_cookies()
    page.goto(live_server.url + "/dashboard/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.fill("input[name=username]", DEMO_STAFF_EMAIL)
    page.fill("input[name=password]", DEMO_STAFF_PASSWORD)
    page.locator("#dashboard_login_form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("body")).to_contain_text("控制面板")
    page.screenshot(path=artifacts / "oscar-dashboard.png")
