"""The B2B pricing strategy: wholesale tiers, minimum order quantities, exhibitors' status.

Oscar asks the strategy for every price and availability, so the product page, the
basket, the checkout and the order all agree on the price for a quantity.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability, prices
from oscar.apps.partner.strategy import PurchaseInfo, Structured, UseFirstStockRecord
from oscar.apps.partner.strategy import Selector as CoreSelector

ZERO = Decimal("0.00")


class TieredPrice(prices.FixedPrice):
    """A unit price that falls as the quantity reaches wholesale tiers (prices exclude tax)."""

    def __init__(self, currency: str, excl_tax: Decimal, tiers: list[tuple[int, Decimal]] | None = None):
        super().__init__(currency, excl_tax, tax=ZERO)
        self.base_excl_tax = excl_tax
        self.tiers = sorted(tiers or [])

    def unit_price_for(self, quantity: int) -> Decimal:
        price = self.base_excl_tax
        for min_quantity, unit_price in self.tiers:
            if quantity >= min_quantity:
                price = unit_price
        return price

    def for_quantity(self, quantity: int) -> TieredPrice:
        price = TieredPrice(self.currency, self.unit_price_for(quantity), self.tiers)
        price.base_excl_tax = self.base_excl_tax
        return price


class MinimumOrder(availability.StockRequired):
    """In stock, bought from the minimum order quantity up."""

    def __init__(self, num_available: int, moq: int, unit: str):
        super().__init__(num_available)
        self.moq = max(1, moq or 1)
        self.unit = unit

    def is_purchase_permitted(self, quantity):
        if quantity < self.moq:
            return False, _("The minimum order is %(moq)s %(unit)s.") % {"moq": self.moq, "unit": self.unit}
        return super().is_purchase_permitted(quantity)

    @property
    def is_available_to_buy(self):
        return self.num_available >= self.moq


class _Refusal(availability.Unavailable):
    """Unavailable, with the reason shown to the buyer when they try to buy."""

    def is_purchase_permitted(self, quantity):
        return False, self.message


class NotSoldOnline(_Refusal):
    code = "display_only"
    message = _("Shown at the expo; not sold online")


class ExhibitorNotVerified(_Refusal):
    code = "exhibitor_not_verified"
    message = _("This exhibitor is not verified yet; its products cannot be bought")


class NegotiatedAvailability(availability.Base):
    """A sample or accepted quote: exactly the agreed quantity, while the agreement holds and,
    for goods sold online, while stock lasts."""

    def __init__(self, grant, num_available: int | None):
        self.grant = grant
        self.num_available = num_available

    @property
    def is_available_to_buy(self):
        return self.grant.is_usable and (
            self.num_available is None or self.num_available >= self.grant.quantity
        )

    def is_purchase_permitted(self, quantity):
        refusal = self.grant.refusal()
        if refusal:
            return False, refusal
        if quantity != self.grant.quantity:
            return False, _("The agreed price is for exactly %(quantity)s units.") % {
                "quantity": self.grant.quantity
            }
        if self.num_available is not None and quantity > self.num_available:
            return False, _("Only %(count)s units are in stock.") % {"count": self.num_available}
        return True, ""

    @property
    def short_message(self):
        return _("Agreed price")


class B2BStrategy(UseFirstStockRecord, Structured):
    """Prices from the stock record with the product's tiers; availability needs a verified
    exhibitor, stock kept online (``num_in_stock`` set) and at least the MOQ."""

    def pricing_policy(self, product, stockrecord):
        if not stockrecord or stockrecord.price is None:
            return prices.Unavailable()
        tiers = [(tier.min_quantity, tier.unit_price) for tier in product.price_tiers.all()]
        return TieredPrice(stockrecord.price_currency, stockrecord.price, tiers)

    def parent_pricing_policy(self, product, children_stock):
        for _child, stockrecord in children_stock:
            if stockrecord and stockrecord.price is not None:
                return TieredPrice(stockrecord.price_currency, stockrecord.price)
        return prices.Unavailable()

    def availability_policy(self, product, stockrecord):
        if not stockrecord:
            return availability.Unavailable()
        exhibitor = getattr(stockrecord.partner, "exhibitor", None)
        if exhibitor is not None and not exhibitor.is_verified:
            return ExhibitorNotVerified()
        if stockrecord.num_in_stock is None:
            return NotSoldOnline()
        return MinimumOrder(stockrecord.net_stock_level, product.moq, product.unit)

    def parent_availability_policy(self, product, children_stock):
        return availability.Unavailable()

    def fetch_for_line(self, line, stockrecord=None):
        """The unit price for the line's quantity (tiers apply as quantities change); a sample or
        an accepted quote has its agreed price and quantity."""
        info = super().fetch_for_line(line, stockrecord)
        grant = line.negotiated if getattr(line, "negotiated_id", None) else None
        if grant is not None and info.stockrecord is not None:
            stock = info.stockrecord
            price = prices.FixedPrice(grant.currency, grant.unit_price, tax=ZERO)
            if isinstance(info.availability, ExhibitorNotVerified):
                return info._replace(price=price)
            num_available = stock.net_stock_level if stock.num_in_stock is not None else None
            return PurchaseInfo(
                price=price, availability=NegotiatedAvailability(grant, num_available), stockrecord=stock
            )
        if isinstance(info.price, TieredPrice):
            return PurchaseInfo(
                price=info.price.for_quantity(line.quantity),
                availability=info.availability,
                stockrecord=info.stockrecord,
            )
        return info


class Selector(CoreSelector):
    def strategy(self, request=None, user=None, **kwargs):
        return B2BStrategy(request)
