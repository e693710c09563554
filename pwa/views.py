"""Manifest (in the reader's language), the service worker at the site root, the offline page."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

SERVICE_WORKER = "pwa/sw.js"
# Taken from static/css/expo.css: --fx-red (the header rule and the brand mark) and --fx-bg.
THEME_COLOUR = "#c8102e"
BACKGROUND_COLOUR = "#f7f5f2"
ICONS = [
    {"src": "pwa/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "pwa/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {"src": "pwa/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
]
# Static files every page uses, fetched when the service worker installs.
PRECACHED_STATIC = ["css/expo.css", "img/favicon.svg", "pwa/pwa.js", "pwa/icon-192.png"]


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, named and described in the language of the URL (``/`` or ``/en/``)."""
    start_url = reverse("home")
    data = {
        "id": start_url,
        "name": gettext("China Food Expo"),
        "short_name": gettext("Food Expo"),
        "description": gettext(
            "China (Luohe) Food Expo: exhibitors, buyers and food products all year round."
        ),
        "lang": "zh-Hans" if get_language() == "zh-hans" else get_language(),
        "dir": "ltr",
        "start_url": start_url,
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["business", "food", "shopping"],
        "icons": [{**icon, "src": static(icon["src"])} for icon in ICONS],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


def _read_static(name: str) -> bytes:
    """A static file's bytes: from the source folders when they are there, else from the
    collected files (production serves ``STATIC_ROOT``)."""
    path = finders.find(name)
    if path:
        with open(path, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(name) as handle:
        return handle.read()


@lru_cache(maxsize=4)
def _service_worker_body(prefixes: tuple[str, ...], debug: bool) -> bytes:
    source = _read_static(SERVICE_WORKER)
    precache = [static(name) for name in PRECACHED_STATIC]
    precache += [f"{prefix}/offline/" for prefix in prefixes]
    digest = hashlib.sha256(source)
    for name in PRECACHED_STATIC:
        digest.update(_read_static(name))
    digest.update(json.dumps(precache).encode())
    config = {
        "version": digest.hexdigest()[:12],
        "precache": precache,
        "offline": {prefix or "": f"{prefix}/offline/" for prefix in prefixes},
        "staticUrl": settings.STATIC_URL,
    }
    prelude = f"self.FX_SW = {json.dumps(config)};\n".encode()
    return prelude + source


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """``static/pwa/sw.js`` served at ``/sw.js`` so that its scope can be the whole site.

    A first line names the cache version (a hash of the worker and of the files it precaches,
    so that a deploy that changes them replaces the old caches) and the URLs to precache,
    which pass through the static storage and so carry hashed names where the storage adds them.
    """
    prefixes = tuple("" if code == settings.LANGUAGE_CODE else f"/{code}" for code, _ in settings.LANGUAGES)
    # In development the files change under a running server: no memo then.
    body = (
        _service_worker_body.__wrapped__(prefixes, True)
        if settings.DEBUG
        else _service_worker_body(prefixes, False)
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows for a page that was never saved, in its language."""
    return render(request, "offline.html")
