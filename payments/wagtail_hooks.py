"""A "Payments" entry in the Wagtail admin menu, for staff: transfers to confirm, refunds."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_staff


@hooks.register("register_admin_menu_item")
def register_payments_menu_item():
    return StaffMenuItem(_("Payments"), reverse("payments:staff-list"), icon_name="form", order=250)
