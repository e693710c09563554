"""Orders built the way checkout builds them: a basket priced by our strategy, then Oscar's OrderCreator."""

from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_model
from oscar.test.factories import create_order

Basket = get_model("basket", "Basket")


def paid_order(*, user, items):
    """``items``: [(product, quantity)]; the order and its lines are marked paid."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    order = create_order(basket=basket, user=user)
    order.set_status("Paid")
    for line in order.lines.all():
        line.set_status("Paid")
    return order
