"""The expo's published face: Wagtail page types (home, standard pages; editions, halls,
booths, news and events as they land), StreamField blocks, the site chrome shared by
every page (header, language switch, footer) and the demo data command."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpoConfig(AppConfig):
    name = "expo"
    verbose_name = _("Expo")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
