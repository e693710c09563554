"""Reads of a basket: its lines with all that pricing them needs, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


def basket_lines_load(*, basket) -> list:
    """The basket's lines, each with its product, tiers, stock records, exhibitor and agreed price
    loaded, cached on the basket (``all_lines``) so totals and prices ask no more queries."""
    if basket.id is None:
        return []
    if basket._lines is None:
        basket._lines = (
            basket.lines.select_related("product", "stockrecord__partner__exhibitor", "negotiated")
            .prefetch_related(
                "attributes",
                "product__images",
                "product__price_tiers",
                Prefetch(
                    "product__stockrecords", queryset=StockRecord.objects.select_related("partner__exhibitor")
                ),
            )
            .order_by("pk")
        )
    return list(basket._lines)
