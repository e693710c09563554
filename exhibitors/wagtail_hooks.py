"""The resource database (客商资源库) in the Wagtail admin menu."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
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
