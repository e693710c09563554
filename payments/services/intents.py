"""Stripe PaymentIntents: creating, applying what Stripe says, syncing, retrying and cancelling."""

from __future__ import annotations

import logging

import stripe
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from checkout.services import StockShort, stock_reallocate_order, stock_release_order

from ..models import (
    BankTransfer,
    OrderStatus,
    PaymentIntent,
    PaymentMethod,
)
from .bank_transfer import bank_transfer_create
from .common import (
    IntentState,
    PaymentError,
    PaymentServiceUnavailable,
    payment_method_types,
    stripe_client,
    stripe_currency,
    to_minor_units,
)
from .notifications import _buyer_recipients, _notify_staff, _order_context, _send, payment_placed_notify
from .orders import _cancel_locked, _lock_order, _mark_paid, _move_order, _source

logger = logging.getLogger("payments")

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

# PaymentIntents ---------------------------------------------------------------------------


def payment_intent_create(*, order: Order) -> PaymentIntent:
    """The order's PaymentIntent, created at Stripe on first use (for the order's total, in the
    smallest currency unit). Idempotent: later calls return the stored one."""
    existing = PaymentIntent.objects.filter(order=order).first()
    if existing is not None:
        return existing
    if order.status not in (OrderStatus.PENDING, OrderStatus.FAILED):
        raise PaymentError(_("Order %(number)s does not await an online payment.") % {"number": order.number})
    currency = stripe_currency(order.currency)
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
        code="PAYMENT_FAILED",
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
