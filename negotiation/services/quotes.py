"""Quotes on buyers' sourcing requests: submitted, revised, accepted, withdrawn, expired."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import RequestStatus, SourcingRequest
from exhibitors.models import Membership

from ..models import DeliveryTerms, Quote, QuoteStatus, Side, Thread
from .common import (
    _app_notice,
    _notify,
    _require_party,
    _require_side,
    _require_verified,
    _status_refusal,
    check_not_blocked,
)

# What an exhibitor fills in to quote: the quote form's fields, in its order, and the keyword
# arguments of ``quote_submit`` besides the membership and the request.
QUOTE_FIELDS = ("product", "unit_price", "moq", "lead_time_days", "delivery_terms", "valid_until", "message")


def _locked_request(request_id: int) -> SourcingRequest:
    return SourcingRequest.objects.select_for_update().select_related("buyer").get(pk=request_id)


def _quote_notice(quote: Quote, company, code: str, **context) -> None:
    _notify(
        company,
        code=code,
        link=("negotiation-quote", quote.pk),
        quote=quote,
        sourcing_request=quote.request,
        **context,
    )


def _check_terms(*, unit_price, moq, lead_time_days, delivery_terms, valid_until) -> None:
    if unit_price is None or unit_price <= 0:
        raise ValidationError(_("The unit price must be more than 0."), code="unit_price")
    if moq is None or moq < 1:
        raise ValidationError(_("The minimum order quantity must be at least 1."), code="moq")
    if lead_time_days is None or lead_time_days < 0:
        raise ValidationError(_("Give the lead time in days."), code="lead_time_days")
    if delivery_terms not in DeliveryTerms.values:
        raise ValidationError(_("Choose the delivery terms."), code="delivery_terms")
    if valid_until is None or valid_until < timezone.localdate():
        raise ValidationError(_("The quote must be valid until today or later."), code="valid_until")


@transaction.atomic
def quote_submit(
    *,
    membership: Membership,
    request: SourcingRequest,
    product,
    unit_price: Decimal,
    moq: int,
    lead_time_days: int,
    delivery_terms: str,
    valid_until: date,
    message: str = "",
) -> Quote:
    """An exhibitor quotes on an open request, or revises its open quote on it."""
    _require_side(membership, Side.EXHIBITOR)
    exhibitor = membership.exhibitor
    _require_verified(exhibitor)
    request = _locked_request(request.pk)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This sourcing request is closed; it takes no more quotes."), code="closed")
    check_not_blocked(buyer_id=request.buyer_id, exhibitor_id=exhibitor.pk, side=Side.EXHIBITOR)
    if not product.stockrecords.filter(partner_id=exhibitor.partner_id).exists():
        raise ValidationError(_("Quote one of your own products."), code="product")
    _check_terms(
        unit_price=unit_price,
        moq=moq,
        lead_time_days=lead_time_days,
        delivery_terms=delivery_terms,
        valid_until=valid_until,
    )
    fields = {
        "product": product,
        "unit_price": Decimal(unit_price).quantize(Decimal("0.01")),
        "currency": request.currency or "CNY",
        "moq": moq,
        "lead_time_days": lead_time_days,
        "delivery_terms": delivery_terms,
        "valid_until": valid_until,
        "message": (message or "").strip(),
    }
    quote = Quote.objects.select_for_update().filter(request=request, exhibitor=exhibitor).first()
    revised = quote is not None
    if revised:
        if not quote.is_open:
            raise _status_refusal(_("Your quote on this request is %(status)s; it cannot be changed."), quote)
        for name, value in fields.items():
            setattr(quote, name, value)
        quote.save()
    else:
        thread = Thread.objects.create(
            buyer=request.buyer,
            exhibitor=exhibitor,
            subject=_("Quote on %(title)s") % {"title": request.title},
        )
        quote = Quote.objects.create(
            request=request, exhibitor=exhibitor, thread=thread, created_by=membership.user, **fields
        )
        thread.subject = f"{quote.label} · {thread.subject}"[:255]
        thread.save(update_fields=["subject"])
    _notify(
        request.buyer,
        code="NEGOTIATION_QUOTE_SUBMITTED",
        link=("negotiation-request-quotes", request.pk),
        quote=quote,
        sourcing_request=request,
        exhibitor=exhibitor,
        revised=revised,
    )
    _app_notice(request.buyer, kind="quote", obj=quote, about=exhibitor, request=request.reference)
    return quote


def quote_quantity(quote: Quote) -> int:
    """What the buyer orders at the quoted price: the request's quantity, at least the quote's MOQ."""
    wanted = math.ceil(quote.request.quantity) if quote.request.quantity else 0
    return max(int(wanted), quote.moq, 1)


def _close_other_quotes(*, request: SourcingRequest, status: str, exclude: int | None = None) -> None:
    others = (
        Quote.objects.select_for_update()
        .filter(request=request, status=QuoteStatus.OPEN)
        .select_related("exhibitor")
    )
    if exclude:
        others = others.exclude(pk=exclude)
    now = timezone.now()
    code = "NEGOTIATION_QUOTE_NOT_CHOSEN" if status == QuoteStatus.NOT_CHOSEN else "NEGOTIATION_QUOTE_EXPIRED"
    for other in others:
        other.status = status
        other.decided_at = now
        other.first_answered_at = other.first_answered_at or now
        other.save(update_fields=["status", "decided_at", "first_answered_at"])
        _quote_notice(other, other.exhibitor, code, request_closed=True)


@transaction.atomic
def quote_accept(*, membership: Membership, quote: Quote) -> Quote:
    """The buyer accepts one quote: it becomes a negotiated price for this buyer until the quote
    expires, the request closes and the other open quotes are told they were not chosen."""
    _require_side(membership, Side.BUYER)
    _require_party(membership, quote)
    request = _locked_request(quote.request_id)  # one acceptance per request, even when two race
    quote = (
        Quote.objects.select_for_update().select_related("request", "product", "exhibitor").get(pk=quote.pk)
    )
    if not quote.is_open:
        raise _status_refusal(_("This quote is %(status)s and can no longer be accepted."), quote)
    if quote.valid_until < timezone.localdate():
        raise ValidationError(
            _("This quote expired on %(date)s. Ask the exhibitor for a new one in its conversation.")
            % {"date": quote.valid_until.isoformat()},
            code="expired",
        )
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This sourcing request is closed."), code="closed")
    check_not_blocked(buyer_id=request.buyer_id, exhibitor_id=quote.exhibitor_id, side=Side.BUYER)
    from partner.models import NegotiatedKind
    from partner.services import negotiated_price_grant

    grant = negotiated_price_grant(
        buyer=request.buyer,
        product=quote.product,
        unit_price=quote.unit_price,
        quantity=quote_quantity(quote),
        kind=NegotiatedKind.QUOTE,
        valid_until=quote.valid_until,
        reference=quote.label,
    )
    now = timezone.now()
    quote.status = QuoteStatus.ACCEPTED
    quote.price_grant_id = grant.pk
    quote.decided_at = now
    quote.first_answered_at = quote.first_answered_at or now
    quote.save()
    request.status = RequestStatus.CLOSED
    request.save(update_fields=["status", "updated_at"])
    _close_other_quotes(request=request, status=QuoteStatus.NOT_CHOSEN, exclude=quote.pk)
    _quote_notice(
        quote,
        quote.exhibitor,
        "NEGOTIATION_QUOTE_ACCEPTED",
        buyer=request.buyer,
        quantity=quote_quantity(quote),
    )
    _app_notice(quote.exhibitor, kind="quote_accepted", obj=quote, about=request.buyer)
    return quote


def quote_price_grant(quote_or_sample):
    """The negotiated price a quote or sample created, or None."""
    if not quote_or_sample.price_grant_id:
        return None
    from oscar.core.loading import get_model

    return get_model("partner", "NegotiatedPrice").objects.filter(pk=quote_or_sample.price_grant_id).first()


@transaction.atomic
def request_close(*, membership: Membership, request: SourcingRequest) -> SourcingRequest:
    """The buyer closes a request without choosing; its open quotes expire with a notice."""
    _require_side(membership, Side.BUYER)
    if request.buyer_id != membership.buyer_id:
        raise ValidationError(_("This belongs to other companies."))
    request = _locked_request(request.pk)
    if request.status != RequestStatus.CLOSED:
        request.status = RequestStatus.CLOSED
        request.save(update_fields=["status", "updated_at"])
    _close_other_quotes(request=request, status=QuoteStatus.EXPIRED)
    return request


@transaction.atomic
def quote_withdraw(*, membership: Membership, quote: Quote) -> Quote:
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, quote)
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if not quote.is_open:
        raise ValidationError(_("Only an open quote can be withdrawn."), code="status")
    quote.status = QuoteStatus.WITHDRAWN
    quote.decided_at = timezone.now()
    quote.save(update_fields=["status", "decided_at"])
    return quote


def quotes_expire(*, today: date | None = None) -> int:
    """Open quotes past their date, or on requests closed elsewhere, expire with a notice."""
    today = today or timezone.localdate()
    count = 0
    stale = Quote.objects.filter(status=QuoteStatus.OPEN).filter(
        Q(valid_until__lt=today) | ~Q(request__status=RequestStatus.OPEN)
    )
    for quote_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            quote = (
                Quote.objects.select_for_update()
                .select_related("request", "request__buyer", "exhibitor")
                .filter(pk=quote_id, status=QuoteStatus.OPEN)
                .first()
            )
            if quote is None:
                continue
            quote.status = QuoteStatus.EXPIRED
            quote.decided_at = timezone.now()
            quote.save(update_fields=["status", "decided_at"])
            for company in (quote.exhibitor, quote.request.buyer):
                _quote_notice(quote, company, "NEGOTIATION_QUOTE_EXPIRED", request_closed=False)
            count += 1
    return count
