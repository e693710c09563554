"""Basket lines priced by the wholesale tiers for their quantity."""

from django.db import models
from oscar.apps.basket.abstract_models import AbstractLine


class Line(AbstractLine):
    """A basket line whose unit price follows its quantity (see ``partner.strategy``)."""

    negotiated = models.ForeignKey(
        "partner.NegotiatedPrice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="basket_lines",
        help_text="A sample or an accepted quote: its price and exact quantity apply.",
    )

    @property
    def is_cold_chain(self) -> bool:
        return self.product.storage in ("chilled", "frozen")

    @property
    def is_sample(self) -> bool:
        return self.negotiated_id is not None and self.negotiated.kind == "sample"

    @property
    def purchase_info(self):
        # Oscar caches the price once per line; here it depends on the quantity, which
        # may change within one request (adding the same product again).
        if getattr(self, "_info_quantity", None) != self.quantity:
            self._info = self.basket.strategy.fetch_for_line(self, self.stockrecord)
            self._info_quantity = self.quantity
        return self._info

    def get_warning(self):
        """Warn when the product's list price changed since it was added, not when a tier applies."""
        if not self.price_excl_tax or not self.purchase_info.price.exists:
            return None
        base = getattr(self.purchase_info.price, "base_excl_tax", self.purchase_info.price.excl_tax)
        if base == self.price_excl_tax:
            return None
        return super().get_warning()

    class Meta(AbstractLine.Meta):
        app_label = "basket"


from oscar.apps.basket.models import *  # noqa: E402,F401,F403 - must stay last
