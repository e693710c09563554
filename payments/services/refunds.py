"""Refunds exactly once: recorded and committed before Stripe is called, sent with an idempotency
key made from our own row, settled from Stripe's answer, and reconciled when the answer was lost.
Exhibitors' requests above ``EXPO_REFUND_APPROVAL_ABOVE`` wait for staff."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import stripe
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from checkout.services import stock_release_lines

from ..models import (
    REFUND_VOID_STATUSES,
    LineStatus,
    OrderStatus,
    PaymentIntent,
    PaymentMethod,
    Refund,
    RefundStatus,
)
from ..selectors import order_paid_summary, order_refund_reserved_total, order_refunded_total
from .common import CENT, IntentState, RefundError, from_minor_units, stripe_client, to_minor_units
from .intents import payment_intent_apply
from .notifications import _buyer_recipients, _order_context, _send
from .orders import _lock_order, _move_lines, _move_order, _payment_method_of, _source

logger = logging.getLogger("payments")

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

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
        code="PAYMENT_REFUND",
        context=_order_context(order, refund=refund, refunded_lines=lines),
    )


def refund_approval_above() -> Decimal:
    """Exhibitors' refund requests above this amount (in the order's currency) wait for staff
    (``EXPO_REFUND_APPROVAL_ABOVE``); at or below it they go through directly."""
    return Decimal(str(getattr(settings, "EXPO_REFUND_APPROVAL_ABOVE", "1000"))).quantize(CENT)


def _refund_record(order, *, lines, amount, by, reason, partner, request_key) -> Refund:
    """Checks and records the refund with the order locked; nothing is sent to Stripe here."""
    order = _lock_order(order)
    if request_key:
        existing = Refund.objects.filter(request_key=request_key).first()
        if existing is not None:
            return existing
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
        if partner is not None and line.partner_id != partner.pk:
            raise RefundError(_("'%(title)s' is not this exhibitor's line.") % {"title": line.title})
        asked = line.refunds.exclude(status__in=REFUND_VOID_STATUSES).exists()
        if line.status == LineStatus.REFUNDED or asked:
            raise RefundError(_("'%(title)s' has already been refunded.") % {"title": line.title})
    summary = order_paid_summary(order=order)
    left = max(summary.paid - order_refund_reserved_total(order=order), Decimal("0.00"))
    if amount is None:
        amount = sum((line.line_price_incl_tax for line in lines), Decimal("0.00")) if lines else left
    amount = Decimal(amount).quantize(CENT)
    if amount <= 0:
        raise RefundError(_("The refund must be more than zero."))
    if amount > left:
        raise RefundError(
            _("Cannot refund %(amount)s %(currency)s: only %(left)s of the %(paid)s paid is left to refund.")
            % {"amount": amount, "currency": order.currency, "left": left, "paid": summary.paid}
        )
    method = _payment_method_of(order)
    if method == PaymentMethod.STRIPE and not PaymentIntent.objects.filter(order=order).exists():
        raise RefundError(_("No Stripe payment is recorded for order %(number)s.") % {"number": order.number})
    needs_approval = partner is not None and amount > refund_approval_above()
    if needs_approval:
        status = RefundStatus.AWAITING_APPROVAL
    elif method == PaymentMethod.STRIPE:
        status = RefundStatus.PROCESSING
    else:
        status = RefundStatus.SUCCEEDED
    if partner is None and lines and len({line.partner_id for line in lines}) == 1:
        partner = lines[0].partner
    refund = Refund.objects.create(
        order=order,
        method=method,
        amount=amount,
        currency=order.currency,
        status=status,
        reason=reason,
        created_by=by,
        partner=partner,
        request_key=request_key or None,
    )
    refund.lines.set(lines)
    if status == RefundStatus.SUCCEEDED:  # a bank transfer back: nothing to ask anyone
        _apply_refund(order, refund=refund, lines=lines)
    return refund


def _dispatch(refund: Refund) -> Refund:
    """Send a recorded Stripe refund now if no transaction is open (the answer is then known),
    else after the commit through a task: Stripe is never called inside a transaction."""
    if refund.status != RefundStatus.PROCESSING:
        return refund
    if transaction.get_connection().in_atomic_block:
        from expo.queue import enqueue_on_commit

        from ..tasks import submit_refund  # local import: tasks import services

        enqueue_on_commit(submit_refund, args=[refund.pk], robust=True)
        return refund
    return refund_submit(refund=refund)


def refund_create(
    *,
    order: Order,
    lines: list | None = None,
    amount: Decimal | None = None,
    by: AbstractBaseUser | None,
    reason: str = "",
    partner=None,
    request_key: str = "",
) -> Refund:
    """Refund the whole order (no ``lines``, no ``amount``), chosen lines (their prices), or an
    amount; never more than was paid, counting refunds still under way.

    Stripe refunds are recorded ("Processing"), committed, then sent to Stripe with the
    idempotency key ``refund-<id>`` and settled (:func:`refund_submit`); a refund asked inside
    a transaction (a request) is sent after the commit. ``partner``: an exhibitor asking for its
    own lines; above :func:`refund_approval_above` it waits for staff. ``request_key``: the
    same key twice (a resubmitted form) returns the first refund. Bank transfers are recorded
    for the platform's own transfer back."""
    with transaction.atomic():
        refund = _refund_record(
            order, lines=lines, amount=amount, by=by, reason=reason, partner=partner, request_key=request_key
        )
    return _dispatch(refund)


def refund_approve(*, refund: Refund, by: AbstractBaseUser) -> Refund:
    """Staff approve an exhibitor's refund request: it goes to Stripe (or is recorded)."""
    with transaction.atomic():
        order = _lock_order(refund.order)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != RefundStatus.AWAITING_APPROVAL:
            return refund
        refund.decided_by, refund.decided_at = by, timezone.now()
        if refund.method == PaymentMethod.STRIPE:
            refund.status = RefundStatus.PROCESSING
            refund.save()
        else:
            refund.status = RefundStatus.SUCCEEDED
            refund.save()
            _apply_refund(order, refund=refund, lines=list(refund.lines.all()))
    return _dispatch(refund)


def refund_reject(*, refund: Refund, by: AbstractBaseUser, reason: str = "") -> Refund:
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status == RefundStatus.AWAITING_APPROVAL:
            refund.status = RefundStatus.REJECTED
            refund.decided_by, refund.decided_at = by, timezone.now()
            refund.error = reason
            refund.save()
    return refund


def _refund_params(refund: Refund, record: PaymentIntent) -> dict:
    return {
        "payment_intent": record.intent_id,
        "amount": to_minor_units(refund.amount, record.currency),
        "metadata": {"order_number": refund.order.number, "refund": str(refund.pk)},
    }


def refund_submit(*, refund: Refund, raise_errors: bool = True) -> Refund:
    """Send a "Processing" refund to Stripe (idempotency key ``refund-<id>``) outside any
    transaction, then record what Stripe answered. Stripe out of reach, or an answer lost: the
    row stays "Processing" for :func:`refunds_reconcile`. A refusal marks it "Failed"."""
    refund = Refund.objects.select_related("order").get(pk=refund.pk)
    if refund.status != RefundStatus.PROCESSING:
        return refund
    record = PaymentIntent.objects.get(order=refund.order)
    Refund.objects.filter(pk=refund.pk).update(submitted_at=timezone.now())
    try:
        stripe_refund = stripe_client().v1.refunds.create(
            params=_refund_params(refund, record), options={"idempotency_key": refund.idempotency_key}
        )
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as exc:
        logger.warning(
            "Refund %s: Stripe's answer is unknown (%s); reconciliation settles it", refund.pk, exc
        )
        if raise_errors:
            raise RefundError(
                _("The refund is recorded and is being processed; Stripe could not be reached just now.")
            ) from exc
        return refund
    except stripe.StripeError as exc:
        logger.warning("Refund %s: Stripe refused it: %s", refund.pk, exc)
        message = getattr(exc, "user_message", None) or str(exc)
        Refund.objects.filter(pk=refund.pk, status=RefundStatus.PROCESSING).update(
            status=RefundStatus.FAILED, error=message[:2000]
        )
        if raise_errors:
            raise RefundError(_("Stripe refused the refund: %(message)s") % {"message": message}) from exc
        return Refund.objects.get(pk=refund.pk)
    return refund_settle_from_stripe(refund=refund, stripe_refund=stripe_refund.to_dict())


def refund_settle_from_stripe(*, refund: Refund, stripe_refund: dict) -> Refund:
    """Record Stripe's refund on our "Processing" row once (order and row locked)."""
    with transaction.atomic():
        order = _lock_order(refund.order)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != RefundStatus.PROCESSING:
            return refund
        status = stripe_refund.get("status")
        refund.stripe_refund_id = stripe_refund.get("id")
        if status in ("failed", "canceled"):
            refund.status = RefundStatus.FAILED
            refund.save()
            return refund
        refund.status = RefundStatus.SUCCEEDED if status == "succeeded" else RefundStatus.PENDING
        refund.save()
        _apply_refund(order, refund=refund, lines=list(refund.lines.all()))
    return refund


def refunds_reconcile(*, older_than: timedelta | None = None) -> Counter:
    """Settle refunds left "Processing" (a crash, a timeout, a lost answer): ask Stripe for the
    PaymentIntent's refunds; one carrying our id is recorded, and if there is none the refund
    is sent again under the same idempotency key. Safe to run twice at once."""
    if older_than is None:
        older_than = timedelta(minutes=getattr(settings, "STRIPE_REFUND_RECONCILE_AFTER_MINUTES", 2))
    counts: Counter = Counter()
    stale = Refund.objects.filter(
        status=RefundStatus.PROCESSING, created_at__lte=timezone.now() - older_than
    ).select_related("order")
    for refund in stale:
        record = PaymentIntent.objects.filter(order=refund.order).first()
        try:
            found = stripe_client().v1.refunds.list(params={"payment_intent": record.intent_id, "limit": 100})
        except stripe.StripeError as exc:
            logger.warning("Refund %s: could not ask Stripe: %s", refund.pk, exc)
            counts["unreachable"] += 1
            continue
        ours = [
            item.to_dict() for item in found.data if (item.metadata or {}).get("refund") == str(refund.pk)
        ]
        if ours:
            refund_settle_from_stripe(refund=refund, stripe_refund=ours[0])
            counts["settled"] += 1
        else:
            refund = refund_submit(refund=refund, raise_errors=False)
            counts["resubmitted" if refund.status != RefundStatus.PROCESSING else "unreachable"] += 1
    return counts


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
        settled = False
        known = set(Refund.objects.filter(order=order).values_list("stripe_refund_id", flat=True))
        for item in refunds:
            if item.get("id") in known or item.get("status") not in ("succeeded", "pending"):
                continue
            ours = Refund.objects.filter(
                order=order,
                pk=_int((item.get("metadata") or {}).get("refund")),
                status=RefundStatus.PROCESSING,
            ).first()
            if ours is not None:  # sent by us, Stripe's answer not recorded yet
                refund_settle_from_stripe(refund=ours, stripe_refund=item)
                settled = True
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
            return "refunded" if settled else "duplicate"
        if order.status not in OrderStatus.PAID_STATES:
            logger.error("Order %s: refund reported while the order is %s", order.number, order.status)
            return "attention"
        for refund in created:
            _apply_refund(order, refund=refund, lines=[])
    return "refunded"


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
