"""``/api/v1/`` sourcing requests (采购需求) of the acting buyer and the acting company's matches.

Writes go through ``buyers.services`` with the HTML page's ``SourcingRequestForm``; matches are
``search.matching``'s answer with its reasons, as ``/api/match/`` gives it."""

from __future__ import annotations

import base64
import binascii

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from buyers import selectors, services
from buyers.forms import SourcingRequestForm
from buyers.models import SourcingRequest
from search.api_match import _as_of, _limit
from search.matching import DEFAULT_LIMIT, MAX_LIMIT, UnknownSubject, match_subject
from stats.services import log_matches

from .members import FormInvalid, MemberAPIView, form_data, refusal
from .negotiation import _PagedList, answer_of, page_of


def request_repr(request) -> dict:
    return {
        "id": request.pk,
        "reference": request.reference,
        "title": request.title,
        "category": request.category.slug if request.category_id else None,
        "description": request.description,
        "quantity": str(request.quantity) if request.quantity is not None else None,
        "unit": request.unit,
        "target_price": str(request.target_price) if request.target_price is not None else None,
        "currency": request.currency,
        "delivery_region": request.delivery_region,
        "deliver_by": request.deliver_by.isoformat() if request.deliver_by else None,
        "required_certifications": request.required_certifications,
        "storage": request.storage,
        "status": request.status,
        "status_display": request.get_status_display(),
        "created_at": request.created_at.isoformat(),
    }


def _buyer_only(view) -> None:
    view.require_side("buyer")


class SourcingRequestListView(_PagedList):
    """My buyer company's sourcing requests, newest first; ``POST`` posts one."""

    def rows(self):
        _buyer_only(self)
        return selectors.sourcing_request_list(membership=self.membership)

    def represent(self, request):
        return request_repr(request)

    @extend_schema(responses=page_of("SourcingRequestPage"))
    def get(self, request):
        return super().get(request)

    @extend_schema(
        request=inline_serializer(
            "SourcingRequestCreate",
            {
                "title": serializers.CharField(),
                "category": serializers.IntegerField(required=False),
                "description": serializers.CharField(required=False),
                "quantity": serializers.DecimalField(max_digits=14, decimal_places=2, required=False),
                "unit": serializers.CharField(required=False),
                "target_price": serializers.DecimalField(max_digits=12, decimal_places=2, required=False),
                "currency": serializers.CharField(required=False),
                "delivery_region": serializers.CharField(required=False),
                "deliver_by": serializers.DateField(required=False),
                "required_certifications": serializers.ListField(
                    child=serializers.CharField(), required=False
                ),
                "storage": serializers.CharField(required=False),
            },
        ),
        responses={201: answer_of("SourcingRequestAnswer", "request")},
        examples=[
            OpenApiExample(
                "Post", value={"title": "辣条 latiao, 500 cartons", "quantity": "500", "unit": "箱"}
            )
        ],
    )
    def post(self, request):
        _buyer_only(self)
        data = form_data(request)[0]
        if not data.get("currency"):
            data["currency"] = SourcingRequest._meta.get_field("currency").default  # the page's initial
        form = SourcingRequestForm(data)
        if not form.is_valid():
            raise FormInvalid(form)
        try:
            created = services.sourcing_request_create(membership=self.membership, data=form.request_data())
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(
            {
                "detail": _("The sourcing request %(reference)s is saved.")
                % {"reference": created.reference},
                "request": request_repr(created),
            },
            status=status.HTTP_201_CREATED,
        )


class SourcingRequestCloseView(MemberAPIView):
    """Close one of my requests: exhibitors no longer see it, its open quotes expire."""

    @extend_schema(request=None, responses={200: answer_of("SourcingRequestClosed", "request")})
    def post(self, request, pk: int):
        _buyer_only(self)
        sourcing_request = selectors.sourcing_request_get(membership=self.membership, pk=pk)
        try:
            closed = services.sourcing_request_close(membership=self.membership, request=sourcing_request)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(
            {
                "detail": _("The request is closed: exhibitors no longer see it."),
                "request": request_repr(closed),
            }
        )


def _match_offset(cursor: str) -> int:
    """The position a match cursor (as ``next``/``previous`` give it) points at."""
    if not cursor:
        return 0
    try:
        offset = int(base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii").removeprefix("o="))
    except (ValueError, UnicodeError, binascii.Error):
        raise NotFound(_("Invalid cursor")) from None
    if not 0 <= offset < MAX_LIMIT:
        raise NotFound(_("Invalid cursor"))
    return offset


def _match_cursor(request, offset: int) -> str:
    token = base64.urlsafe_b64encode(f"o={offset}".encode("ascii")).decode("ascii")
    return replace_query_param(request.build_absolute_uri(), "cursor", token)


class MatchListView(MemberAPIView):
    """The best counterparts of the acting company (or of one of its requests, ``?request=id``),
    best first, each with a score and the reasons in the reader's language.

    A ranking, in cursor pages of ``limit`` (``next``/``previous``) down to the best
    100; each page is ranked afresh, so a counterpart that rose or fell since the last
    page may show twice or not at all."""

    @extend_schema(
        parameters=[
            OpenApiParameter("request", int, description="one of my sourcing requests"),
            OpenApiParameter("limit", int, description=f"1-{MAX_LIMIT}, default {DEFAULT_LIMIT}"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="certificates valid on this day"),
            OpenApiParameter("cursor", str, description="the page that ``next`` or ``previous`` names"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        limit, as_of = _limit(request.query_params.get("limit")), _as_of(request.query_params.get("as_of"))
        offset = _match_offset(request.query_params.get("cursor", ""))
        company = self.membership.company
        kind, key = self.side, company.key
        wanted = request.query_params.get("request", "")
        if wanted:
            _buyer_only(self)
            if not wanted.isdigit():
                raise NotFound(_("There is no API endpoint at this address."))
            try:
                own = selectors.sourcing_request_get(membership=self.membership, pk=int(wanted))
            except Http404:
                raise NotFound() from None
            kind, key = "request", f"{company.key}/{own.reference}"
        end = min(offset + limit, MAX_LIMIT)
        try:
            # One more than the page, to know whether there is a next one.
            answer = match_subject(kind, key, limit=min(end + 1, MAX_LIMIT), as_of=as_of)
        except UnknownSubject as error:
            raise NotFound(str(error)) from None
        ranked = answer["results"]
        answer["results"] = ranked[offset:end]
        answer["next"] = _match_cursor(request, end) if len(ranked) > end else None
        answer["previous"] = _match_cursor(request, max(offset - limit, 0)) if offset else None
        return Response(log_matches(answer=answer, source="api"))
