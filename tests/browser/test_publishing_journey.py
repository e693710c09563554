"""An editor writes an article in Chinese and English and submits it; a moderator approves;
the article appears on the home page in both languages."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from expo.models import NewsIndexPage, NewsPage

PASSWORD = "pw-2026-expo"


def staff(email: str, group: str):
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def login(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.login-form button").first.click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def submit_for_moderation(page: Page) -> None:
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target=toggle]").last.click()
    with page.expect_navigation():
        page.locator("button[name=action-submit]").click()


def approve(page: Page) -> None:
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target=toggle]").last.click()
    with page.expect_navigation():
        page.locator(
            "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
        ).click()


def test_editor_writes_moderator_approves_home_shows_it_in_both_languages(
    page: Page, live_server, site_data, artifacts
):
    base = live_server.url
    staff("editor@foodexpo.example", "Editors")
    staff("moderator@foodexpo.example", "Moderators")
    news_index = NewsIndexPage.objects.get(locale__language_code="zh-hans")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The editor writes the Chinese article and submits it.
    login(page, base, "editor@foodexpo.example")
    page.goto(base + f"/admin/pages/add/expo/newspage/{news_index.pk}/")
    page.fill("#id_title", "漯河食博会签约额创新高")
    page.fill("#id_intro", "本届食博会现场签约项目金额创历史新高。")
    submit_for_moderation(page)
    expect(page.locator(".messages")).to_be_visible()
    article = NewsPage.objects.get(title="漯河食博会签约额创新高")
    assert not article.live

    # ... then its English translation, and submits that too.
    page.goto(base + f"/admin/translation/submit/page/{article.pk}/")
    page.locator("input[name=locales]").last.check()
    page.locator("main form [type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.fill("#id_title", "Record deals signed at the Luohe food expo")
    page.fill("#id_intro", "Deals signed at this year's expo reached a record.")
    submit_for_moderation(page)
    expect(page.locator(".messages")).to_be_visible()
    english = NewsPage.objects.get(title="Record deals signed at the Luohe food expo")
    page.screenshot(path=artifacts / "editor-submitted.png")

    # Nothing shows on the site before approval.
    page.goto(base + "/")
    expect(page.locator("#latest-news")).not_to_contain_text("漯河食博会签约额创新高")

    # The moderator approves both.
    login(page, base, "moderator@foodexpo.example")
    for pk in (article.pk, english.pk):
        page.goto(base + f"/admin/pages/{pk}/edit/")
        approve(page)
        expect(page.locator(".messages")).to_be_visible()
    page.screenshot(path=artifacts / "moderator-approved.png")

    # The home page shows the article in each language.
    page.context.clear_cookies()
    page.goto(base + "/")
    expect(page.locator("#latest-news")).to_contain_text("漯河食博会签约额创新高")
    page.goto(base + "/en/")
    expect(page.locator("#latest-news")).to_contain_text("Record deals signed at the Luohe food expo")
    page.get_by_role("link", name="Record deals signed at the Luohe food expo").click()
    expect(page.locator("h1")).to_have_text("Record deals signed at the Luohe food expo")
    page.locator('.fx-lang a[data-lang="zh-hans"]').click()
    expect(page.locator("h1")).to_have_text("漯河食博会签约额创新高")
