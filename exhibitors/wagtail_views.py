"""Staff tools in the Wagtail admin: company lists with filters, review, verify or reject,
merge duplicates. Shared by the exhibitor and buyer sides."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from . import services
from .forms import RejectForm
from .models import CertificateStatus, CompanyStatus, Exhibitor

Category = get_model("catalogue", "Category")

COMPANY_FORM_FIELDS = [
    "key",
    "name_zh",
    "name_en",
    "country",
    "province",
    "city",
    "description_zh",
    "description_en",
    "website",
    "contact_name",
    "contact_phone",
    "contact_email",
    "status",
    "rejection_reason",
    "logo",
    "business_licence",
]


class CategoryTreeFilter(django_filters.ModelChoiceFilter):
    """A category matches itself and everything below it."""

    def __init__(self, *args, relation: str, **kwargs):
        self.relation = relation
        super().__init__(*args, queryset=Category.objects.order_by("path"), **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.relation}__path__startswith": value.path}).distinct()


class CompanyFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CompanyStatus.choices)
    province = django_filters.CharFilter(label=_("Province"), lookup_expr="icontains")
    country = django_filters.CharFilter(label=_("Country"), lookup_expr="iexact")


class ExhibitorFilterSet(CompanyFilterSet):
    category = CategoryTreeFilter(label=_("Category"), relation="categories")
    edition = django_filters.NumberFilter(
        label=_("Expo edition (year)"), field_name="participations__edition"
    )
    certificate = django_filters.ChoiceFilter(
        label=_("Certificates"),
        method="filter_certificate",
        choices=[
            ("expiring30", _("expiring within 30 days")),
            ("expiring7", _("expiring within 7 days")),
            ("expired", _("expired")),
        ],
    )

    class Meta:
        model = Exhibitor
        fields = []

    def filter_certificate(self, qs, name, value):
        today = timezone.localdate()
        if value == "expired":
            condition = Q(certificates__status=CertificateStatus.EXPIRED)
        else:
            days = 30 if value == "expiring30" else 7
            condition = Q(
                certificates__status=CertificateStatus.VALID,
                certificates__valid_until__gte=today,
                certificates__valid_until__lte=today + timedelta(days=days),
            )
        return qs.filter(condition).distinct()


class CompanyReviewView(InspectView):
    """The inspect page with the review actions (verify, reject, merge) beside the fields."""

    action_url_names: dict[str, str] = {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_urls"] = {
            action: reverse(name, args=[self.object.pk]) for action, name in self.action_url_names.items()
        }
        return context


class CompanyViewSet(ModelViewSet):
    """Lists, search, filters and editing of companies; review pages verify, reject or merge."""

    icon = "group"
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    search_fields = ["key", "name_zh", "name_en", "city", "province"]
    search_backend_name = None
    list_display = [
        Column("display_name", label=_("Company"), accessor="display_name"),
        "key",
        "province",
        StatusTagColumn("status", label=_("Status"), accessor="get_status_display", primary=False),
        "updated_at",
    ]
    list_export = ["key", "name_zh", "name_en", "country", "province", "city", "status"]
    inspect_template_name = "exhibitors/admin/company_review.html"
    inspect_view_class = CompanyReviewView
    review_actions = ("verify", "reject")

    def get_inspect_view_kwargs(self, **kwargs):
        names = {action: self.get_url_name(action) for action in self.review_actions}
        return super().get_inspect_view_kwargs(action_url_names=names, **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("verify/<int:pk>/", self.verify_view, name="verify"),
            path("reject/<int:pk>/", self.reject_view, name="reject"),
        ]

    def _require(self, request, action: str = "change"):
        if not self.permission_policy.user_has_permission(request.user, action):
            raise PermissionDenied

    def _review_url(self, company) -> str:
        return reverse(self.get_url_name("inspect"), args=[company.pk])

    def verify_view(self, request, pk):
        self._require(request)
        company = get_object_or_404(self.model, pk=pk)
        if request.method == "POST":
            services.company_verify(company=company)
            messages.success(request, _("%(company)s is verified.") % {"company": company.display_name})
        return redirect(self._review_url(company))

    def reject_view(self, request, pk):
        self._require(request)
        company = get_object_or_404(self.model, pk=pk)
        form = RejectForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.company_reject(company=company, reason=form.cleaned_data["reason"])
                messages.success(request, _("%(company)s is rejected.") % {"company": company.display_name})
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        elif request.method == "POST":
            messages.error(request, _("Give the company a reason, so it knows what to fix."))
        return redirect(self._review_url(company))


class MergeForm(forms.Form):
    duplicate_key = forms.CharField(label=_("Key of the duplicate to fold into this company"), max_length=64)


class ExhibitorViewSet(CompanyViewSet):
    model = Exhibitor
    menu_label = _("Exhibitors")
    filterset_class = ExhibitorFilterSet
    form_fields = [*COMPANY_FORM_FIELDS, "categories"]
    review_actions = ("verify", "reject", "merge")

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("merge/<int:pk>/", self.merge_view, name="merge")]

    def merge_view(self, request, pk):
        self._require(request, "delete")
        keep = get_object_or_404(Exhibitor, pk=pk)
        form = MergeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            duplicate = Exhibitor.objects.filter(key=form.cleaned_data["duplicate_key"].strip()).first()
            if duplicate is None:
                form.add_error("duplicate_key", _("No exhibitor has this key."))
            else:
                try:
                    services.exhibitor_merge(keep=keep, duplicate=duplicate)
                    messages.success(request, _("Merged into %(company)s.") % {"company": keep.display_name})
                    return redirect(self._review_url(keep))
                except ValidationError as error:
                    form.add_error("duplicate_key", error)
        return TemplateResponse(
            request,
            "exhibitors/admin/company_merge.html",
            {"company": keep, "form": form, "back": self._review_url(keep), "header_icon": "group"},
        )


exhibitor_viewset = ExhibitorViewSet("exhibitors")
