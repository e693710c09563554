"""Buyer companies of the resource database."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Company


class BuyerType(models.TextChoices):
    DISTRIBUTOR = "distributor", _("Distributor / wholesaler")
    RETAIL_CHAIN = "retail_chain", _("Supermarket / retail chain")
    ECOMMERCE = "ecommerce", _("E-commerce")
    CATERING = "catering", _("Catering")
    IMPORTER = "importer", _("Importer")
    PROCESSOR = "processor", _("Food processor")
    OTHER = "other", _("Other")


class Buyer(Company):
    """A company that comes to the expo to find suppliers."""

    buyer_type = models.CharField(
        _("Buyer type"), max_length=16, choices=BuyerType.choices, default=BuyerType.OTHER
    )
    interests = models.ManyToManyField("catalogue.Category", blank=True, related_name="interested_buyers")
    keywords = models.JSONField(_("Keywords"), default=list, blank=True)
    target_markets = models.JSONField(_("Target markets"), default=list, blank=True)
    annual_volume_cny = models.DecimalField(
        _("Yearly purchasing volume (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    class Meta(Company.Meta):
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
