"""Order and line statuses: the one place their names and pipelines are written.

Settings build Oscar's pipelines from here; services, views, templates and the API compare
against these constants, never against bare strings. The names are stored in the database as they are
(Oscar keeps status as text), so a rename needs a data migration.
"""

from django.utils.translation import gettext_noop


class OrderStatus:
    """Statuses of a whole order (``Order.status``)."""

    PENDING = gettext_noop("Pending payment")
    AWAITING_TRANSFER = gettext_noop("Awaiting bank transfer")
    FAILED = gettext_noop("Payment failed")
    PAID = gettext_noop("Paid")
    PARTIALLY_SHIPPED = gettext_noop("Partially shipped")
    SHIPPED = gettext_noop("Shipped")
    DELIVERED = gettext_noop("Delivered")
    PARTIALLY_REFUNDED = gettext_noop("Partially refunded")
    REFUNDED = gettext_noop("Refunded")
    CANCELLED = gettext_noop("Cancelled")

    INITIAL = PENDING
    UNPAID = (PENDING, AWAITING_TRANSFER, FAILED)
    # Money has been received for these (refunds may have returned part of it).
    PAID_STATES = (PAID, PARTIALLY_SHIPPED, SHIPPED, DELIVERED, PARTIALLY_REFUNDED, REFUNDED)
    # Paid and not (wholly or partly) refunded: the states fulfilment moves along.
    FULFILLING = (PAID, PARTIALLY_SHIPPED, SHIPPED, DELIVERED)

    PIPELINE = {
        PENDING: (PAID, AWAITING_TRANSFER, FAILED, CANCELLED),
        AWAITING_TRANSFER: (PAID, CANCELLED),
        FAILED: (PENDING, PAID, CANCELLED),
        PAID: (PARTIALLY_SHIPPED, SHIPPED, PARTIALLY_REFUNDED, REFUNDED, CANCELLED),
        PARTIALLY_SHIPPED: (SHIPPED, PARTIALLY_REFUNDED, REFUNDED),
        SHIPPED: (DELIVERED, PARTIALLY_REFUNDED, REFUNDED),
        DELIVERED: (PARTIALLY_REFUNDED, REFUNDED),
        PARTIALLY_REFUNDED: (REFUNDED, SHIPPED, DELIVERED),
        REFUNDED: (),
        CANCELLED: (),
    }


class LineStatus:
    """Statuses of one order line (``Line.status``); each exhibitor moves its own lines."""

    AWAITING = gettext_noop("Awaiting payment")
    PAID = gettext_noop("Paid")
    CONFIRMED = gettext_noop("Confirmed")
    SHIPPED = gettext_noop("Shipped")
    DELIVERED = gettext_noop("Delivered")
    REFUNDED = gettext_noop("Refunded")
    CANCELLED = gettext_noop("Cancelled")

    INITIAL = AWAITING

    PIPELINE = {
        AWAITING: (PAID, CANCELLED),
        PAID: (CONFIRMED, REFUNDED, CANCELLED),
        CONFIRMED: (SHIPPED, REFUNDED),
        SHIPPED: (DELIVERED, REFUNDED),
        DELIVERED: (REFUNDED,),
        REFUNDED: (),
        CANCELLED: (),
    }
