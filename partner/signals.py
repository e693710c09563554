"""Signals of the partner app."""

from django.dispatch import Signal

# Sent after the order using a negotiated price (a sample or an accepted quote) is committed,
# with ``grant`` (the NegotiatedPrice) and ``order``.
negotiated_price_ordered = Signal()
