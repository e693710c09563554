"""Stock goes back whoever cancels: an order or a line set to "Cancelled" anywhere (Oscar's
dashboard, an exhibitor, the services here) releases what it holds. Releasing is idempotent,
so the services' own release and this one never count twice."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_line_status_changed, order_status_changed

from order.statuses import LineStatus, OrderStatus


@receiver(order_status_changed, dispatch_uid="payments.release_stock_of_cancelled_order")
def release_stock_of_cancelled_order(sender, order, old_status, new_status, **kwargs):
    if new_status == OrderStatus.CANCELLED:
        from checkout.services import stock_release_order  # local import: loaded with the models

        stock_release_order(order=order)


@receiver(order_line_status_changed, dispatch_uid="payments.release_stock_of_cancelled_line")
def release_stock_of_cancelled_line(sender, line, old_status, new_status, **kwargs):
    if new_status == LineStatus.CANCELLED:
        from checkout.services import stock_release_lines

        stock_release_lines(lines=[line])
