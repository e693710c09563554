"""Negotiation (洽谈): inquiries and their threads, sample requests, quotes on sourcing
requests and meetings between buyers and exhibitors, with the responsiveness figures
that come out of them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NegotiationConfig(AppConfig):
    name = "negotiation"
    verbose_name = _("Negotiation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the order signal
