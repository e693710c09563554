"""An exhibitor registers and builds its profile; staff verify it; the badge shows publicly."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from expo.demo.loader import DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
KEY = "91411100MA9BROWSE1"


def test_exhibitor_registers_is_verified_by_staff_and_shows_the_badge(
    page: Page, live_server, site_data, artifacts, tmp_path
):
    licence = tmp_path / "licence.pdf"
    licence.write_bytes(PDF)
    certificate = tmp_path / "halal.pdf"
    certificate.write_bytes(PDF)
    page.set_viewport_size({"width": 390, "height": 844})

    # 1. A new person registers the company as an exhibitor (Chinese interface).
    page.goto(live_server.url + "/")
    page.locator(".fx-hero a", has_text="加入参展商或采购商").click()
    expect(page).to_have_url(re.compile(r"/company/register/$"))
    page.fill("#id_email", "owner@shali-foods.example")
    page.fill("#id_password1", "Shali-foods-2026!")
    page.fill("#id_password2", "Shali-foods-2026!")
    page.check("input[name=side][value=exhibitor]")
    page.fill("#id_key", KEY)
    page.fill("#id_name_zh", "漯河沙澧辣条食品有限公司")
    page.fill("#id_province", "河南")
    page.fill("#id_city", "漯河")
    page.get_by_role("button", name="注册").click()
    expect(page).to_have_url(re.compile(r"/company/profile/$"))

    # 2. The profile in both languages, with the business licence.
    page.fill("#id_name_en", "Luohe Shali Latiao Foods Co., Ltd.")
    page.fill("#id_description_zh", "专业生产辣条二十年。")
    page.fill("#id_description_en", "Twenty years of latiao.")
    page.set_input_files("#id_business_licence", str(licence))
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".fx-messages")).to_contain_text("已保存")

    # 3. A certificate with its scanned document.
    page.get_by_role("link", name="证书", exact=True).first.click()
    page.get_by_role("link", name="添加证书").click()
    page.select_option("#id_code", "HALAL")
    page.fill("#id_number", "HL-2026-0001")
    page.fill("#id_valid_until", (timezone.localdate() + timedelta(days=400)).isoformat())
    page.set_input_files("#id_document", str(certificate))
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-certificate=HALAL]")).to_be_visible()
    page.goto(live_server.url + "/company/")
    expect(page.locator("[data-status=pending]")).to_be_visible()
    page.screenshot(path=artifacts / "company-centre-pending-phone.png", full_page=True)

    # 4. Staff verify the company in the Wagtail admin.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/exhibitors/?status=pending")
    page.fill("input[name=username]", DEMO_STAFF_EMAIL)
    page.fill("input[name=password]", DEMO_STAFF_PASSWORD)
    page.locator("form.login-form button").first.click()
    page.get_by_text("漯河沙澧辣条食品有限公司").first.wait_for()
    page.goto(live_server.url + "/admin/exhibitors/?q=" + KEY)
    row = page.locator("tr", has_text=KEY)
    expect(row).to_contain_text("待审核")
    from exhibitors.models import Exhibitor

    pk = Exhibitor.objects.get(key=KEY).pk
    page.goto(live_server.url + f"/admin/exhibitors/inspect/{pk}/")
    page.screenshot(path=artifacts / "admin-company-review.png", full_page=True)
    page.locator("[data-action=verify]").click()
    expect(page.locator("[data-company-status=verified]")).to_be_visible()

    # 5. The public page shows the badge and the certificate, in English too.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + f"/en/exhibitors/{KEY}/")
    expect(page.locator("h1")).to_have_text("Luohe Shali Latiao Foods Co., Ltd.")
    expect(page.locator("[data-badge=verified]")).to_be_visible()
    expect(page.locator("[data-certificate=HALAL]")).to_be_visible()
    expect(page.locator("[data-contacts=hidden]")).to_be_visible()
    page.screenshot(path=artifacts / "exhibitor-public-verified-phone.png", full_page=True)
