"""Buyers in the resource database (客商资源库): distributors, supermarket chains,
e-commerce shops, caterers, importers and processors, with their interests, required
certificates and sourcing requests (采购需求)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyersConfig(AppConfig):
    name = "buyers"
    verbose_name = _("Buyers")
    default_auto_field = "django.db.models.BigAutoField"
