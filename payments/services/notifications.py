"""Payment e-mails: to the buyer, to each exhibitor about its own lines, and to staff."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from oscar.core.loading import get_model

from exhibitors.services import absolute_url, company_recipients
from expo.tasks import send_mail_task

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
        context=_order_context(
            order, transfer=transfer, account=bank_account(), account_is_demo=bank_account_is_demo()
        ),
    )
