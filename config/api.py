"""JSON API conventions: every error is ``{"error": code, "detail": text}``."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler


def reader_language(request) -> str:
    """The API sits outside the language prefixes: ``?lang=`` or the Accept-Language header
    (then the language cookie) says which language an answer's texts come in."""
    request = getattr(request, "_request", request)  # a REST framework request or Django's own
    wanted = request.GET.get("lang", "")
    if wanted in dict(settings.LANGUAGES):
        return wanted
    return translation.get_language_from_request(request, check_path=False)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        from config.faults import api_unavailable, is_outage

        if is_outage(exc):
            set_rollback()
            return api_unavailable(context["request"]._request)
        return None
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    code = getattr(getattr(exc, "default_code", None), "__str__", lambda: "error")()
    if detail is None:
        detail = response.data
        code = "invalid"
    else:
        code = getattr(detail, "code", code) or code
    response.data = {"error": str(code), "detail": detail if not isinstance(detail, str) else str(detail)}
    return response


class ApiRootView(APIView):
    """Where the API's endpoints and documentation are."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request):
        return Response(
            {
                "schema": reverse("api-schema", request=request),
                "docs": reverse("api-docs", request=request),
                "categories": reverse("api-categories", request=request),
            }
        )


@extend_schema(exclude=True)
class ApiNotFoundView(APIView):
    """Any other address under ``/api/``: a JSON 404 like the rest of the API, not the site's
    HTML page (e.g. a match key with a line break, which no ``<path:>`` converter takes)."""

    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
        with translation.override(reader_language(request)):
            raise NotFound(_("There is no API endpoint at this address."))

    post = put = patch = delete = head = options = get


def public_api_only(endpoints, **kwargs):
    """drf-spectacular hook: document our API, not the Wagtail admin's internal one."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
