"""Turning a basket into an order without ever selling stock that is not there.

The order is placed inside one transaction that locks the basket and then the stock records
of all its lines (``SELECT ... FOR UPDATE`` in id order, so two checkouts never wait on each
other crosswise), checks what is left, and lets Oscar's ``OrderCreator`` write the order and
allocate the stock. A refusal raises :class:`CheckoutError` with a message for the buyer and
leaves the database as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from partner.services import negotiated_lines_claim

from .selectors import buyer_standing

Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
SurchargeApplicator = get_class("checkout.applicator", "SurchargeApplicator")
Applicator = get_class("offer.applicator", "Applicator")

CENT = Decimal("0.01")


class CheckoutError(Exception):
    """A reason the basket cannot become an order, worded for the buyer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BuyerNotAllowed(CheckoutError):
    pass


class BasketNotSellable(CheckoutError):
    pass


class BasketChanged(CheckoutError):
    """The basket, prices or shipping differ from what the buyer confirmed."""


class BasketAlreadySubmitted(CheckoutError):
    pass


class StockShort(CheckoutError):
    def __init__(self, message: str, *, title: str, available: int, requested: int):
        super().__init__(message)
        self.title = title
        self.available = available
        self.requested = requested


@dataclass(frozen=True)
class StockNeed:
    """How many units of one stock record an order needs, and what to call them."""

    stockrecord_id: int
    quantity: int
    title: str


def basket_check(*, basket) -> None:
    """Refuse what cannot be sold in one order: an empty basket, more than one currency (one
    payment per order), goods of exhibitors that are not verified."""
    lines = basket.all_lines() if basket.id else []
    if not lines:
        raise BasketNotSellable(_("Your basket is empty."))
    currencies = set()
    for line in lines:
        currencies.add(line.price_currency)
        price = line.purchase_info.price
        if price.exists and price.currency:
            currencies.add(price.currency)
    currencies.discard(None)
    if len(currencies) > 1:
        raise BasketNotSellable(
            _(
                "Your basket holds prices in several currencies (%(currencies)s). One order is paid in "
                "one currency: please check out the goods of each currency separately."
            )
            % {"currencies": ", ".join(sorted(currencies))}
        )
    for line in lines:
        if not line.stockrecord_id:
            raise BasketNotSellable(
                _("'%(title)s' has no seller any more; please remove it.")
                % {"title": line.product.get_title()}
            )
        exhibitor = getattr(line.stockrecord.partner, "exhibitor", None)
        if exhibitor is not None and not exhibitor.is_verified:
            raise BasketNotSellable(
                _(
                    "'%(title)s' is sold by %(exhibitor)s, whose company is not verified yet; its goods "
                    "cannot be ordered. Please remove it from your basket."
                )
                % {"title": line.product.get_title(), "exhibitor": exhibitor.display_name}
            )


def checkout_fingerprint(*, basket, shipping_charge, total, extra: str = "") -> str:
    """A digest of everything the buyer confirms: lines, quantities, prices, shipping, total
    and ``extra`` (the payment method). The preview page carries it; the order is placed only
    if the basket still gives the same digest under lock."""

    def money(value) -> str:
        return str(Decimal(value or 0).quantize(CENT))

    parts = [basket.currency or ""]
    for line in basket.all_lines():
        parts.append(
            f"{line.pk}:{line.stockrecord_id}:{line.quantity}:{money(line.line_price_incl_tax_incl_discounts)}"
        )
    parts += [money(shipping_charge.incl_tax), money(total.incl_tax), total.currency or "", extra]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def _stock_needs(items: Iterable[tuple[int | None, int, str]]) -> dict[int, StockNeed]:
    needs: dict[int, StockNeed] = {}
    for stockrecord_id, quantity, title in items:
        if stockrecord_id is None:
            continue
        previous = needs.get(stockrecord_id)
        total = quantity + (previous.quantity if previous else 0)
        needs[stockrecord_id] = StockNeed(stockrecord_id, total, title)
    return needs


def stock_lock(*, stockrecord_ids: Iterable[int]) -> dict[int, StockRecord]:
    """Lock stock records in id order (a fixed order, so concurrent checkouts cannot deadlock).
    Must run inside a transaction."""
    records = StockRecord.objects.select_for_update().filter(pk__in=set(stockrecord_ids)).order_by("pk")
    return {record.pk: record for record in records}


def stock_check(*, needs: dict[int, StockNeed], locked: dict[int, StockRecord]) -> None:
    """Raise :class:`StockShort` unless every need fits what is in stock and not yet allocated.
    A stock record without ``num_in_stock`` is shown at the expo but not sold online."""
    for need in needs.values():
        record = locked.get(need.stockrecord_id)
        if record is None or record.num_in_stock is None:
            raise StockShort(
                _("'%(title)s' is shown at the expo but not sold online; please remove it from your basket.")
                % {"title": need.title},
                title=need.title,
                available=0,
                requested=need.quantity,
            )
        available = record.num_in_stock - (record.num_allocated or 0)
        if available < need.quantity:
            left = max(available, 0)
            raise StockShort(
                _(
                    "Only %(left)s left of '%(title)s' (you ordered %(requested)s). "
                    "Please change the quantity in your basket."
                )
                % {"left": left, "title": need.title, "requested": need.quantity},
                title=need.title,
                available=left,
                requested=need.quantity,
            )


def stock_release_order(*, order: Order) -> int:
    """Give back the stock an order holds (payment failed, order cancelled, lines refunded
    before shipping). Idempotent: a line whose allocation is already cancelled is skipped.
    Returns the number of units released."""
    return stock_release_lines(lines=list(order.lines.all()))


def stock_release_lines(*, lines: list) -> int:
    held = [
        line for line in lines if line.stockrecord_id and line.num_allocated and not line.allocation_cancelled
    ]
    if not held:
        return 0
    released = 0
    with transaction.atomic():
        stock_lock(stockrecord_ids=[line.stockrecord_id for line in held])
        for line in sorted(held, key=lambda line: line.stockrecord_id):
            quantity = line.num_allocated
            line.cancel_allocation(quantity)
            if line.allocation_cancelled:
                released += quantity
    return released


def stock_reallocate_order(*, order: Order) -> None:
    """Take stock again for an order whose allocation was released (the buyer retries after a
    declined card, or Stripe reports a late success). Raises :class:`StockShort` if it is gone."""
    lines = [line for line in order.lines.all() if line.stockrecord_id and line.allocation_cancelled]
    if not lines:
        return
    with transaction.atomic():
        needs = _stock_needs((line.stockrecord_id, line.quantity, line.title) for line in lines)
        locked = stock_lock(stockrecord_ids=needs)
        stock_check(needs=needs, locked=locked)
        for line in lines:
            record = locked[line.stockrecord_id]
            if record.can_track_allocations:
                record.allocate(line.quantity)
            line.num_allocated = line.quantity
            line.allocation_cancelled = False
            line.save(update_fields=["num_allocated", "allocation_cancelled"])


def order_place(
    *,
    basket,
    user: AbstractBaseUser,
    shipping_address,
    shipping_method,
    billing_address=None,
    order_number: str | None = None,
    expected_fingerprint: str | None = None,
    fingerprint_extra: str = "",
    request: HttpRequest | None = None,
) -> Order:
    """Place the order for ``basket`` (whose ``strategy`` is set) in one transaction.

    The basket row is locked first, so a double click places one order; prices, offers,
    shipping and total are recomputed from the locked basket; when ``expected_fingerprint`` is
    given they must match what the buyer confirmed. Stock records are then locked and checked,
    and ``OrderCreator`` writes the order and allocates the stock. Any refusal rolls back.
    """
    standing = buyer_standing(user=user)
    if not standing.allowed:
        raise BuyerNotAllowed(_("Only members of a verified buyer company can place orders."))
    with transaction.atomic():
        locked_basket = Basket._default_manager.select_for_update().filter(pk=basket.pk).first()
        if locked_basket is None or locked_basket.status != Basket.OPEN:
            raise BasketAlreadySubmitted(
                _("This basket has already been ordered or is no longer open. Please check your orders.")
            )
        locked_basket.strategy = basket.strategy
        Applicator().apply(locked_basket, user, request)
        basket_check(basket=locked_basket)

        shipping_charge = shipping_method.calculate(locked_basket)
        surcharges = SurchargeApplicator(request).get_applicable_surcharges(
            locked_basket, shipping_charge=shipping_charge
        )
        total = OrderTotalCalculator(request).calculate(locked_basket, shipping_charge, surcharges)
        if expected_fingerprint is not None:
            actual = checkout_fingerprint(
                basket=locked_basket, shipping_charge=shipping_charge, total=total, extra=fingerprint_extra
            )
            if actual != expected_fingerprint:
                raise BasketChanged(
                    _(
                        "Your basket, its prices or the shipping changed since this page was shown. "
                        "Please check the order again before placing it."
                    )
                )

        lines = locked_basket.all_lines()
        needs = _stock_needs(
            (line.stockrecord_id, line.quantity, line.product.get_title())
            for line in lines
            # An agreed sample or quote of goods not sold online is not counted against online stock.
            if not (line.negotiated_id and line.stockrecord and line.stockrecord.num_in_stock is None)
        )
        stock_check(needs=needs, locked=stock_lock(stockrecord_ids=needs))

        if shipping_address is not None:
            shipping_address.save()
        if billing_address is not None:
            billing_address.save()
        order = OrderCreator().place_order(
            basket=locked_basket,
            total=total,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            user=user,
            shipping_address=shipping_address,
            billing_address=billing_address,
            order_number=str(order_number or OrderNumberGenerator().order_number(locked_basket)),
            request=request,
            surcharges=surcharges,
        )
        try:
            negotiated_lines_claim(lines=lines, user=user, order=order)
        except ValidationError as error:
            raise BasketNotSellable(" ".join(error.messages)) from error
        locked_basket.submit()
    basket.status = locked_basket.status
    return order
