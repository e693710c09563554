"""A halal importer finds latiao in the shop, posts a sourcing request and gets recommended
suppliers with the reasons; the latiao maker sees that buyer among those looking for what it sells."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from benchmarks.relevance_match import import_samples
from buyers.models import SourcingRequest
from exhibitors.models import Exhibitor, Membership, Role
from expo.demo.loader import DEMO_MEMBER_PASSWORD
from tests.browser.support import login

LATIAO_MAKER = "91411100MA44X0002B"  # 漯河辣味食品 (staff sample): latiao, HALAL certified
SELLER_EMAIL = "export@latiao-maker.example"


def _import_samples_with_a_seller_login(django_user_model) -> None:
    import_samples(kinds=("exhibitors", "products"))
    seller = django_user_model.objects.create_user(
        username=SELLER_EMAIL, email=SELLER_EMAIL, password=DEMO_MEMBER_PASSWORD
    )
    Membership.objects.create(user=seller, exhibitor=Exhibitor.objects.get(key=LATIAO_MAKER), role=Role.OWNER)


def test_buyer_finds_halal_latiao_posts_a_request_and_the_maker_sees_the_buyer(
    page: Page, live_server, site_data, artifacts, django_user_model
):
    base = live_server.url
    _import_samples_with_a_seller_login(django_user_model)
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. The halal importer searches 辣条 in the shop and keeps the halal-certified ones.
    login(page, base, "buyer@foodexpo.example")
    page.goto(base + "/en/")
    page.fill(".fx-search input[name=q]", "辣条")
    page.locator(".fx-search button").click()
    expect(page.locator("article.fx-card").first).to_be_visible()
    facet = page.locator("[data-facet=certification] a", has_text="Halal")
    if facet.count():
        facet.first.click()
    else:
        page.locator("#product-filters select[name=certification]").select_option("HALAL")
        page.locator("#product-filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"certification=HALAL"))
    expect(page.locator("article.fx-card", has_text="Big gluten latiao 106g")).to_be_visible()
    page.get_by_role("link", name="Big gluten latiao 106g").first.click()
    expect(page.locator("h1")).to_contain_text("Big gluten latiao 106g")

    # 2. It posts a sourcing request in the company centre (on a phone).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/en/company/")
    page.locator("[data-nav=requests]").click()
    page.get_by_role("link", name="Post a sourcing request").first.click()
    page.fill("#id_title", "Halal latiao for Kazakhstan, 5,000 cartons")
    page.select_option("#id_category", label="— Latiao (spicy gluten strips)")
    page.fill("#id_quantity", "5000")
    page.fill("#id_unit", "carton")
    page.fill("#id_target_price", "35")
    page.fill("#id_currency", "CNY")
    page.fill("#id_delivery_region", "Almaty, Kazakhstan")
    page.fill("#id_deliver_by", (timezone.localdate() + timedelta(days=60)).isoformat())
    page.check("input[name=required_certifications][value=HALAL]")
    page.select_option("#id_storage", "ambient")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/en/company/requests/\d+/$"))
    request = SourcingRequest.objects.get(title="Halal latiao for Kazakhstan, 5,000 cartons")

    # 3. The request page recommends the halal latiao maker, with the reasons.
    matches = page.locator("[data-matches=request]")
    expect(matches.locator("h2")).to_have_text("Recommended suppliers")
    maker = matches.locator(f"li[data-key='{LATIAO_MAKER}']")
    expect(maker).to_be_visible()
    expect(maker).to_contain_text("certified: HALAL")
    expect(maker).to_contain_text("category: Latiao (spicy gluten strips) / 辣条")
    expect(maker).to_contain_text("price 31 CNY within the target 35")
    for item in matches.locator("li[data-match]").all():
        expect(item.locator("[data-reason]").first).to_be_visible()
    page.screenshot(path=artifacts / "matchmaking-request-phone.png", full_page=True)
    maker.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/en/exhibitors/{LATIAO_MAKER}/$"))

    # 4. The latiao maker logs in and finds that buyer among those looking for what it sells.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, base, SELLER_EMAIL)
    page.goto(base + "/en/company/")
    panel = page.locator("[data-matches=exhibitor]")
    expect(panel.locator("h2")).to_have_text("Buyers looking for what you sell")
    wanted = panel.locator(f"li[data-key='{request.buyer.key}/{request.reference}']")
    expect(wanted).to_contain_text("Astana Import Trading LLP")
    expect(wanted).to_contain_text("certified: HALAL")
    expect(wanted.locator("[data-action=quote]")).to_be_visible()
    page.screenshot(path=artifacts / "matchmaking-exhibitor-dashboard.png", full_page=True)
