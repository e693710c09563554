"""``GET /api/match/{buyer|request|exhibitor}/{key}/?limit=``: the answer of ``manage.py match
--json``, for members of that company (a request: of its buyer) and for staff only."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import reader_language
from exhibitors.models import Membership
from search.matching import DEFAULT_LIMIT, MAX_LIMIT, SUBJECT_KINDS, UnknownSubject, match_subject
from stats.services import log_matches


def _company_side(kind: str, key: str) -> tuple[str, str]:
    """Whose answer it is: (side, company key); a request belongs to its buyer."""
    if kind == "exhibitor":
        return "exhibitor", key
    return "buyer", key.partition("/")[0] if kind == "request" else key


def may_see_matches(user, *, kind: str, key: str) -> bool:
    """Staff, and members of the company the subject is (or belongs to)."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    side, company_key = _company_side(kind, key)
    return Membership.objects.filter(user=user, **{f"{side}__key": company_key}).exists()


def _limit(value: str | None) -> int:
    if value in (None, ""):
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise ValidationError({"limit": f"a whole number from 1 to {MAX_LIMIT}"}, code="invalid")
    return int(value)


def _as_of(value: str | None) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"as_of": "a date as YYYY-MM-DD"}, code="invalid") from None


class MatchView(APIView):
    """The best counterparts of a buyer, a sourcing request (``BUYER_KEY/REFERENCE``) or an
    exhibitor, best first, each with a score (0-1) and the reasons, in the reader's language
    (``?lang=`` or Accept-Language).
    Visible to the company itself and to staff; anyone else gets 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(SUBJECT_KINDS)),
            OpenApiParameter(
                "key", str, OpenApiParameter.PATH, description="BUYER_KEY/REFERENCE for a request"
            ),
            OpenApiParameter("limit", int, description=f"1-{MAX_LIMIT}, default {DEFAULT_LIMIT}"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="certificates valid on this day"),
            OpenApiParameter(
                "lang",
                str,
                enum=[code for code, _name in settings.LANGUAGES],
                description="language of the reasons",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, kind: str, key: str):
        if kind not in SUBJECT_KINDS or not may_see_matches(request.user, kind=kind, key=key):
            raise NotFound(f"No {kind} '{key}' that you may see.")
        limit, as_of = _limit(request.query_params.get("limit")), _as_of(request.query_params.get("as_of"))
        try:
            with translation.override(reader_language(request)):
                return Response(
                    log_matches(answer=match_subject(kind, key, limit=limit, as_of=as_of), source="api")
                )
        except UnknownSubject as error:
            raise NotFound(str(error)) from None
