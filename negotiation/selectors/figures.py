"""Figures of negotiation: responsiveness (also read by matchmaking), relationship memory, staff figures."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime, timedelta

from django.utils import timezone

from exhibitors.models import Membership

from ..models import (
    Inquiry,
    Meeting,
    MeetingStatus,
    Outcome,
    Quote,
    SampleRequest,
    Side,
)

RESPONSIVENESS_DAYS = 90


# --- responsiveness (also read by matchmaking) -------------------------------------------


def _received_rows(*, side: str, ids: list[int] | None, since: datetime, until: datetime) -> list[tuple]:
    """(company id, received at, first answered at) of everything the companies were asked.

    Exhibitors are asked through inquiries, sample requests and meeting requests; buyers
    through quotes on their sourcing requests (answered by a reply, an acceptance or a close).
    """
    window = {"created_at__gte": since, "created_at__lt": until}
    rows: list[tuple] = []
    if side == Side.EXHIBITOR:
        for model in (Inquiry, SampleRequest, Meeting):
            qs = model.objects.filter(**window)
            if ids is not None:
                qs = qs.filter(exhibitor_id__in=ids)
            rows += list(qs.values_list("exhibitor_id", "created_at", "first_answered_at"))
    else:
        qs = Quote.objects.filter(**window)
        if ids is not None:
            qs = qs.filter(request__buyer_id__in=ids)
        rows += list(qs.values_list("request__buyer_id", "created_at", "first_answered_at"))
    return rows


def _figures(rows: list[tuple], until: datetime) -> dict:
    received = len(rows)
    hours = [
        (answered - asked).total_seconds() / 3600
        for _company, asked, answered in rows
        if answered is not None and answered <= until
    ]
    return {
        "median_first_answer_hours": round(statistics.median(hours), 2) if hours else None,
        "answer_rate": round(len(hours) / received, 4) if received else None,
        "answered": len(hours),
        "received": received,
    }


def responsiveness_for(
    *, exhibitor_ids=None, buyer_ids=None, as_of: datetime | None = None
) -> dict[int, dict]:
    """Per company id, over the 90 days before ``as_of`` (default now):
    ``{"median_first_answer_hours": float|None, "answer_rate": float|None, "answered": int,
    "received": int}``. An answer counts when given by ``as_of``.

    Pass exhibitor ids or buyer ids (the keys are that side's ids, so one side per call);
    a side passed as ``None`` is not computed, except that with neither given every exhibitor
    that was asked anything is returned. Companies asked nothing get zeros and ``None``.
    """
    if exhibitor_ids and buyer_ids:
        raise ValueError("responsiveness_for: pass exhibitor_ids or buyer_ids, not both (ids may collide)")
    until = as_of or timezone.now()
    since = until - timedelta(days=RESPONSIVENESS_DAYS)
    if buyer_ids is not None:
        side, ids = Side.BUYER, [int(i) for i in buyer_ids]
    else:
        side, ids = Side.EXHIBITOR, None if exhibitor_ids is None else [int(i) for i in exhibitor_ids]
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for row in _received_rows(side=side, ids=ids, since=since, until=until):
        grouped[row[0]].append(row)
    keys = ids if ids is not None else list(grouped)
    return {company_id: _figures(grouped.get(company_id, []), until) for company_id in keys}


def responsiveness_of(company) -> dict:
    """One company's figures (an exhibitor or a buyer) for its public pages."""
    if company.kind == "exhibitor":
        return responsiveness_for(exhibitor_ids=[company.pk])[company.pk]
    return responsiveness_for(buyer_ids=[company.pk])[company.pk]


# --- relationship memory ----------------------------------------------------------------------


def relationship_history(*, membership: Membership, company) -> dict | None:
    """What the acting company did with ``company`` (its counterpart), across editions:
    inquiries, samples, meetings, quotes and orders, newest first. ``None`` when the two
    are not a buyer–exhibitor pair."""
    if membership.exhibitor_id and company.kind == "buyer":
        pair = {"buyer_id": company.pk, "exhibitor_id": membership.exhibitor_id}
    elif membership.buyer_id and company.kind == "exhibitor":
        pair = {"buyer_id": membership.buyer_id, "exhibitor_id": company.pk}
    else:
        return None
    from oscar.core.loading import get_model

    from exhibitors.models import Exhibitor

    Order = get_model("order", "Order")
    partner_id = (
        Exhibitor.objects.filter(pk=pair["exhibitor_id"]).values_list("partner_id", flat=True).first()
    )
    orders = (
        Order.objects.filter(user__memberships__buyer_id=pair["buyer_id"], lines__partner_id=partner_id)
        .distinct()
        .order_by("-date_placed")[:20]
    )
    history = {
        "inquiries": list(Inquiry.objects.filter(**pair).order_by("-created_at")[:20]),
        "samples": list(
            SampleRequest.objects.filter(**pair).select_related("product").order_by("-created_at")[:20]
        ),
        "meetings": list(Meeting.objects.filter(**pair).order_by("-created_at")[:20]),
        "quotes": list(
            Quote.objects.filter(request__buyer_id=pair["buyer_id"], exhibitor_id=pair["exhibitor_id"])
            .select_related("request")
            .order_by("-created_at")[:20]
        ),
        "orders": list(orders),
    }
    history["any"] = any(history.values())
    return history


# --- staff figures ---------------------------------------------------------------------------


def _category_of_products(product_ids: list[int]) -> dict[int, str]:
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    result = {}
    for product in Product.objects.filter(pk__in=product_ids).prefetch_related("categories"):
        categories = list(product.categories.all())
        result[product.pk] = _root_name(categories[0]) if categories else ""
    return result


def _root_name(category) -> str:
    root = category.get_ancestors_and_self()[0] if hasattr(category, "get_ancestors_and_self") else category
    return root.display_name


def staff_figures() -> list[dict]:
    """Counts and rates per expo edition (the calendar year) and top-level category.

    Inquiries and samples count under their (first) product's category, quotes under their
    request's, meetings under the exhibitor's first declared category.
    """
    rows: dict[tuple, dict] = defaultdict(
        lambda: {
            "inquiries": 0,
            "inquiries_answered": 0,
            "samples": 0,
            "meetings_requested": 0,
            "meetings_accepted": 0,
            "meetings_held": 0,
            "meetings_no_show": 0,
            "quotes": 0,
            "quotes_accepted": 0,
            "quotes_ordered": 0,
        }
    )
    inquiries = list(Inquiry.objects.prefetch_related("products__categories"))
    for inquiry in inquiries:
        products = list(inquiry.products.all())
        categories = list(products[0].categories.all()) if products else []
        key = (inquiry.created_at.year, _root_name(categories[0]) if categories else "")
        rows[key]["inquiries"] += 1
        rows[key]["inquiries_answered"] += inquiry.first_answered_at is not None
    samples = list(SampleRequest.objects.values_list("created_at", "product_id"))
    sample_categories = _category_of_products([p for _c, p in samples])
    for created, product_id in samples:
        rows[(created.year, sample_categories.get(product_id, ""))]["samples"] += 1
    for quote in Quote.objects.select_related("request__category"):
        category = _root_name(quote.request.category) if quote.request.category_id else ""
        row = rows[(quote.created_at.year, category)]
        row["quotes"] += 1
        row["quotes_accepted"] += quote.is_accepted
        row["quotes_ordered"] += bool(quote.order_number)
    for meeting in Meeting.objects.prefetch_related("exhibitor__categories"):
        categories = list(meeting.exhibitor.categories.all())
        row = rows[
            (meeting.edition_year or meeting.created_at.year, _root_name(categories[0]) if categories else "")
        ]
        row["meetings_requested"] += 1
        row["meetings_accepted"] += meeting.status == MeetingStatus.ACCEPTED
        outcomes = {meeting.buyer_outcome, meeting.exhibitor_outcome}
        row["meetings_held"] += Outcome.MET in outcomes and Outcome.NO_SHOW not in outcomes
        row["meetings_no_show"] += Outcome.NO_SHOW in outcomes
    result = []
    for (year, category), row in sorted(rows.items(), key=lambda item: (-item[0][0], item[0][1])):
        result.append(
            {
                "edition": year,
                "category": category,
                **row,
                "answer_rate": round(row["inquiries_answered"] / row["inquiries"], 3)
                if row["inquiries"]
                else None,
                "quote_order_rate": round(row["quotes_ordered"] / row["quotes"], 3)
                if row["quotes"]
                else None,
            }
        )
    return result
