"""What every ``/api/v1/`` view shares: the acting company, cursor pages and conditional GET."""

from __future__ import annotations

import hashlib

from django.http import HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_vary_headers
from drf_spectacular.openapi import AutoSchema
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import CursorPagination
from rest_framework_simplejwt.authentication import JWTAuthentication

from config.api import reader_language
from exhibitors.selectors import SESSION_KEY, current_membership

COMPANY_HEADER = "HTTP_X_COMPANY"
# The token first: a request without credentials is challenged with 401 ``Bearer``, not 403.
APP_AUTHENTICATION = [JWTAuthentication, SessionAuthentication]


def acting_membership(request):
    """The company the token's person acts for: the ``X-Company`` header (``buyer:12`` or
    ``exhibitor:3``, as the site's company switcher names them) if it is theirs, else their
    first company, as on the site; None for a visitor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return current_membership(user=user, session={SESSION_KEY: request.META.get(COMPANY_HEADER, "")})


class NewestFirst(CursorPagination):
    """Cursor pages (``?cursor=``), newest first: stable while rows are added."""

    ordering = ("-id",)
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class FilterSchema(AutoSchema):
    """Documents a list's ``filter_serializer`` as its query parameters."""

    def get_override_parameters(self):
        filters = getattr(self.view, "filter_serializer", None)
        return [*super().get_override_parameters(), *([filters] if filters else [])]


class FilteredListMixin:
    """A list filtered by the query parameters ``filter_serializer`` declares: checked before
    any query (a bad value is a 400 naming it) and documented in the schema."""

    filter_serializer: type | None = None
    schema = FilterSchema()

    def wanted_filters(self) -> dict:
        filters = self.filter_serializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filters.validated_data


class ReaderLanguageMixin:
    """Answers in the reader's language: ``?lang=``, else ``Accept-Language`` (the API has no
    language prefix), errors included."""

    def dispatch(self, request, *args, **kwargs):
        with translation.override(reader_language(request)):
            return super().dispatch(request, *args, **kwargs)


class ConditionalGetMixin(ReaderLanguageMixin):
    """``ETag`` on every successful read; ``If-None-Match`` with it answers 304, no body.

    The tag is the digest of the body, so it changes exactly when what the reader sees does
    (their language and company included: ``Vary`` names both)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language", "Authorization", "X-Company"))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        wanted = [tag.strip() for tag in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]
        if etag in wanted or f"W/{etag}" in wanted:
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Vary"):
                not_modified[header] = response[header]
            return not_modified
        return response
