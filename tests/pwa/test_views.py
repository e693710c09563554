"""The web app manifest, the service worker at /sw.js, the offline page and the head tags."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def _manifest(client, prefix: str) -> dict:
    response = client.get(f"{prefix}/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content.decode("utf-8"))


def _static_path(url: str) -> str:
    assert url.startswith("/static/")
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} is not a static file"
    return path


@pytest.mark.parametrize(
    ("prefix", "lang", "start_url"),
    [("", "zh-Hans", "/"), ("/en", "en", "/en/")],
)
def test_manifest_is_valid_json_with_the_fields_an_installable_app_needs(client, prefix, lang, start_url):
    data = _manifest(client, prefix)
    assert data["lang"] == lang
    assert data["start_url"] == start_url
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["name"] and data["short_name"] and data["description"]
    assert re.fullmatch(r"#[0-9a-f]{6}", data["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", data["background_color"])


def test_manifest_colours_are_the_sites_own():
    css = open(finders.find("css/expo.css"), encoding="utf-8").read()
    from pwa.views import BACKGROUND_COLOUR, THEME_COLOUR

    assert f"--fx-red: {THEME_COLOUR}" in css
    assert f"--fx-bg: {BACKGROUND_COLOUR}" in css


def test_manifest_names_follow_the_language(client):
    english = _manifest(client, "/en")
    assert english["name"] == "China Food Expo"
    chinese = _manifest(client, "")
    # Same fields either way; the texts come from the Chinese catalogue where translated.
    assert set(chinese) == set(english)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_manifest_icons_exist_with_the_stated_sizes_and_one_is_maskable(client, prefix):
    icons = _manifest(client, prefix)["icons"]
    sizes = {icon["sizes"] for icon in icons if icon["purpose"] == "any"}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon["purpose"] == "maskable" for icon in icons)
    for icon in icons:
        assert icon["type"] == "image/png"
        with Image.open(_static_path(icon["src"])) as image:
            assert image.format == "PNG"
            width, height = (int(n) for n in icon["sizes"].split("x"))
            assert image.size == (width, height)


def test_service_worker_is_served_at_the_root_with_its_scope_headers(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode("utf-8")
    source = open(finders.find("pwa/sw.js"), encoding="utf-8").read()
    assert body.endswith(source)


def test_service_worker_names_a_version_and_precaches_the_offline_pages(client):
    first_line = client.get("/sw.js").content.decode("utf-8").splitlines()[0]
    config = json.loads(first_line.removeprefix("self.FX_SW = ").removesuffix(";"))
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])
    assert {"/offline/", "/en/offline/", "/static/css/expo.css", "/static/pwa/pwa.js"} <= set(
        config["precache"]
    )
    assert config["offline"] == {"": "/offline/", "/en": "/en/offline/"}


def test_service_worker_refuses_anything_but_get(client):
    assert client.post("/sw.js").status_code == 405


def test_service_worker_never_handles_non_get_requests_or_private_pages():
    source = open(finders.find("pwa/sw.js"), encoding="utf-8").read()
    assert 'if (request.method !== "GET") return;' in source
    never = re.search(r"\(\?:(basket\|checkout[^)]*)\)", source).group(1).split("|")
    assert {"basket", "checkout", "accounts", "company", "admin", "dashboard", "api"} <= set(never)


@pytest.mark.parametrize(
    ("prefix", "lang", "title"), [("", "zh-hans", None), ("/en", "en", "You are offline")]
)
def test_offline_page_exists_in_both_languages(client, prefix, lang, title):
    response = client.get(f"{prefix}/offline/")
    assert response.status_code == 200
    html = response.content.decode("utf-8")
    assert f'<html lang="{lang}">' in html
    assert "data-offline-page" in html
    if title:
        assert title in html


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_links_the_manifest_icons_and_the_page_script(client, prefix):
    html = client.get(f"{prefix}/").content.decode("utf-8")
    assert f'<link rel="manifest" href="{prefix}/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#c8102e">' in html
    assert 'rel="apple-touch-icon" href="/static/pwa/apple-touch-icon.png"' in html
    assert 'src="/static/pwa/pwa.js"' in html and 'data-sw="/sw.js"' in html


def test_shop_pages_have_the_page_script_too(client):
    html = client.get("/en/basket/").content.decode("utf-8")
    assert 'src="/static/pwa/pwa.js"' in html
    assert "You are offline: nothing was sent." in html
