"""Order and line status moves shared by payments, refunds and cancellation; callers hold the order's lock."""

from __future__ import annotations

import logging

from oscar.core.loading import get_model

from checkout.services import stock_release_order

from ..models import (
    BankTransfer,
    BankTransferStatus,
    LineStatus,
    OrderStatus,
    PaymentMethod,
)
from .common import SOURCE_TYPE_NAMES
from .notifications import _buyer_recipients, _notify_paid, _order_context, _send

logger = logging.getLogger("payments")

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

# Statuses ---------------------------------------------------------------------------------


def _lock_order(order: Order) -> Order:
    return Order._default_manager.select_for_update().get(pk=order.pk)


def _move_order(order: Order, status: str) -> bool:
    """Move the order along the pipeline; a move the pipeline does not allow is skipped, so a
    late or repeated message never drags an order backwards."""
    if order.status == status:
        return False
    if status not in order.available_statuses():
        logger.warning("Order %s: no move from %r to %r", order.number, order.status, status)
        return False
    order.set_status(status)
    return True


def _move_lines(lines, status: str, *, only_from: tuple[str, ...] | None = None) -> None:
    for line in lines:
        if only_from is not None and line.status not in only_from:
            continue
        if status in line.available_statuses():
            line.set_status(status)


def _source(order: Order, method: str) -> Source:
    source_type, _created = SourceType.objects.get_or_create(name=SOURCE_TYPE_NAMES[method])
    source, _created = Source.objects.get_or_create(
        order=order,
        source_type=source_type,
        defaults={"currency": order.currency, "amount_allocated": order.total_incl_tax},
    )
    return source


def _payment_method_of(order: Order) -> str:
    return (
        PaymentMethod.BANK_TRANSFER
        if BankTransfer.objects.filter(order=order).exists()
        else PaymentMethod.STRIPE
    )


def _mark_paid(order: Order, *, method: str, reference: str) -> None:
    """Order and its lines to "Paid", the money recorded on Oscar's payment source, e-mails out.
    The order must be locked and unpaid."""
    _move_order(order, OrderStatus.PAID)
    _move_lines(order.lines.all(), LineStatus.PAID, only_from=(LineStatus.AWAITING,))
    _source(order, method).debit(order.total_incl_tax, reference=reference, status="succeeded")
    _notify_paid(order)


def _cancel_locked(order: Order, *, reason: str) -> None:
    # Release first, all stock records locked in id order; the status receivers then find
    # nothing left to release.
    stock_release_order(order=order)
    _move_order(order, OrderStatus.CANCELLED)
    _move_lines(order.lines.all(), LineStatus.CANCELLED, only_from=(LineStatus.AWAITING,))
    BankTransfer.objects.filter(order=order, status=BankTransferStatus.AWAITING).update(
        status=BankTransferStatus.CANCELLED
    )
    _send(
        recipients=_buyer_recipients(order),
        code="PAYMENT_ORDER_CANCELLED",
        context=_order_context(order, reason=reason),
    )
