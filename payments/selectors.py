"""Reads for payments: the buyer's own orders, what an order has paid and may still refund,
the platform's bank details, and the staff lists."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from .models import (
    REFUND_SETTLED_STATUSES,
    REFUND_VOID_STATUSES,
    BankTransfer,
    BankTransferStatus,
    OrderStatus,
    PaymentIntent,
    Refund,
)

Order = get_model("order", "Order")


def bank_account() -> dict:
    """The account buyers transfer to (``BANK_TRANSFER_ACCOUNT`` in the settings), without its
    demo marker; :func:`bank_account_is_demo` says whether it is the demo one."""
    account = getattr(settings, "BANK_TRANSFER_ACCOUNT", None) or {}
    return {key: value for key, value in account.items() if key != "demo" and value}


def bank_account_is_demo() -> bool:
    """True on demo and development sites: pages and e-mails must say no money goes there."""
    return bool((getattr(settings, "BANK_TRANSFER_ACCOUNT", None) or {}).get("demo"))


def bank_account_rows() -> list[tuple[str, str]]:
    labels = {
        "beneficiary": _("Beneficiary"),
        "bank": _("Bank"),
        "account_number": _("Account number"),
        "swift": _("SWIFT/BIC"),
        "address": _("Bank address"),
    }
    return [(labels.get(key, key), value) for key, value in bank_account().items() if value]


def order_for_buyer(*, user: AbstractBaseUser, number: str) -> Order:
    """The person's own order; anyone else's (or none) is a 404, so numbers cannot be probed."""
    if not user.is_authenticated or not number or len(number) > 128:
        raise Http404
    order = Order._default_manager.filter(number=number, user=user).first()
    if order is None:
        raise Http404
    return order


def order_intent(*, order: Order) -> PaymentIntent | None:
    return PaymentIntent.objects.filter(order=order).first()


def order_bank_transfer(*, order: Order) -> BankTransfer | None:
    return BankTransfer.objects.filter(order=order).first()


@dataclass(frozen=True)
class PaidSummary:
    paid: Decimal
    refunded: Decimal

    @property
    def refundable(self) -> Decimal:
        return max(self.paid - self.refunded, Decimal("0.00"))


def order_refunded_total(*, order: Order) -> Decimal:
    """Money gone back (or in Stripe's hands) for the order."""
    total = Refund.objects.filter(order=order, status__in=REFUND_SETTLED_STATUSES).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal("0.00")


def order_refund_reserved_total(*, order: Order) -> Decimal:
    """Refunded plus asked for and not yet settled (awaiting approval, processing): what a new
    refund must stay within, so a doubled request cannot refund twice."""
    total = (
        Refund.objects.filter(order=order)
        .exclude(status__in=REFUND_VOID_STATUSES)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or Decimal("0.00")


def order_paid_summary(*, order: Order) -> PaidSummary:
    """What the buyer paid for the order (nothing unless it reached a paid status) and how much
    of it has gone back."""
    paid = order.total_incl_tax if order.status in OrderStatus.PAID_STATES else Decimal("0.00")
    return PaidSummary(paid=paid, refunded=order_refunded_total(order=order))


def bank_transfers_awaiting() -> QuerySet[BankTransfer]:
    return (
        BankTransfer.objects.filter(status=BankTransferStatus.AWAITING)
        .select_related("order", "order__user")
        .order_by("created_at")
    )


def payments_recent(*, limit: int = 50) -> QuerySet[PaymentIntent]:
    return PaymentIntent.objects.select_related("order", "order__user").order_by("-created_at")[:limit]


def payments_needing_attention() -> QuerySet[PaymentIntent]:
    return PaymentIntent.objects.exclude(needs_attention="").select_related("order")


def refunds_recent(*, limit: int = 50) -> QuerySet[Refund]:
    return Refund.objects.select_related("order", "created_by").order_by("-created_at")[:limit]


def staff_order_get(*, number: str) -> Order:
    order = Order._default_manager.filter(number=number).first() if number and len(number) <= 128 else None
    if order is None:
        raise Http404
    return order
