"""Staff tools for buyer companies and sourcing requests in the Wagtail admin."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.model import ModelViewSet

from exhibitors.wagtail_views import COMPANY_FORM_FIELDS, CategoryTreeFilter, CompanyFilterSet, CompanyViewSet

from .models import Buyer, BuyerType, RequestStatus, SourcingRequest


class BuyerFilterSet(CompanyFilterSet):
    buyer_type = django_filters.ChoiceFilter(label=_("Buyer type"), choices=BuyerType.choices)
    category = CategoryTreeFilter(label=_("Category"), relation="interests")

    class Meta:
        model = Buyer
        fields = []


class BuyerViewSet(CompanyViewSet):
    model = Buyer
    menu_label = _("Buyers")
    filterset_class = BuyerFilterSet
    form_fields = [
        *COMPANY_FORM_FIELDS,
        "buyer_type",
        "interests",
        "keywords",
        "target_markets",
        "annual_volume_cny",
        "required_certifications",
    ]


class SourcingRequestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RequestStatus.choices)
    category = CategoryTreeFilter(label=_("Category"), relation="category")

    class Meta:
        model = SourcingRequest
        fields = []


class SourcingRequestViewSet(ModelViewSet):
    model = SourcingRequest
    icon = "form"
    menu_label = _("Sourcing requests")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    filterset_class = SourcingRequestFilterSet
    search_fields = ["reference", "title", "buyer__name_zh", "buyer__name_en", "buyer__key"]
    search_backend_name = None
    list_display = ["title", "buyer", "reference", "status", "deliver_by"]
    form_fields = [
        "buyer",
        "reference",
        "title",
        "category",
        "description",
        "quantity",
        "unit",
        "target_price",
        "currency",
        "delivery_region",
        "deliver_by",
        "required_certifications",
        "storage",
        "status",
    ]


buyer_viewset = BuyerViewSet("buyers")
sourcing_request_viewset = SourcingRequestViewSet("sourcing_requests")
