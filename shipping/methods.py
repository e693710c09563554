"""Shipping charged per exhibitor: each exhibitor ships its own goods, so a basket with goods from
three exhibitors pays three base fees, plus a cold-chain surcharge for each exhibitor that ships
chilled or frozen goods. Computed from the basket alone (no carrier is asked)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import Base
from oscar.core import prices

COLD_STORAGES = ("chilled", "frozen")


def base_fee() -> Decimal:
    return Decimal(str(getattr(settings, "EXPO_SHIPPING_BASE_FEE", "20.00")))


def cold_chain_fee() -> Decimal:
    return Decimal(str(getattr(settings, "EXPO_SHIPPING_COLD_CHAIN_FEE", "30.00")))


@dataclass
class ExhibitorShipment:
    """What one exhibitor's share of the basket costs to ship."""

    partner_id: int
    name: str
    base: Decimal
    cold_chain: Decimal = Decimal("0.00")
    lines: list = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.base + self.cold_chain

    @property
    def needs_cold_chain(self) -> bool:
        return self.cold_chain > 0


def _seller_name(partner) -> str:
    exhibitor = getattr(partner, "exhibitor", None)
    return exhibitor.display_name if exhibitor is not None else partner.name


class PerExhibitorShipping(Base):
    """A base fee per exhibitor in the basket, plus a surcharge per exhibitor with cold goods."""

    code = "per-exhibitor"
    name = _("Delivery by each exhibitor")
    description = _(
        "Each exhibitor ships its own goods: a base fee per exhibitor, plus a cold-chain "
        "surcharge for each exhibitor that ships chilled or frozen goods."
    )

    def breakdown(self, basket) -> list[ExhibitorShipment]:
        shipments: dict[int, ExhibitorShipment] = {}
        for line in basket.all_lines():
            if not line.stockrecord_id:
                continue
            partner = line.stockrecord.partner
            shipment = shipments.get(partner.pk)
            if shipment is None:
                shipment = shipments[partner.pk] = ExhibitorShipment(
                    partner_id=partner.pk, name=_seller_name(partner), base=base_fee()
                )
            shipment.lines.append(line)
            if getattr(line.product, "storage", "") in COLD_STORAGES:
                shipment.cold_chain = cold_chain_fee()
        return list(shipments.values())

    def calculate(self, basket):
        total = sum((shipment.total for shipment in self.breakdown(basket)), Decimal("0.00"))
        return prices.Price(currency=basket.currency, excl_tax=total, incl_tax=total)


def shipping_breakdown(method, basket) -> list[ExhibitorShipment]:
    """The per-exhibitor breakdown of a method, also when an offer wraps it."""
    inner = getattr(method, "method", method)
    return inner.breakdown(basket) if hasattr(inner, "breakdown") else []
