"""Statistics (统计监测): the staff dashboard of the expo's figures, the search and match
logs that feed it, and the daily snapshots that keep its history."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Statistics")
    default_auto_field = "django.db.models.BigAutoField"
