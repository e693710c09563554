"""An outage of a service the site depends on answers 503 "temporarily unavailable", not 500.

The database (PostgreSQL or SQLite unreachable, a connection dropped mid-request), the
broker (Redis) and the search engine can each be down for a while. A page then answers a
self-contained 503 page in the reader's language (``templates/503.html``: no base template,
no context processors, so rendering it needs none of those services); the JSON API answers
``{"error": "service_unavailable", "detail": ...}``. Both carry ``Retry-After``.

Two places catch an outage: :class:`ServiceUnavailableMiddleware` for one raised by a view
(and the request's transaction, ``ATOMIC_REQUESTS``), and :func:`server_error`, the 500
handler, for one raised in a middleware before the view (loading the session or the basket).
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


def outage_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "a service is down", not "our code is wrong"."""
    import kombu.exceptions
    import redis.exceptions
    from django.db import InterfaceError, OperationalError

    from search.backends import SearchUnavailable

    return (
        OperationalError,
        InterfaceError,
        kombu.exceptions.OperationalError,
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
        SearchUnavailable,
    )


def is_outage(exc: BaseException | None) -> bool:
    """Whether ``exc``, or an exception it was raised from, is an outage."""
    errors = outage_errors()
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, errors):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def wants_json(request: HttpRequest) -> bool:
    if request.path_info.startswith(API_PREFIX):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _language(request: HttpRequest) -> str:
    languages = dict(settings.LANGUAGES)
    if wants_json(request):
        wanted = request.GET.get("lang", "")
        if wanted in languages:
            return wanted
        return translation.get_language_from_request(request, check_path=False)
    # Pages: the URL prefix decides (Chinese unprefixed), as LocaleMiddleware does.
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def _headers(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def api_unavailable(
    request: HttpRequest, *, code: str = "service_unavailable", detail: str = ""
) -> JsonResponse:
    """The API's 503 answer, in the API's error shape."""
    with translation.override(_language(request)):
        detail = detail or _("The service is temporarily unavailable; please try again in a minute.")
        response = JsonResponse({"error": code, "detail": str(detail)}, status=503)
    return _headers(response)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer to ``request``: JSON for the API, else the friendly page."""
    if wants_json(request):
        return api_unavailable(request)
    language = _language(request)
    with translation.override(language):
        html = loader.render_to_string(
            "503.html",
            {
                "language": language,
                "home_url": "/" if language == settings.LANGUAGE_CODE else f"/{language}/",
                "was_sending": request.method not in ("GET", "HEAD", "OPTIONS"),
                "retry_after": RETRY_AFTER_SECONDS,
            },
        )
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Content-Language"] = language
    return _headers(response)


def _log(request: HttpRequest, exc: BaseException) -> None:
    logger.error("Service unavailable: %s %s: %s: %s", request.method, request.path, type(exc).__name__, exc)


class ServiceUnavailableMiddleware:
    """Answer 503 when the view (or its transaction) fails because a service is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        _log(request, exception)
        return unavailable_response(request)


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    """``handler500``: an outage raised outside the view still answers 503; the rest, 500."""
    exc = sys.exc_info()[1]
    if is_outage(exc):
        return unavailable_response(request)
    if wants_json(request):
        return JsonResponse({"error": "server_error", "detail": "Internal server error."}, status=500)
    return defaults.server_error(request, template_name)
