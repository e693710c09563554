"""Order and line statuses (the pipelines are in settings); listed here so they get translated."""

from django.utils.translation import gettext_noop

STATUS_NAMES = [
    gettext_noop("Pending payment"),
    gettext_noop("Paid"),
    gettext_noop("Awaiting bank transfer"),
    gettext_noop("Payment failed"),
    gettext_noop("Partially shipped"),
    gettext_noop("Shipped"),
    gettext_noop("Delivered"),
    gettext_noop("Partially refunded"),
    gettext_noop("Refunded"),
    gettext_noop("Cancelled"),
    gettext_noop("Awaiting payment"),
    gettext_noop("Confirmed"),
]
