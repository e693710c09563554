"""``/api/v1/staff/``: expo staff review the companies that signed up, as in the admin's
review page (``exhibitors.wagtail_views``): verify, or reject with a reason the company reads.

Staff only (``is_staff``), and only those the admin lets change that kind of company; the
changes go through ``exhibitors.services`` (the company is told by e-mail, as from the admin)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from buyers.models import Buyer
from exhibitors import services
from exhibitors.models import CompanyStatus, Exhibitor

from .common import (
    APP_AUTHENTICATION,
    ConditionalGetMixin,
    FilteredListMixin,
    NewestFirst,
    ReaderLanguageMixin,
)
from .members import refusal

SIDES = {"exhibitor": Exhibitor, "buyer": Buyer}


def company_model(request, side: str):
    """The company model of ``side``, if the staff member may change it (as in the admin)."""
    model = SIDES.get(side)
    if model is None:
        raise NotFound(_("There is no API endpoint at this address."))
    meta = model._meta
    if not request.user.has_perm(f"{meta.app_label}.change_{meta.model_name}"):
        raise PermissionDenied(_("You may not review these companies."))
    return model


class StaffCompanySerializer(serializers.Serializer):
    def to_representation(self, company) -> dict:
        return {
            "id": company.pk,
            "key": company.key,
            "name": company.display_name,
            "name_zh": company.name_zh,
            "name_en": company.name_en,
            "country": company.country,
            "province": company.province,
            "city": company.city,
            "status": company.status,
            "status_display": company.get_status_display(),
            "rejection_reason": company.rejection_reason,
            "verified_at": company.verified_at.isoformat() if company.verified_at else None,
            "created_at": company.created_at.isoformat(),
        }


class StatusFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=CompanyStatus.choices, required=False)


class Review(serializers.Serializer):
    status = serializers.ChoiceField(choices=[CompanyStatus.VERIFIED, CompanyStatus.REJECTED])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class StaffCompanyListView(FilteredListMixin, ConditionalGetMixin, generics.ListAPIView):
    """Companies of one side (``exhibitor`` or ``buyer``), newest first, in cursor pages;
    ``?status=pending`` for those waiting for review."""

    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAdminUser]
    serializer_class = StaffCompanySerializer
    pagination_class = NewestFirst
    filter_serializer = StatusFilter

    def get_queryset(self):
        model = company_model(self.request, self.kwargs["side"])
        wanted = self.wanted_filters()
        companies = model.objects.all()
        if wanted.get("status"):
            companies = companies.filter(status=wanted["status"])
        return companies


class StaffCompanyView(ReaderLanguageMixin, APIView):
    """One company: read it, or review it (``verified``; ``rejected`` with a reason)."""

    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAdminUser]

    def company(self, request, side: str, key: str):
        model = company_model(request, side)
        company = model.objects.filter(key=key[:64]).first()
        if company is None:
            raise NotFound(_("No company has this key."))
        return company

    @extend_schema(responses={200: StaffCompanySerializer})
    def get(self, request, side: str, key: str):
        return Response(StaffCompanySerializer(self.company(request, side, key)).data)

    @extend_schema(
        request=Review,
        responses={200: StaffCompanySerializer},
        examples=[
            OpenApiExample("Verify", value={"status": "verified"}, request_only=True),
            OpenApiExample(
                "Reject",
                value={"status": "rejected", "reason": "The business licence is unreadable."},
                request_only=True,
            ),
        ],
    )
    def patch(self, request, side: str, key: str):
        company = self.company(request, side, key)
        review = Review(data=request.data)
        review.is_valid(raise_exception=True)
        try:
            if review.validated_data["status"] == CompanyStatus.VERIFIED:
                company = services.company_verify(company=company)
            else:
                company = services.company_reject(
                    company=company, reason=review.validated_data.get("reason", "")
                )
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(StaffCompanySerializer(company).data)
