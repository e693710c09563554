"""The resource database (客商资源库) in the Wagtail admin menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from buyers.wagtail_views import buyer_viewset, sourcing_request_viewset

from .wagtail_views import exhibitor_viewset


class ResourceDatabaseGroup(ViewSetGroup):
    menu_label = _("Resource database")
    menu_icon = "group"
    menu_order = 200
    items = (exhibitor_viewset, buyer_viewset, sourcing_request_viewset)


@hooks.register("register_admin_viewset")
def register_resource_database():
    return ResourceDatabaseGroup()


@hooks.register("register_admin_urls")
def register_resource_import_urls():
    return [path("resources/", include("exhibitors.imports.urls"))]


@hooks.register("register_admin_menu_item")
def register_resource_import_menu_item():
    return MenuItem(_("Import / export"), reverse("resource_imports:import"), icon_name="upload", order=900)
