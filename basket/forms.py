"""Basket forms: the quantity to add starts at the product's minimum order quantity."""

from oscar.apps.basket.forms import *  # noqa: F401,F403 - Oscar's other basket forms stay as they are
from oscar.apps.basket.forms import AddToBasketForm as CoreAddToBasketForm


class AddToBasketForm(CoreAddToBasketForm):
    def __init__(self, basket, product, *args, **kwargs):
        super().__init__(basket, product, *args, **kwargs)
        moq = max(1, getattr(product, "moq", 1) or 1)
        self.fields["quantity"].initial = moq
        self.fields["quantity"].widget.attrs.update({"min": 1, "step": 1})
