"""An order line set to "Delivered" anywhere (an exhibitor, Oscar's dashboard, a service) gets
its delivery moment recorded once."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_line_status_changed

from order.statuses import LineStatus


@receiver(order_line_status_changed, dispatch_uid="credit.record_line_delivery")
def record_line_delivery(sender, line, old_status, new_status, **kwargs):
    if new_status == LineStatus.DELIVERED:
        from .services import line_delivery_record  # local import: loaded with the models

        line_delivery_record(line=line)
