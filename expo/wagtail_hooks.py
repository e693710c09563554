"""Wagtail admin: choosers for featured exhibitors and products, event registrations,
and the site-wide search box's page search."""

from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail import hooks
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from exhibitors.models import Exhibitor

from .models import EventRegistration


class ExhibitorChooserViewSet(ChooserViewSet):
    model = Exhibitor
    icon = "group"
    choose_one_text = _("Choose an exhibitor")
    choose_another_text = _("Choose another exhibitor")
    per_page = 30


class ProductChooserViewSet(ChooserViewSet):
    model = get_model("catalogue", "Product")
    icon = "tag"
    choose_one_text = _("Choose a product")
    choose_another_text = _("Choose another product")
    per_page = 30


class EventRegistrationViewSet(ModelViewSet):
    """Registrations of every event, filterable by event and status, exportable as CSV/XLSX."""

    model = EventRegistration
    icon = "date"
    menu_label = _("Event registrations")
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["name", "email", "company", "event", "status", "created_at"]
    list_filter = ["status", "event"]
    list_export = ["event", "name", "email", "company", "phone", "status", "created_at"]
    export_filename = "event-registrations"
    search_fields = ["name", "email", "company"]
    search_backend_name = None
    form_fields = ["event", "name", "email", "company", "phone", "status"]


@hooks.register("register_admin_viewset")
def register_expo_viewsets():
    return [
        ExhibitorChooserViewSet("exhibitor_chooser"),
        ProductChooserViewSet("product_chooser"),
        EventRegistrationViewSet("event_registrations"),
    ]
