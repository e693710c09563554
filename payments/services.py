"""Payments: Stripe PaymentIntents, bank transfers, refunds, webhook events and reconciliation.

Everything Stripe tells us (a webhook event, the return page asking after a payment, the
periodic reconciliation) goes through :func:`payment_intent_apply`, which locks the order and
moves it along the status pipeline only forwards, so duplicates and any order of delivery end
in the same state. Stripe is called only from this module, through :func:`stripe_client`.
E-mails leave through Celery after the commit.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from checkout.services import StockShort, stock_reallocate_order, stock_release_lines, stock_release_order
from exhibitors.services import absolute_url, company_recipients
from expo.tasks import send_mail_task

from .models import (
    BankTransfer,
    BankTransferStatus,
    LineStatus,
    OrderStatus,
    PaymentIntent,
    PaymentMethod,
    Refund,
    RefundStatus,
    StripeEvent,
)
from .selectors import bank_account, order_paid_summary, order_refunded_total

logger = logging.getLogger("payments")

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

CENT = Decimal("0.01")
# https://docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL_CURRENCIES = set("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
SOURCE_TYPE_NAMES = {PaymentMethod.STRIPE: "Stripe", PaymentMethod.BANK_TRANSFER: "Bank transfer 对公转账"}
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: references are typed by hand
HANDLED_EVENTS = ("payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled")


class PaymentError(Exception):
    """A payment action that cannot be done, worded for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PaymentNotConfigured(PaymentError):
    pass


class PaymentServiceUnavailable(PaymentError):
    pass


class RefundError(PaymentError):
    pass


class WebhookRejected(Exception):
    """The request is not a genuine Stripe event (bad signature, stale, malformed)."""


# Stripe --------------------------------------------------------------------------------


def stripe_client() -> stripe.StripeClient:
    """A client for Stripe, or for the Stripe-compatible server named by ``STRIPE_API_BASE``."""
    key = getattr(settings, "STRIPE_SECRET_KEY", "")
    if not key:
        raise PaymentNotConfigured(
            _("Online payment is not available at the moment. Please choose bank transfer.")
        )
    base = getattr(settings, "STRIPE_API_BASE", "")
    options = {"base_addresses": {"api": base}} if base else {}
    return stripe.StripeClient(key, max_network_retries=2, **options)


def payment_method_types() -> list[str]:
    """Stripe payment method types offered (``STRIPE_PAYMENT_METHOD_TYPES``); Alipay and WeChat Pay
    are switched on there where the Stripe account allows them."""
    return list(getattr(settings, "STRIPE_PAYMENT_METHOD_TYPES", None) or ["card"])


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Stripe amounts are integers in the currency's smallest unit (fen for CNY)."""
    factor = 1 if currency.lower() in ZERO_DECIMAL_CURRENCIES else 100
    return int((Decimal(amount) * factor).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def from_minor_units(amount: int, currency: str) -> Decimal:
    factor = 1 if currency.lower() in ZERO_DECIMAL_CURRENCIES else 100
    return (Decimal(int(amount)) / factor).quantize(CENT)


@dataclass(frozen=True)
class IntentState:
    """What Stripe says about a PaymentIntent, from the API or from an event."""

    intent_id: str
    status: str
    amount: int
    currency: str
    error_message: str = ""

    @classmethod
    def from_stripe(cls, obj) -> IntentState:
        data = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
        error = data.get("last_payment_error") or {}
        return cls(
            intent_id=data.get("id", ""),
            status=data.get("status") or "",
            amount=int(data.get("amount") or 0),
            currency=(data.get("currency") or "").lower(),
            error_message=(error.get("message") or error.get("code") or "")
            if isinstance(error, dict)
            else "",
        )


# E-mails ---------------------------------------------------------------------------------


def _send(*, recipients: list[str], subject: str, template: str, context: dict) -> None:
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_mail_task.delay(subject=subject, body=body, recipients=recipients))


def _buyer_recipients(order: Order) -> list[str]:
    if order.user_id and order.user.email:
        return [order.user.email]
    return [order.guest_email] if order.guest_email else []


def _staff_recipients() -> list[str]:
    configured = getattr(settings, "PAYMENTS_STAFF_EMAILS", None)
    return list(configured or [email for _name, email in getattr(settings, "ADMINS", [])])


def _order_context(order: Order, **extra) -> dict:
    return {
        "order": order,
        "lines": list(order.lines.all()),
        "order_url": absolute_url(reverse("customer:order", kwargs={"order_number": order.number})),
        "payment_url": absolute_url(reverse("checkout:payment", kwargs={"number": order.number})),
        **extra,
    }


def _notify_paid(order: Order) -> None:
    """The buyer hears the order is paid; each exhibitor hears about its own lines."""
    _send(
        recipients=_buyer_recipients(order),
        subject=f"订单 {order.number} 已付款 · Order {order.number} is paid",
        template="payments/email/order_paid_buyer.txt",
        context=_order_context(order),
    )
    by_partner: dict[int, list] = defaultdict(list)
    for line in order.lines.select_related("partner"):
        if line.partner_id:
            by_partner[line.partner_id].append(line)
    for lines in by_partner.values():
        partner = lines[0].partner
        exhibitor = getattr(partner, "exhibitor", None)
        if exhibitor is not None:
            recipients = company_recipients(exhibitor)
        else:
            recipients = [user.email for user in partner.users.all()]
        _send(
            recipients=recipients,
            subject=f"新的已付款订单 {order.number} · New paid order {order.number}",
            template="payments/email/order_paid_exhibitor.txt",
            context={"order": order, "lines": lines, "partner": partner},
        )


def _notify_staff(order: Order, problem: str) -> None:
    logger.error("Order %s needs attention: %s", order.number, problem)
    _send(
        recipients=_staff_recipients(),
        subject=f"订单 {order.number} 需要处理 · Order {order.number} needs attention",
        template="payments/email/staff_attention.txt",
        context={"order": order, "problem": problem},
    )


def payment_placed_notify(*, order: Order) -> None:
    """Tell the buyer the order is placed and how to pay it."""
    transfer = BankTransfer.objects.filter(order=order).first()
    _send(
        recipients=_buyer_recipients(order),
        subject=f"订单 {order.number} 已提交 · Order {order.number} placed",
        template="payments/email/order_placed.txt",
        context=_order_context(order, transfer=transfer, account=bank_account()),
    )


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
        subject=f"订单 {order.number} 已取消 · Order {order.number} cancelled",
        template="payments/email/order_cancelled.txt",
        context=_order_context(order, reason=reason),
    )


# PaymentIntents ---------------------------------------------------------------------------


def payment_intent_create(*, order: Order) -> PaymentIntent:
    """The order's PaymentIntent, created at Stripe on first use (for the order's total, in the
    smallest currency unit). Idempotent: later calls return the stored one."""
    existing = PaymentIntent.objects.filter(order=order).first()
    if existing is not None:
        return existing
    if order.status not in (OrderStatus.PENDING, OrderStatus.FAILED):
        raise PaymentError(_("Order %(number)s does not await an online payment.") % {"number": order.number})
    currency = order.currency.lower()
    amount = to_minor_units(order.total_incl_tax, currency)
    types = payment_method_types()
    try:
        intent = stripe_client().v1.payment_intents.create(
            params={
                "amount": amount,
                "currency": currency,
                "payment_method_types": types,
                "metadata": {"order_number": order.number},
            },
            options={"idempotency_key": f"order-{order.number}-payment-intent"},
        )
    except stripe.StripeError as exc:
        logger.warning("Order %s: Stripe refused or could not be reached: %s", order.number, exc)
        raise PaymentServiceUnavailable(
            _("The payment service could not be reached. Please try again in a moment.")
        ) from exc
    with transaction.atomic():
        record, created = PaymentIntent.objects.get_or_create(
            order=order,
            defaults={
                "intent_id": intent.id,
                "client_secret": intent.client_secret or "",
                "amount": amount,
                "currency": currency,
                "status": intent.status or "",
                "payment_method_types": types,
            },
        )
        if created:
            source = _source(order, PaymentMethod.STRIPE)
            source.reference = record.intent_id
            source.save()
    return record


def payment_intent_apply(*, state: IntentState, failed: bool = False) -> str:
    """Apply what Stripe says about a PaymentIntent to its order; the one path for webhook
    events, the return page and reconciliation. Locks the order. Returns an outcome word:
    ``paid``, ``already_paid``, ``failed``, ``cancelled``, ``pending``, ``attention``,
    ``ignored``, ``unknown`` or ``mismatch`` (amount or currency differ from the order: logged,
    nothing changes)."""
    found = PaymentIntent.objects.filter(intent_id=state.intent_id).values_list("order_id", flat=True).first()
    if found is None:
        logger.info("PaymentIntent %s is not ours; ignored", state.intent_id)
        return "unknown"
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=found)
        record = PaymentIntent.objects.select_for_update().get(intent_id=state.intent_id)
        if state.amount != record.amount or state.currency != record.currency:
            logger.error(
                "PaymentIntent %s: Stripe reports %s %s, order %s expects %s %s; ignored",
                state.intent_id,
                state.amount,
                state.currency,
                order.number,
                record.amount,
                record.currency,
            )
            return "mismatch"
        if record.status != "succeeded":
            record.status = state.status
        if state.status == "succeeded":
            outcome = _intent_succeeded(order, record)
        elif failed or (state.status == "requires_payment_method" and state.error_message):
            outcome = _intent_failed(order, record, state.error_message or _("The payment failed."))
        elif state.status == "canceled":
            if order.status in OrderStatus.UNPAID:
                _cancel_locked(order, reason=_("The payment was cancelled."))
                outcome = "cancelled"
            else:
                outcome = "ignored"
        else:
            outcome = "pending"
        record.save()
    return outcome


def _intent_succeeded(order: Order, record: PaymentIntent) -> str:
    if order.status in OrderStatus.PAID_STATES:
        return "already_paid"
    if record.paid_at is None:
        record.paid_at = timezone.now()
    if order.status == OrderStatus.CANCELLED:
        record.needs_attention = _("Paid at Stripe after the order was cancelled: refund the buyer.")
        _notify_staff(order, record.needs_attention)
        return "attention"
    try:
        stock_reallocate_order(order=order)
    except StockShort as exc:
        # The money is in: the order is paid all the same, and staff decide (source or refund).
        record.needs_attention = _("Paid after the stock was released, and it is gone: %(reason)s") % {
            "reason": exc.message
        }
        _notify_staff(order, record.needs_attention)
    _mark_paid(order, method=PaymentMethod.STRIPE, reference=record.intent_id)
    return "paid"


def _intent_failed(order: Order, record: PaymentIntent, message: str) -> str:
    record.last_error = message
    if order.status != OrderStatus.PENDING:
        return "ignored"
    _move_order(order, OrderStatus.FAILED)
    stock_release_order(order=order)
    _send(
        recipients=_buyer_recipients(order),
        subject=f"订单 {order.number} 付款未成功 · Payment for order {order.number} failed",
        template="payments/email/payment_failed.txt",
        context=_order_context(order, reason=message),
    )
    return "failed"


def payment_intent_sync(*, payment_intent: PaymentIntent) -> str:
    """Ask Stripe for the PaymentIntent's state and apply it (a paid order shows as paid even
    when the webhook is late)."""
    try:
        intent = stripe_client().v1.payment_intents.retrieve(payment_intent.intent_id)
    except stripe.StripeError as exc:
        logger.warning("PaymentIntent %s: could not ask Stripe: %s", payment_intent.intent_id, exc)
        raise PaymentServiceUnavailable(
            _("The payment service could not be reached. Please try again in a moment.")
        ) from exc
    return payment_intent_apply(state=IntentState.from_stripe(intent))


def payment_start(*, order: Order, method: str) -> PaymentIntent | BankTransfer | None:
    """After the order is placed: a bank transfer reference, or the Stripe PaymentIntent.

    If Stripe cannot be reached the order stays "Pending payment" and the payment page tries
    again; reconciliation cancels it if it is never paid."""
    if method == PaymentMethod.BANK_TRANSFER:
        transfer = bank_transfer_create(order=order)
        payment_placed_notify(order=order)
        return transfer
    payment_placed_notify(order=order)
    try:
        return payment_intent_create(order=order)
    except PaymentError as exc:
        logger.warning("Order %s: no PaymentIntent yet (%s)", order.number, exc.message)
        return None


def order_payment_retry(*, order: Order) -> Order:
    """Let the buyer pay again after a failed payment: the stock is taken again first. If it is
    gone the order is cancelled and :class:`PaymentError` says why."""
    with transaction.atomic():
        order = _lock_order(order)
        if order.status == OrderStatus.PENDING:
            return order
        if order.status != OrderStatus.FAILED:
            raise PaymentError(
                _("Order %(number)s cannot be paid again (status: %(status)s).")
                % {"number": order.number, "status": order.status}
            )
        try:
            stock_reallocate_order(order=order)
        except StockShort as exc:
            _cancel_locked(order, reason=exc.message)
            short = exc
        else:
            _move_order(order, OrderStatus.PENDING)
            return order
    raise PaymentError(_("%(reason)s The order has been cancelled.") % {"reason": short.message})


def _stripe_cancel_or_sync(record: PaymentIntent) -> None:
    """Cancel the PaymentIntent at Stripe so it can no longer be paid. If Stripe refuses (it
    succeeded or is being processed) its state is applied instead, and a payment in progress
    stops the cancellation."""
    try:
        intent = stripe_client().v1.payment_intents.cancel(record.intent_id)
    except stripe.InvalidRequestError:
        try:
            intent = stripe_client().v1.payment_intents.retrieve(record.intent_id)
        except stripe.StripeError as exc:
            raise PaymentServiceUnavailable(_("The payment service could not be reached.")) from exc
        state = IntentState.from_stripe(intent)
        payment_intent_apply(state=state)
        if state.status not in ("canceled", "succeeded", "requires_payment_method"):
            raise PaymentError(_("A payment for this order is in progress; it was not cancelled.")) from None
        return
    except stripe.StripeError as exc:
        raise PaymentServiceUnavailable(_("The payment service could not be reached.")) from exc
    PaymentIntent.objects.filter(pk=record.pk).update(status=intent.status or "canceled")


def order_cancel(*, order: Order, reason: str, by: AbstractBaseUser | None = None) -> Order:
    """Cancel an unpaid order and give its stock back. A Stripe PaymentIntent is cancelled
    first so it cannot be paid later; if Stripe reports it paid, the order is paid instead and
    :class:`PaymentError` is raised."""
    record = PaymentIntent.objects.filter(order=order).first()
    if record is not None and record.status not in ("succeeded", "canceled"):
        _stripe_cancel_or_sync(record)
    with transaction.atomic():
        order = _lock_order(order)
        if order.status not in OrderStatus.UNPAID:
            raise PaymentError(
                _("Only unpaid orders can be cancelled; order %(number)s is %(status)s.")
                % {"number": order.number, "status": order.status}
            )
        _cancel_locked(order, reason=reason)
        if by is not None:
            logger.info("Order %s cancelled by %s: %s", order.number, by, reason)
    return order


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


# Refunds ------------------------------------------------------------------------------------


def _apply_refund(order: Order, *, refund: Refund, lines: list) -> None:
    """Statuses after a refund: the chosen lines "Refunded" (their unshipped stock back); the
    order "Refunded" once everything paid is back, else "Partially refunded"."""
    _move_lines(lines, LineStatus.REFUNDED)
    stock_release_lines(lines=lines)
    _source(order, refund.method).refund(
        refund.amount, reference=refund.stripe_refund_id or "", status=refund.status
    )
    summary = order_paid_summary(order=order)
    if summary.refunded >= summary.paid:
        remaining = list(order.lines.exclude(status=LineStatus.REFUNDED))
        _move_lines(remaining, LineStatus.REFUNDED)
        stock_release_lines(lines=remaining)
        _move_order(order, OrderStatus.REFUNDED)
    else:
        _move_order(order, OrderStatus.PARTIALLY_REFUNDED)
    _send(
        recipients=_buyer_recipients(order),
        subject=f"订单 {order.number} 退款 · Refund for order {order.number}",
        template="payments/email/refund.txt",
        context=_order_context(order, refund=refund, refunded_lines=lines),
    )


def refund_create(
    *,
    order: Order,
    lines: list | None = None,
    amount: Decimal | None = None,
    by: AbstractBaseUser | None,
    reason: str = "",
) -> Refund:
    """Refund the whole order (no ``lines``, no ``amount``), chosen lines (their prices), or an
    amount. Stripe payments are refunded through Stripe; bank transfers are recorded for the
    platform's own transfer back. Refuses refunding more than was paid."""
    with transaction.atomic():
        order = _lock_order(order)
        if order.status not in OrderStatus.PAID_STATES:
            raise RefundError(
                _("Order %(number)s has not been paid (status: %(status)s); there is nothing to refund.")
                % {"number": order.number, "status": order.status}
            )
        lines = list(lines or [])
        for line in lines:
            if line.order_id != order.pk:
                raise RefundError(
                    _("A chosen line does not belong to order %(number)s.") % {"number": order.number}
                )
            if line.status == LineStatus.REFUNDED:
                raise RefundError(_("'%(title)s' has already been refunded.") % {"title": line.title})
        summary = order_paid_summary(order=order)
        if amount is None:
            amount = (
                sum((line.line_price_incl_tax for line in lines), Decimal("0.00"))
                if lines
                else summary.refundable
            )
        amount = Decimal(amount).quantize(CENT)
        if amount <= 0:
            raise RefundError(_("The refund must be more than zero."))
        if amount > summary.refundable:
            raise RefundError(
                _(
                    "Cannot refund %(amount)s %(currency)s: only %(left)s of the %(paid)s paid is left "
                    "to refund."
                )
                % {
                    "amount": amount,
                    "currency": order.currency,
                    "left": summary.refundable,
                    "paid": summary.paid,
                }
            )
        method = _payment_method_of(order)
        refund = Refund.objects.create(
            order=order,
            method=method,
            amount=amount,
            currency=order.currency,
            status=RefundStatus.PENDING if method == PaymentMethod.STRIPE else RefundStatus.SUCCEEDED,
            reason=reason,
            created_by=by,
        )
        refund.lines.set(lines)
        if method == PaymentMethod.STRIPE:
            record = PaymentIntent.objects.filter(order=order).first()
            if record is None:
                raise RefundError(
                    _("No Stripe payment is recorded for order %(number)s.") % {"number": order.number}
                )
            try:
                stripe_refund = stripe_client().v1.refunds.create(
                    params={
                        "payment_intent": record.intent_id,
                        "amount": to_minor_units(amount, record.currency),
                        "metadata": {"order_number": order.number, "refund": str(refund.pk)},
                    }
                )
            except stripe.StripeError as exc:
                logger.warning("Order %s: Stripe refused the refund: %s", order.number, exc)
                message = getattr(exc, "user_message", None) or str(exc)
                raise RefundError(_("Stripe refused the refund: %(message)s") % {"message": message}) from exc
            refund.stripe_refund_id = stripe_refund.id
            if stripe_refund.status in ("succeeded", "pending"):
                refund.status = (
                    RefundStatus.SUCCEEDED if stripe_refund.status == "succeeded" else RefundStatus.PENDING
                )
            refund.save()
        _apply_refund(order, refund=refund, lines=lines)
    return refund


def _charge_refunded(charge: dict) -> str:
    """A refund reported by Stripe (made here or in Stripe's dashboard), recorded once per
    Stripe refund id. A refund can only follow a successful charge: if its ``succeeded`` event
    has not arrived yet, the payment is applied first."""
    intent_id = charge.get("payment_intent") or ""
    if isinstance(intent_id, dict):
        intent_id = intent_id.get("id", "")
    currency = (charge.get("currency") or "").lower()
    state = IntentState(
        intent_id=intent_id, status="succeeded", amount=int(charge.get("amount") or 0), currency=currency
    )
    found = PaymentIntent.objects.filter(intent_id=intent_id).values_list("order_id", flat=True).first()
    if found is None:
        return "unknown"
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=found)
        record = PaymentIntent.objects.get(intent_id=intent_id)
        if state.amount != record.amount or currency != record.currency:
            logger.error(
                "Charge %s for order %s: amount or currency differ; ignored", charge.get("id"), order.number
            )
            return "mismatch"
        if order.status in OrderStatus.UNPAID and (charge.get("paid") or charge.get("status") == "succeeded"):
            payment_intent_apply(state=state)
            order.refresh_from_db()
        refunds = ((charge.get("refunds") or {}).get("data")) or []
        created = []
        known = set(Refund.objects.filter(order=order).values_list("stripe_refund_id", flat=True))
        for item in refunds:
            if item.get("id") in known or item.get("status") not in ("succeeded", "pending"):
                continue
            created.append(
                Refund.objects.create(
                    order=order,
                    method=PaymentMethod.STRIPE,
                    stripe_refund_id=item["id"],
                    amount=from_minor_units(item.get("amount") or 0, currency),
                    currency=order.currency,
                    status=RefundStatus.SUCCEEDED
                    if item.get("status") == "succeeded"
                    else RefundStatus.PENDING,
                    reason=_("Reported by Stripe"),
                )
            )
        if not refunds:
            # Newer API versions leave the refund list out; the charge's running total tells.
            missing = int(charge.get("amount_refunded") or 0) - to_minor_units(
                order_refunded_total(order=order), currency
            )
            if missing > 0:
                created.append(
                    Refund.objects.create(
                        order=order,
                        method=PaymentMethod.STRIPE,
                        amount=from_minor_units(missing, currency),
                        currency=order.currency,
                        reason=_("Reported by Stripe"),
                    )
                )
        if not created:
            return "duplicate"
        if order.status not in OrderStatus.PAID_STATES:
            logger.error("Order %s: refund reported while the order is %s", order.number, order.status)
            return "attention"
        for refund in created:
            _apply_refund(order, refund=refund, lines=[])
    return "refunded"


# Webhook events -------------------------------------------------------------------------------


def stripe_event_receive(*, payload: bytes, sig_header: str) -> StripeEvent:
    """Check the signature and store the event once; processing goes to a Celery task after the
    commit. A replay of a processed event changes nothing."""
    from .tasks import process_stripe_event  # local import: tasks import services

    secret = getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
    if not secret:
        logger.error("STRIPE_WEBHOOK_SECRET is not set: webhook refused")
        raise WebhookRejected("webhook secret not configured")
    try:
        stripe.Webhook.construct_event(payload, sig_header or "", secret)
        data = json.loads(payload)
        event_id, event_type = data["id"], data.get("type", "")
        data["data"]["object"]  # noqa: B018 - a genuine event always carries its object
    except stripe.SignatureVerificationError as exc:
        raise WebhookRejected(f"bad signature: {exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise WebhookRejected(f"malformed event: {exc}") from exc
    with transaction.atomic():
        event, created = StripeEvent.objects.get_or_create(
            event_id=event_id, defaults={"type": event_type[:128], "payload": data}
        )
        if created or event.processed_at is None:
            transaction.on_commit(lambda: process_stripe_event.delay(event.pk), robust=True)
    return event


def stripe_event_process(*, event: StripeEvent) -> str:
    """Apply one stored event; idempotent (the event row is locked and marked processed)."""
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().get(pk=event.pk)
        if event.processed_at is not None:
            return event.outcome
        obj = event.payload.get("data", {}).get("object", {})
        if event.type in HANDLED_EVENTS:
            outcome = payment_intent_apply(
                state=IntentState.from_stripe(obj), failed=event.type == "payment_intent.payment_failed"
            )
        elif event.type == "charge.refunded":
            outcome = _charge_refunded(obj)
        else:
            outcome = "not_handled"
        event.outcome = outcome
        event.processed_at = timezone.now()
        event.save(update_fields=["outcome", "processed_at"])
    return outcome


# Reconciliation ---------------------------------------------------------------------------------


def payments_reconcile(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic sweep (Celery beat): ask Stripe about orders still unpaid after
    ``STRIPE_RECONCILE_AFTER_MINUTES`` and apply what it says; cancel Stripe orders still unpaid
    after ``STRIPE_PAYMENT_TIMEOUT_MINUTES`` and bank transfers after
    ``BANK_TRANSFER_TIMEOUT_DAYS``, releasing their stock; process events stored but never
    processed. Safe to run at any time and twice at once (every step locks and re-checks)."""
    now = now or timezone.now()
    after = timedelta(minutes=getattr(settings, "STRIPE_RECONCILE_AFTER_MINUTES", 15))
    timeout = timedelta(minutes=getattr(settings, "STRIPE_PAYMENT_TIMEOUT_MINUTES", 60))
    transfer_timeout = timedelta(days=getattr(settings, "BANK_TRANSFER_TIMEOUT_DAYS", 7))
    counts: Counter = Counter()

    unpaid = (OrderStatus.PENDING, OrderStatus.FAILED)
    for record in PaymentIntent.objects.filter(order__status__in=unpaid, created_at__lte=now - after):
        try:
            counts[payment_intent_sync(payment_intent=record)] += 1
        except PaymentError:
            counts["unreachable"] += 1
        except Exception:
            logger.exception("PaymentIntent %s: could not reconcile", record.intent_id)
            counts["errors"] += 1

    expired = Order._default_manager.filter(
        status__in=unpaid, date_placed__lte=now - timeout, bank_transfer__isnull=True
    )
    overdue = Order._default_manager.filter(
        status=OrderStatus.AWAITING_TRANSFER, date_placed__lte=now - transfer_timeout
    )
    for order in [*expired, *overdue]:
        try:
            order_cancel(order=order, reason=_("The order was not paid in time."))
            counts["expired"] += 1
        except PaymentError as exc:
            logger.info("Order %s kept: %s", order.number, exc.message)
            counts["kept"] += 1
        except Exception:  # one broken order must not stop the sweep
            logger.exception("Order %s: could not expire", order.number)
            counts["errors"] += 1

    for event in StripeEvent.objects.filter(
        processed_at__isnull=True, received_at__lte=now - timedelta(minutes=5)
    ):
        try:
            stripe_event_process(event=event)
            counts["events"] += 1
        except Exception:
            logger.exception("Stripe event %s: could not process", event.event_id)
            counts["errors"] += 1
    return dict(counts)
