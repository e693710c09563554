"""Exhibitors fulfil their own lines of an order: confirm, ship (with tracking, partial
allowed), mark delivered. The order's status follows its lines; e-mails go through Celery."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import InvalidLineStatus, InvalidShippingEvent
from oscar.core.loading import get_class, get_model

from expo.mail import mail_send

from .selectors import order_is_all_own, shipped_quantities
from .statuses import LineStatus, OrderStatus

EventHandler = get_class("order.processing", "EventHandler")
ShippingEventType = get_model("order", "ShippingEventType")
Order = get_model("order", "Order")


def _own_lines(order, membership, line_ids) -> list:
    lines = [line for line in order.own_lines if line.pk in set(line_ids)]
    if not lines or len(lines) != len(set(line_ids)):
        raise ValidationError(_("Choose lines of your own in this order."), code="lines")
    return lines


def _set_line_status(lines, status: str) -> list:
    """Move ``lines`` to ``status``; the lines that changed (one already there stays, unchanged)."""
    changed = []
    for line in lines:
        if line.status == status:
            continue
        try:
            line.set_status(status)
            changed.append(line)
        except InvalidLineStatus:
            raise ValidationError(
                _("“%(product)s” is %(status)s and cannot become %(new)s."),
                params={"product": line.title, "status": _(line.status), "new": _(status)},
                code="status",
            ) from None
    return changed


def _sync_order_status(order) -> None:
    """The order's status summarises its lines once payment is in."""
    statuses = set(order.lines.values_list("status", flat=True))
    if order.status not in OrderStatus.FULFILLING:
        return
    if statuses == {LineStatus.DELIVERED}:
        target = OrderStatus.DELIVERED
    elif statuses <= {LineStatus.SHIPPED, LineStatus.DELIVERED}:
        target = OrderStatus.SHIPPED
    elif statuses & {LineStatus.SHIPPED, LineStatus.DELIVERED} or order.shipping_events.exists():
        target = OrderStatus.PARTIALLY_SHIPPED
    else:
        return
    if target != order.status and target in order.available_statuses():
        order.set_status(target)


# What the buyer's app notification says the lines became, by e-mail event type.
NOTICE_STATUS = {"ORDER_LINES_CONFIRMED": LineStatus.CONFIRMED, "ORDER_LINES_SHIPPED": LineStatus.SHIPPED}


def _notify_buyer(order, *, code: str, context: dict) -> None:
    """E-mail ``code`` (an Oscar communication event type) to the buyer after commit, and
    notify the buyer company in its app."""
    if order.user_id and order.user.email:
        mail_send(code=code, context={"order": order, **context}, recipients=[order.user.email])
    from notifications.services import order_status_notify

    order_status_notify(order=order, status=NOTICE_STATUS.get(code, order.status))


@transaction.atomic
def exhibitor_lines_confirm(*, membership, order, line_ids: list[int]) -> None:
    order = Order.objects.select_for_update().get(pk=order.pk)
    order.own_lines = list(order.lines.filter(partner_id=membership.exhibitor.partner_id))
    lines = _own_lines(order, membership, line_ids)
    # A repeated confirmation (a retried request) changes nothing and tells the buyer nothing.
    if _set_line_status(lines, LineStatus.CONFIRMED):
        _notify_buyer(order, code="ORDER_LINES_CONFIRMED", context={"exhibitor": membership.exhibitor})


@transaction.atomic
def exhibitor_lines_ship(*, membership, order, quantities: dict[int, int], tracking: str) -> None:
    """Ship some units of some lines; a line becomes Shipped when all its units have left."""
    tracking = tracking.strip()
    if not tracking:
        raise ValidationError(_("Give the tracking number of the shipment."), code="tracking")
    order = Order.objects.select_for_update().get(pk=order.pk)
    order.own_lines = list(order.lines.filter(partner_id=membership.exhibitor.partner_id))
    quantities = {line_id: qty for line_id, qty in quantities.items() if qty > 0}
    lines = _own_lines(order, membership, list(quantities))
    for line in lines:
        if line.status != LineStatus.CONFIRMED:
            raise ValidationError(
                _("Confirm “%(product)s” before shipping it."), params={"product": line.title}, code="status"
            )
    event_type, _created = ShippingEventType.objects.get_or_create(
        code="shipped", defaults={"name": "Shipped"}
    )
    handler = EventHandler()
    try:
        handler.handle_shipping_event(
            order, event_type, lines, [quantities[line.pk] for line in lines], reference=tracking
        )
    except InvalidShippingEvent:
        raise ValidationError(_("More units than were ordered cannot be shipped."), code="quantity") from None
    handler.consume_stock_allocations(order, lines, [quantities[line.pk] for line in lines])
    shipped = shipped_quantities(lines)
    _set_line_status([line for line in lines if shipped.get(line.pk, 0) >= line.quantity], LineStatus.SHIPPED)
    _sync_order_status(order)
    _notify_buyer(
        order, code="ORDER_LINES_SHIPPED", context={"exhibitor": membership.exhibitor, "tracking": tracking}
    )


@transaction.atomic
def exhibitor_lines_deliver(*, membership, order, line_ids: list[int]) -> None:
    order = Order.objects.select_for_update().get(pk=order.pk)
    order.own_lines = list(order.lines.filter(partner_id=membership.exhibitor.partner_id))
    lines = _own_lines(order, membership, line_ids)
    if not _set_line_status(lines, LineStatus.DELIVERED):
        return  # a repeated delivery (a retried request): nothing changed, nobody is told again
    _sync_order_status(order)
    from notifications.services import order_status_notify

    order_status_notify(order=order, status=LineStatus.DELIVERED)


def exhibitor_lines_refund(*, membership, order, line_ids: list[int], reason: str = ""):
    """An owner of the exhibitor refunds chosen lines of its own (through Stripe, or recorded for a
    transfer back); other exhibitors' lines are out of reach."""
    from exhibitors.models import Role
    from payments.services import PaymentError, refund_create

    if membership.role != Role.OWNER:
        raise ValidationError(_("Only an owner of the company can refund."), code="role")
    lines = _own_lines(order, membership, line_ids)
    try:
        return refund_create(order=order, lines=lines, by=membership.user, reason=reason.strip()[:255])
    except PaymentError as error:
        raise ValidationError(str(error), code="refund") from None


def exhibitor_transfer_confirm(*, membership, order):
    """The exhibitor confirms a bank transfer arrived; only for an order entirely its own (an order
    with several exhibitors is paid to the platform and confirmed by staff)."""
    from payments.services import PaymentError, bank_transfer_confirm

    if not order_is_all_own(order):
        raise ValidationError(
            _("This order includes other exhibitors' goods; the expo's staff confirm its transfer."),
            code="shared",
        )
    try:
        return bank_transfer_confirm(order=order, by=membership.user)
    except PaymentError as error:
        raise ValidationError(str(error), code="transfer") from None
