"""The URL map of CONTRACTS.md: languages, admins, API, sitemap, errors."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_chinese_home_at_root_and_english_under_en(client):
    zh = client.get("/")
    assert zh.status_code == 200
    assert '<html lang="zh-hans">' in zh.content.decode()
    assert "永不落幕的食博会" in zh.content.decode()
    en = client.get("/en/")
    assert en.status_code == 200
    assert '<html lang="en">' in en.content.decode()


def test_every_html_page_has_hreflang_links_and_a_language_switch(client):
    for url in ["/", "/en/", "/catalogue/", "/en/catalogue/", "/basket/", "/en/accounts/login/"]:
        html = client.get(url).content.decode()
        assert 'hreflang="zh-hans"' in html and 'hreflang="en"' in html, url
        assert 'data-lang="en"' in html and 'data-lang="zh-hans"' in html, url


def test_language_switch_on_a_shop_page_stays_on_that_page(client):
    html = client.get("/catalogue/").content.decode()
    assert 'href="/en/catalogue/"' in html
    html = client.get("/en/catalogue/").content.decode()
    assert 'href="/catalogue/"' in html


@pytest.mark.parametrize("url", ["/admin/", "/dashboard/", "/en/dashboard/"])
def test_admins_send_visitors_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_admins_open_for_staff(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/dashboard/").status_code == 200


def test_customer_cannot_open_the_admins(client, django_user_model):
    user = django_user_model.objects.create_user(
        username="buyer@example.com", email="buyer@example.com", password="x"
    )
    client.force_login(user)
    assert client.get("/admin/").status_code in (302, 403)
    assert client.get("/dashboard/").status_code in (302, 403)


def test_api_schema_and_docs(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/categories/" in schema.content
    assert b"/admin/api" not in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    for code in ("zh-hans", "en", "x-default"):
        assert f'hreflang="{code}"' in page, code
    assert "/api/docs/?lang=en" in page
    assert "/api/schema/?lang=en" in client.get("/api/docs/?lang=en").content.decode()


def test_api_errors_are_json(client):
    response = client.post("/api/categories/", {})
    assert response.status_code == 405
    assert set(response.json()) == {"error", "detail"}


@pytest.mark.parametrize("path", ["/api/no-such-endpoint/", "/api/match/buyer/line%0Abreak/"])
def test_an_unknown_api_address_is_a_json_404(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "There is no API endpoint at this address."}
    assert client.get("/api/products").status_code == 301  # the slash is still added
    assert b"api-not-found" not in client.get("/api/schema/").content


def test_sitemap_lists_pages_of_both_languages_with_alternates(client):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    body = client.get("/sitemap.xml").content.decode()
    assert "<urlset" in body
    assert "/about/</loc>" in body and "/en/about/</loc>" in body
    assert 'hreflang="en"' in body and 'hreflang="zh-hans"' in body


def test_language_switch_on_a_page_leads_to_its_translation(client):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    html = client.get("/about/").content.decode()
    assert 'href="/en/about/"' in html and "关于食博会" in html
    html = client.get("/en/about/").content.decode()
    assert 'href="/about/"' in html and "About the expo" in html


@pytest.mark.parametrize(
    ("url", "text"), [("/no-such-page/", "页面未找到"), ("/en/no-such-page/", "Page not found")]
)
def test_unknown_page_gives_a_friendly_404_in_its_language(client, url, text):
    response = client.get(url)
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.urls("tests.config.failing_urls")
def test_a_server_error_shows_no_stack_trace():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Traceback" not in body and "RuntimeError" not in body
    assert "Server error" in body
