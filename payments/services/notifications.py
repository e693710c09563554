"""Payment e-mails: to the buyer, to each exhibitor about its own lines, and to staff."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_model

from exhibitors.services import absolute_url, company_recipients
from expo.mail import mail_send

from ..models import (
    BankTransfer,
)
from ..selectors import bank_account, bank_account_is_demo

logger = logging.getLogger("payments")

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

# E-mails ---------------------------------------------------------------------------------


def _send(*, recipients: list[str], code: str, context: dict) -> None:
    """Payment e-mail ``code`` (an Oscar communication event type staff may edit; its file
    templates are ``commtype_payment_*`` and speak both languages), sent after commit."""
    mail_send(code=code, context=context, recipients=recipients)


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
    from notifications.services import order_status_notify

    order_status_notify(order=order, status="Paid")  # OrderStatus.PAID
    _send(
        recipients=_buyer_recipients(order),
        code="PAYMENT_ORDER_PAID_BUYER",
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
            code="PAYMENT_ORDER_PAID_EXHIBITOR",
            context={"order": order, "lines": lines, "partner": partner},
        )


def _notify_staff(order: Order, problem: str) -> None:
    logger.error("Order %s needs attention: %s", order.number, problem)
    _send(
        recipients=_staff_recipients(),
        code="PAYMENT_STAFF_ATTENTION",
        context={"order": order, "problem": problem},
    )


def payment_placed_notify(*, order: Order) -> None:
    """Tell the buyer the order is placed and how to pay it."""
    transfer = BankTransfer.objects.filter(order=order).first()
    _send(
        recipients=_buyer_recipients(order),
        code="PAYMENT_ORDER_PLACED",
        context=_order_context(
            order, transfer=transfer, account=bank_account(), account_is_demo=bank_account_is_demo()
        ),
    )
