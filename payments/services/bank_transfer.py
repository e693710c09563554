"""Bank transfers (对公转账): a reference the buyer puts in the memo, then staff confirm it arrived."""

from __future__ import annotations

import logging
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from ..models import (
    BankTransfer,
    BankTransferStatus,
    OrderStatus,
    PaymentMethod,
)
from .common import REFERENCE_ALPHABET, PaymentError
from .orders import _lock_order, _mark_paid, _move_order, _source

logger = logging.getLogger("payments")

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

# Bank transfer ----------------------------------------------------------------------------


def _bank_reference(order: Order) -> str:
    while True:
        suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(4))
        reference = f"FX{order.number}{suffix}"[:32]
        if not BankTransfer.objects.filter(reference=reference).exists():
            return reference


def bank_transfer_create(*, order: Order) -> BankTransfer:
    """The order awaits the buyer's company transfer, identified by a unique reference."""
    with transaction.atomic():
        order = _lock_order(order)
        existing = BankTransfer.objects.filter(order=order).first()
        if existing is not None:
            return existing
        if order.status != OrderStatus.PENDING:
            raise PaymentError(
                _("Order %(number)s cannot be paid by bank transfer (status: %(status)s).")
                % {"number": order.number, "status": order.status}
            )
        transfer = BankTransfer.objects.create(
            order=order,
            reference=_bank_reference(order),
            amount=order.total_incl_tax,
            currency=order.currency,
        )
        _move_order(order, OrderStatus.AWAITING_TRANSFER)
        source = _source(order, PaymentMethod.BANK_TRANSFER)
        source.reference = transfer.reference
        source.save()
    return transfer


def bank_transfer_confirm(*, order: Order, by: AbstractBaseUser) -> BankTransfer:
    """The transfer has arrived: the order and its lines become "Paid". Repeating it changes
    nothing; a cancelled transfer cannot be confirmed."""
    with transaction.atomic():
        order = _lock_order(order)
        transfer = BankTransfer.objects.select_for_update().filter(order=order).first()
        if transfer is None:
            raise PaymentError(_("Order %(number)s is not paid by bank transfer.") % {"number": order.number})
        if transfer.status == BankTransferStatus.CONFIRMED:
            return transfer
        if transfer.status == BankTransferStatus.CANCELLED or order.status != OrderStatus.AWAITING_TRANSFER:
            raise PaymentError(
                _("The transfer for order %(number)s can no longer be confirmed (status: %(status)s).")
                % {"number": order.number, "status": order.status}
            )
        transfer.status = BankTransferStatus.CONFIRMED
        transfer.confirmed_by = by
        transfer.confirmed_at = timezone.now()
        transfer.save()
        _mark_paid(order, method=PaymentMethod.BANK_TRANSFER, reference=transfer.reference)
    return transfer
