"""A buyer searches the demo catalogue on a phone and a desktop: a Chinese word inside longer
titles, a facet, a misspelling that gets a suggestion, then the exhibitor directory."""

import pytest
from playwright.sync_api import Page, expect

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_buyer_searches_products_narrows_them_and_finds_the_maker(
    page: Page, live_server, site_data, artifacts, viewport
):
    name = "phone" if viewport is PHONE else "desktop"
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")
    page.goto(live_server.url + "/search/?q=%E8%BE%A3%E6%9D%A1")  # 辣条
    results = page.locator("#search-results .fx-card")
    expect(results.first).to_be_visible()
    expect(page.locator("#search-results mark").first).to_have_text("辣条")
    assert "辣条" in results.first.locator("h3").inner_text()
    page.screenshot(path=artifacts / f"search-zh-{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # narrow by a facet; the count follows and the filter can be removed
    before = int(page.locator("[data-count]").get_attribute("data-count"))
    facet = page.locator('[data-facet="certification"] a').first
    if viewport is PHONE:  # on a phone the filters start folded, the results first
        expect(facet).to_be_hidden()
        assert page.locator("#search-results").bounding_box()["y"] < viewport["height"]
        page.locator(".fx-side-box > summary").first.click()
    facet.click()
    after = int(page.locator("[data-count]").get_attribute("data-count"))
    assert 0 < after <= before
    expect(page.locator(".fx-chips a").first).to_be_visible()
    page.locator(".fx-chips a").first.click()
    assert int(page.locator("[data-count]").get_attribute("data-count")) == before

    # English, with a typing mistake: the close spelling's hits, saying so, and a link to it
    page.goto(live_server.url + "/en/search/?q=sausaje")
    expect(page.locator("#did-you-mean")).to_be_visible()
    expect(page.locator("#search-results .fx-card").first).to_contain_text("sausage")
    with page.expect_navigation():
        page.locator("#did-you-mean a.fx-suggestion").first.click()
    expect(page.locator("#did-you-mean")).to_have_count(0)
    expect(page.locator("#search-results .fx-card").first).to_contain_text("sausage")

    # what the search understood shows as chips; removing one searches the word as typed
    page.goto(live_server.url + "/en/search/?q=frozen+sausage")
    storage = page.locator('#understood [data-kind="storage"]')
    expect(storage).to_be_visible()
    with page.expect_navigation():
        storage.locator(".fx-chip-remove").click()
    expect(page.locator('#understood [data-kind="storage"]')).to_have_count(0)
    assert "literal=frozen" in page.url
    page.screenshot(path=artifacts / f"search-en-suggestion-{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # the exhibitor directory: who makes it
    page.goto(live_server.url + "/search/exhibitors/?q=%E8%BE%A3%E6%9D%A1")
    expect(page.locator("#search-results li").first).to_contain_text("卫辣")
    page.screenshot(path=artifacts / f"exhibitors-zh-{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
