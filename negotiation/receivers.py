"""Orders placed with a sample's or a quote's negotiated price are recorded on them."""

from django.dispatch import receiver

try:
    from partner.signals import negotiated_price_ordered
except ImportError:  # the partner app predates negotiated prices
    negotiated_price_ordered = None


if negotiated_price_ordered is not None:

    @receiver(negotiated_price_ordered, dispatch_uid="negotiation-record-order")
    def record_order(sender, grant, order, **kwargs):
        from .services import negotiated_order_record

        negotiated_order_record(grant_id=grant.pk, order_number=order.number)
