"""Reads of orders, scoped: an exhibitor sees only its own lines, a buyer its own orders."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from oscar.core.loading import get_model

Order = get_model("order", "Order")
Line = get_model("order", "Line")


def exhibitor_order_list(*, membership) -> QuerySet:
    """Orders holding at least one line of the current exhibitor, with only those lines."""
    if membership.exhibitor_id is None:
        raise Http404("Only exhibitors fulfil orders.")
    partner_id = membership.exhibitor.partner_id
    own_lines = Line.objects.filter(partner_id=partner_id).order_by("id")
    return (
        Order.objects.filter(lines__partner_id=partner_id)
        .distinct()
        .select_related("user", "shipping_address")
        .prefetch_related(Prefetch("lines", queryset=own_lines, to_attr="own_lines"))
        .order_by("-date_placed", "-id")
    )


def order_is_all_own(order) -> bool:
    """Whether every line of ``order`` (fetched by :func:`exhibitor_order_list`) is the exhibitor's."""
    return not order.lines.exclude(pk__in=[line.pk for line in order.own_lines]).exists()


def exhibitor_order_get(*, membership, number: str):
    try:
        return exhibitor_order_list(membership=membership).get(number=number)
    except Order.DoesNotExist:
        raise Http404 from None


def shipped_quantities(lines) -> dict[int, int]:
    """How many units of each line have been shipped so far."""
    rows = (
        get_model("order", "ShippingEventQuantity")
        .objects.filter(line__in=lines, event__event_type__code="shipped")
        .values("line_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["line_id"]: row["total"] for row in rows}


def tracking_numbers(order, lines) -> list[str]:
    events = order.shipping_events.filter(event_type__code="shipped", lines__in=lines).distinct()
    return [event.notes for event in events if event.notes]


def buyer_order_list(*, membership) -> QuerySet:
    """Orders placed by any member of the acting buyer company, newest first."""
    if membership.buyer_id is None:
        raise Http404("Only buyers place orders.")
    from exhibitors.models import Membership

    members = Membership.objects.filter(buyer_id=membership.buyer_id).values("user_id")
    return Order.objects.filter(user_id__in=members).order_by("-date_placed", "-id")


def buyer_order_get(*, membership, number: str):
    order = buyer_order_list(membership=membership).filter(number=number).first()
    if order is None:
        raise Http404
    return order


def exhibitor_line_list(*, membership, status: str | None = None) -> QuerySet:
    """The exhibitor's own lines across all orders, newest first."""
    if membership.exhibitor_id is None:
        raise Http404("Only exhibitors fulfil orders.")
    lines = Line.objects.filter(partner_id=membership.exhibitor.partner_id).select_related("order")
    return lines.filter(status=status) if status else lines


def line_tracking(order, lines) -> dict[int, list[str]]:
    """The tracking numbers each line was shipped under, in one query."""
    rows = (
        get_model("order", "ShippingEventQuantity")
        .objects.filter(line__in=lines, event__order=order, event__event_type__code="shipped")
        .values_list("line_id", "event__notes")
        .order_by("event_id")
    )
    tracking: dict[int, list[str]] = {}
    for line_id, notes in rows:
        if notes and notes not in tracking.setdefault(line_id, []):
            tracking[line_id].append(notes)
    return tracking
