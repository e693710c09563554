"""Basket forms: the quantity to add starts at the product's minimum order quantity; what may be
added or changed is decided by ``basket.services`` (the phone API asks the same functions)."""

from django import forms
from oscar.apps.basket.forms import *  # noqa: F401,F403 - Oscar's other basket forms stay as they are
from oscar.apps.basket.forms import AddToBasketForm as CoreAddToBasketForm
from oscar.apps.basket.forms import BasketLineForm as CoreBasketLineForm

from .services import BasketRefusal, basket_line_add_check, basket_line_quantity_check


class AddToBasketForm(CoreAddToBasketForm):
    def __init__(self, basket, product, *args, **kwargs):
        super().__init__(basket, product, *args, **kwargs)
        moq = max(1, getattr(product, "moq", 1) or 1)
        self.fields["quantity"].initial = moq
        self.fields["quantity"].widget.attrs.update({"min": 1, "step": 1})

    def clean_quantity(self):
        return self.cleaned_data["quantity"]  # the basket's limit is checked with the rest in clean()

    def clean(self):
        try:
            basket_line_add_check(
                basket=self.basket, product=self.product, quantity=self.cleaned_data.get("quantity", 1)
            )
        except BasketRefusal as refusal:
            raise forms.ValidationError(refusal.message) from None
        return self.cleaned_data


class BasketLineForm(CoreBasketLineForm):
    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"] or 0
        try:
            basket_line_quantity_check(line=self.instance, quantity=quantity)
        except BasketRefusal as refusal:
            raise forms.ValidationError(refusal.message) from None
        return quantity
