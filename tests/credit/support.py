"""Orders for the credit tests: placed by a member of a buyer company, moved along the line
statuses as an exhibitor would (the delivery moment is recorded on the way)."""

from __future__ import annotations

from datetime import timedelta

from oscar.core.loading import get_model

from credit.models import LineDelivery
from order.statuses import LineStatus
from tests.factories.orders import paid_order

Order = get_model("order", "Order")

TO_DELIVERED = (LineStatus.CONFIRMED, LineStatus.SHIPPED, LineStatus.DELIVERED)


def deliver(line, *, days_after_order: float | None = None) -> None:
    """Confirm, ship and deliver ``line``; with ``days_after_order`` the recorded delivery moment
    is set that long after the order was placed."""
    start = TO_DELIVERED.index(line.status) + 1 if line.status in TO_DELIVERED else 0
    for status in TO_DELIVERED[start:]:
        line.set_status(status)
    if days_after_order is not None:
        LineDelivery.objects.filter(line=line).update(
            delivered_at=line.order.date_placed + timedelta(days=days_after_order)
        )


def delivered_order(*, buyer_member, items, days_after_order: float | None = None):
    """An order of ``items`` [(product, quantity)] by ``buyer_member``'s user, every line delivered."""
    order = paid_order(user=buyer_member.user, items=items)
    for line in order.lines.all():
        deliver(line, days_after_order=days_after_order)
    return order


def scores(quality=5, as_described=5, delivery=5, communication=5, comment="") -> dict:
    return {
        "quality": quality,
        "as_described": as_described,
        "delivery": delivery,
        "communication": communication,
        "comment": comment,
    }
