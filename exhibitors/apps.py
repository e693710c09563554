"""Exhibitors in the resource database (客商资源库): the food producers and traders who
show at the expo and sell online, with their members, certificates and expo
participation. Each exhibitor is tied to an Oscar ``Partner`` so its products and stock
are its own."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitorsConfig(AppConfig):
    name = "exhibitors"
    verbose_name = _("Exhibitors")
    default_auto_field = "django.db.models.BigAutoField"
