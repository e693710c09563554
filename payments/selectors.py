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
    RefundStatus,
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


def refunds_awaiting_approval() -> QuerySet[Refund]:
    """Exhibitors' refund requests above the approval amount, oldest first."""
    return (
        Refund.objects.filter(status=RefundStatus.AWAITING_APPROVAL)
        .select_related("order", "partner", "created_by")
        .order_by("created_at", "id")
    )


def staff_order_get(*, number: str) -> Order:
    order = Order._default_manager.filter(number=number).first() if number and len(number) <= 128 else None
    if order is None:
        raise Http404
    return order


def _cents(value) -> Decimal:
    """SQLite sums decimals without their scale; money always shows two places."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


@dataclass
class LedgerTotals:
    """One currency of an exhibitor's ledger: goods paid to the platform, refunded, still on its
    way back (awaiting approval or Stripe), and what the platform owes the exhibitor."""

    currency: str
    collected: Decimal = Decimal("0.00")
    refunded: Decimal = Decimal("0.00")
    held: Decimal = Decimal("0.00")

    @property
    def owed(self) -> Decimal:
        return self.collected - self.refunded - self.held


@dataclass
class LedgerEntry:
    order_number: str
    date_placed: object
    currency: str
    collected: Decimal
    refunded: Decimal


def exhibitor_ledger(
    *, partner_id: int, limit: int = 200
) -> tuple[list[LedgerTotals], list[LedgerEntry], list]:
    """What the platform collected for an exhibitor's goods, refunded of them and owes it, per
    currency; one entry per paid order and the exhibitor's refund requests.

    Collected counts the exhibitor's own lines of orders in a paid state (online or by bank
    transfer); refunds count those recorded for this exhibitor. Two aggregate queries and two
    list queries, whatever the number of orders."""
    from django.db.models import DecimalField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    Line = get_model("order", "Line")
    paid_lines = Line.objects.filter(partner_id=partner_id, order__status__in=OrderStatus.PAID_STATES)
    totals: dict[str, LedgerTotals] = {}
    for row in paid_lines.values("order__currency").annotate(total=Sum("line_price_incl_tax")):
        currency = row["order__currency"]
        totals[currency] = LedgerTotals(currency=currency, collected=_cents(row["total"]))
    own_refunds = Refund.objects.filter(partner_id=partner_id)
    for row in (
        own_refunds.exclude(status__in=REFUND_VOID_STATUSES)
        .values("currency", "status")
        .annotate(total=Sum("amount"))
    ):
        bucket = totals.setdefault(row["currency"], LedgerTotals(currency=row["currency"]))
        if row["status"] in REFUND_SETTLED_STATUSES:
            bucket.refunded += _cents(row["total"])
        else:
            bucket.held += _cents(row["total"])

    money = DecimalField(max_digits=14, decimal_places=2)
    refunded = (
        own_refunds.filter(order=OuterRef("pk"), status__in=REFUND_SETTLED_STATUSES)
        .values("order")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    collected = (
        paid_lines.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(total=Sum("line_price_incl_tax"))
        .values("total")
    )
    orders = (
        Order.objects.filter(status__in=OrderStatus.PAID_STATES, lines__partner_id=partner_id)
        .distinct()
        .annotate(
            own_collected=Coalesce(
                Subquery(collected, output_field=money), Value(Decimal("0.00")), output_field=money
            ),
            own_refunded=Coalesce(
                Subquery(refunded, output_field=money), Value(Decimal("0.00")), output_field=money
            ),
        )
        .order_by("-date_placed", "-id")[:limit]
    )
    entries = [
        LedgerEntry(
            order_number=order.number,
            date_placed=order.date_placed,
            currency=order.currency,
            collected=_cents(order.own_collected),
            refunded=_cents(order.own_refunded),
        )
        for order in orders
    ]
    refunds = list(own_refunds.select_related("order").order_by("-created_at", "-id")[:limit])
    return sorted(totals.values(), key=lambda t: t.currency), entries, refunds
