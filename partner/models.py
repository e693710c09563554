"""Oscar's partner models plus negotiated prices: a price and quantity agreed with one buyer."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class NegotiatedKind(models.TextChoices):
    SAMPLE = "sample", _("Sample")
    QUOTE = "quote", _("Quote")


class NegotiatedPrice(models.Model):
    """A product sold to one buyer company at an agreed unit price and exact quantity: a sample
    (one unit ordered from the product page, or samples an exhibitor agreed to send) or an
    accepted quote. It becomes a basket line and is used by exactly one order."""

    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="negotiated_prices")
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="negotiated_prices"
    )
    kind = models.CharField(_("Kind"), max_length=8, choices=NegotiatedKind.choices)
    self_service = models.BooleanField(
        default=False,
        help_text=_("A sample the buyer ordered from the product page (one per buyer and product)."),
    )
    unit_price = models.DecimalField(_("Unit price"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("Currency"), max_length=3, default="CNY")
    quantity = models.PositiveIntegerField(_("Quantity"))
    valid_until = models.DateField(_("Valid until"), null=True, blank=True)
    reference = models.CharField(_("Reference"), max_length=64, blank=True)
    order = models.ForeignKey(
        "order.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="negotiated_prices"
    )
    ordered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("negotiated price")
        verbose_name_plural = _("negotiated prices")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["buyer", "product", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference or self.pk}"

    @property
    def order_number(self) -> str | None:
        return self.order.number if self.order_id else None

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    @property
    def is_usable(self) -> bool:
        return self.refusal() is None

    def refusal(self) -> str | None:
        """Why this agreement can no longer be bought (used or expired), or None."""
        if self.order_id is not None:
            return gettext("This agreed price has already been used by order %(number)s.") % {
                "number": self.order_number
            }
        if self.is_expired:
            return gettext("This agreed price expired on %(date)s.") % {"date": self.valid_until}
        return None

    def get_absolute_url(self) -> str:
        return reverse("basket:add-negotiated", args=[self.pk])


from oscar.apps.partner.models import *  # noqa: E402,F401,F403 - must stay last
