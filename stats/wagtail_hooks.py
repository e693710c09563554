"""The statistics dashboard (统计) in the Wagtail admin menu, for staff."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import dashboard_view, export_view, may_see_statistics


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_statistics(request.user)


@hooks.register("register_admin_urls")
def register_statistics_urls():
    return [
        path("stats/", dashboard_view, name="stats_dashboard"),
        path("stats/export/<slug:key>.<slug:fmt>", export_view, name="stats_export"),
    ]


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return StatisticsMenuItem(
        gettext_lazy("Statistics"), reverse("stats_dashboard"), icon_name="table", order=900
    )
