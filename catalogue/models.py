"""Food products on Oscar's catalogue models."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractCategory, AbstractProduct


def _english() -> bool:
    return (get_language() or "").startswith("en")


class Storage(models.TextChoices):
    AMBIENT = "ambient", _("Ambient")
    CHILLED = "chilled", _("Chilled (0-8 °C)")
    FROZEN = "frozen", _("Frozen (≤ -18 °C)")


class Category(AbstractCategory):
    """A node of the expo's food taxonomy; ``name`` is Chinese, ``name_en`` English."""

    name_en = models.CharField(_("English name"), max_length=255, blank=True)

    @property
    def display_name(self) -> str:
        return (self.name_en or self.name) if _english() else self.name


class Product(AbstractProduct):
    """A food product; ``title``/``description`` are Chinese, the ``*_en`` fields English."""

    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    shelf_life_days = models.PositiveIntegerField(_("Shelf life (days)"), null=True, blank=True)
    storage = models.CharField(_("Storage"), max_length=16, choices=Storage.choices, blank=True)
    origin = models.CharField(_("Place of origin"), max_length=128, blank=True)
    net_content = models.CharField(_("Net content"), max_length=64, blank=True)
    unit = models.CharField(_("Selling unit"), max_length=32, default="件")
    moq = models.PositiveIntegerField(_("Minimum order quantity"), default=1)
    sample_available = models.BooleanField(_("Samples available"), default=False)
    sample_price = models.DecimalField(
        _("Sample price"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Price of one sample unit; buyers may order one sample per product at this price."),
        validators=[MinValueValidator(Decimal("0"))],
    )
    certifications = models.JSONField(
        _("Certificates covering this product"),
        default=list,
        blank=True,
        help_text=_("Codes of the exhibitor's certificates that cover this product; empty: all of them."),
    )
    claims_none = models.BooleanField(
        _("Claims no certificate"),
        default=False,
        help_text=_("None of the exhibitor's certificates covers this product (the list above is ignored)."),
    )
    certification_expiry = models.JSONField(
        _("Claims ending early"),
        default=dict,
        blank=True,
        help_text=_(
            "Code → last day (YYYY-MM-DD) this product may claim it; the claim ends at the "
            "earlier of this day and the exhibitor's own certificate."
        ),
    )

    def get_title(self) -> str:
        """The title in the active language, so Oscar's own templates show it too."""
        if _english():
            title = self.title_en or (self.parent.title_en if self.is_child and self.parent_id else "")
            if title:
                return title
        return super().get_title() or self.title_en

    get_title.short_description = _("Title")

    @property
    def display_title(self) -> str:
        return self.get_title()

    @property
    def display_description(self) -> str:
        return (self.description_en or self.description) if _english() else self.description


class ProductPriceTier(models.Model):
    """A wholesale price: ``unit_price`` applies from ``min_quantity`` units up."""

    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="price_tiers")
    min_quantity = models.PositiveIntegerField(_("From quantity"))
    unit_price = models.DecimalField(_("Unit price"), max_digits=12, decimal_places=2)

    def __str__(self) -> str:
        return f"{self.min_quantity}:{self.unit_price}"

    class Meta:
        ordering = ["min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["product", "min_quantity"], name="one_tier_per_quantity")
        ]


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403 - must stay last
