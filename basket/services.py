"""Basket writes: add a product, change a line's quantity, remove a line.

The HTML basket (its add and line forms) and the phone API both go through these, so both refuse
the same things (below the minimum order, more than in stock, a second currency, a product not on
sale) in the same words. A refusal raises :class:`BasketRefusal`, whose ``code`` says which rule.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import MultipleObjectsReturned, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from partner.strategy import MinimumOrder

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")


class BasketRefusal(ValidationError):
    """A basket rule said no; ``code`` names the rule (``below_moq``, ``out_of_stock``,
    ``currency``, ``not_public``, ``no_price``, ``not_purchasable``, ``too_many``)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message, code=code)
        self.code = code
        self.message = message


def basket_open_for(*, user) -> Basket:
    """The person's open basket, the one the site's basket middleware uses (created if none),
    priced by the site's strategy."""
    try:
        basket, _created = Basket.open.get_or_create(owner=user)
    except MultipleObjectsReturned:
        basket = Basket.open.filter(owner=user).order_by("pk").first()
    basket.owner = user
    basket.strategy = Selector().strategy(user=user)
    return basket


def _refusal_code(availability, quantity: int) -> str:
    if isinstance(availability, MinimumOrder):
        return "below_moq" if quantity < availability.moq else "out_of_stock"
    if getattr(availability, "num_available", None) is not None:
        return "out_of_stock"
    return "not_purchasable"


def _check_threshold(basket, quantity_added: int) -> None:
    threshold = settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD
    if threshold and quantity_added > threshold - basket.num_items:
        raise BasketRefusal(
            _(
                "Due to technical limitations we are not able to ship"
                " more than %(threshold)d items in one order. Your"
                " basket currently has %(basket)d items."
            )
            % {"threshold": threshold, "basket": basket.num_items},
            code="too_many",
        )


def basket_line_add_check(*, basket, product, quantity: int) -> None:
    """Raise :class:`BasketRefusal` unless ``quantity`` more of ``product`` may go into ``basket``
    (what the basket already holds of it counts towards the minimum order and the stock)."""
    if not product.is_public:
        raise BasketRefusal(
            _("'%(title)s' is no longer available") % {"title": product.get_title()}, code="not_public"
        )
    _check_threshold(basket, quantity)
    info = basket.strategy.fetch_for_product(product)
    if not info.price.exists:
        raise BasketRefusal(
            _("This product cannot be added to the basket because a price could not be determined for it."),
            code="no_price",
        )
    if basket.currency and info.price.currency != basket.currency:
        raise BasketRefusal(
            _(
                "This product cannot be added to the basket as its currency "
                "isn't the same as other products in your basket"
            ),
            code="currency",
        )
    desired = basket.product_quantity(product) + quantity
    permitted, reason = info.availability.is_purchase_permitted(desired)
    if not permitted:
        raise BasketRefusal(str(reason), code=_refusal_code(info.availability, desired))


def _lock(basket) -> None:
    if basket.id is None:
        basket.save()
    Basket.objects.select_for_update().filter(pk=basket.pk).first()


@transaction.atomic
def basket_line_add(*, basket, product, quantity: int, options=None):
    """Add ``quantity`` of ``product`` (to its line if there is one); returns the line. The basket
    row is locked first, so two adds at once are checked one after the other."""
    _lock(basket)
    basket_line_add_check(basket=basket, product=product, quantity=quantity)
    line, _created = basket.add_product(product, quantity, options or [])
    return line


def basket_line_quantity_check(*, line, quantity: int) -> None:
    """Raise :class:`BasketRefusal` unless the line may hold ``quantity`` (0 removes it)."""
    if quantity <= 0:
        return
    basket = line.basket
    _check_threshold(basket, quantity - line.quantity)
    availability = line.purchase_info.availability
    permitted, reason = availability.is_purchase_permitted(quantity)
    if not permitted:
        raise BasketRefusal(str(reason), code=_refusal_code(availability, quantity))
    total = basket.basket_quantity(line) - line.quantity + quantity  # its other lines of that stock
    permitted, reason = availability.is_purchase_permitted(total)
    if not permitted:
        raise BasketRefusal(
            _(
                "Available stock is only %(max)d, which has been exceeded because "
                "multiple lines contain the same product."
            )
            % {"max": getattr(availability, "num_available", 0) or 0},
            code="out_of_stock",
        )


@transaction.atomic
def basket_line_quantity_set(*, basket, line, quantity: int):
    """Set the line's quantity (its tier price follows); 0 removes the line. Returns the line,
    or None once removed."""
    _lock(basket)
    if quantity <= 0:
        basket_line_remove(basket=basket, line=line)
        return None
    basket_line_quantity_check(line=line, quantity=quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    basket.reset_offer_applications()
    return line


@transaction.atomic
def basket_line_remove(*, basket, line) -> None:
    _lock(basket)
    line.delete()
    basket.reset_offer_applications()
