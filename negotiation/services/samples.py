"""Sample requests: asked by a buyer, accepted free or at a price, shipped, received, tasted."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibitors.models import Membership
from order.statuses import LineStatus, OrderStatus

from ..models import Inquiry, Quote, SampleRequest, SampleStatus, Side
from .common import (
    MAX_SAMPLES,
    SAMPLE_PRICE_DAYS,
    _app_notice,
    _check_daily_limit,
    _exhibitor_of_product,
    _notify,
    _require_party,
    _require_side,
    _require_verified,
    _status_refusal,
    check_not_blocked,
)

# Orders whose samples may be shipped: paid and not refunded.
PAID_ORDER_STATUSES = frozenset(OrderStatus.FULFILLING)


def _sample_notice(sample: SampleRequest, company, code: str, **context) -> None:
    _notify(company, code=code, link=("negotiation-sample", sample.pk), sample=sample, **context)
    about = sample.exhibitor if company.kind == "buyer" else sample.buyer
    _app_notice(company, kind="sample", obj=sample, about=about)


@transaction.atomic
def sample_request_create(
    *,
    membership: Membership,
    product,
    quantity: int,
    ship_to: str,
    message: str = "",
    inquiry: Inquiry | None = None,
) -> SampleRequest:
    _require_side(membership, Side.BUYER)
    buyer = membership.buyer
    _require_verified(buyer)
    exhibitor = _exhibitor_of_product(product)
    if inquiry is not None and (inquiry.buyer_id != buyer.pk or inquiry.exhibitor_id != exhibitor.pk):
        raise ValidationError(_("That inquiry is not about this exhibitor's products."))
    check_not_blocked(buyer_id=buyer.pk, exhibitor_id=exhibitor.pk, side=Side.BUYER)
    _check_daily_limit(buyer=buyer, kind="sample")
    if quantity is None or quantity < 1 or quantity > MAX_SAMPLES:
        raise ValidationError(
            _("Ask for between 1 and %(max)s samples.") % {"max": MAX_SAMPLES}, code="quantity"
        )
    ship_to = (ship_to or "").strip()
    if not ship_to:
        raise ValidationError(_("Say where the samples should be sent."), code="ship_to")
    sample = SampleRequest.objects.create(
        buyer=buyer,
        exhibitor=exhibitor,
        product=product,
        inquiry=inquiry,
        quantity=quantity,
        ship_to=ship_to,
        message=(message or "").strip(),
        created_by=membership.user,
    )
    _sample_notice(sample, exhibitor, "NEGOTIATION_SAMPLE_REQUESTED", buyer=buyer, product=product)
    return sample


def _locked_sample(sample: SampleRequest) -> SampleRequest:
    return (
        SampleRequest.objects.select_for_update()
        .select_related("buyer", "exhibitor", "product")
        .get(pk=sample.pk)
    )


def _require_requested(sample: SampleRequest) -> None:
    if sample.status != SampleStatus.REQUESTED:
        raise _status_refusal(_("This sample request is already %(status)s."), sample)


def _sample_price(sample: SampleRequest, unit_price) -> Decimal:
    if unit_price is None:
        unit_price = getattr(sample.product, "sample_price", None)
    try:
        unit_price = Decimal(unit_price) if unit_price is not None else None
    except (InvalidOperation, TypeError, ValueError):
        unit_price = None
    if unit_price is None or not unit_price.is_finite() or unit_price <= 0:
        raise ValidationError(
            _("Give the sample price (more than 0), or send the samples free."), code="price"
        )
    return unit_price


@transaction.atomic
def sample_accept(
    *, membership: Membership, sample: SampleRequest, free: bool, unit_price: Decimal | None = None
) -> SampleRequest:
    """The exhibitor sends the samples free, or at a sample price the buyer pays through checkout."""
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    _require_requested(sample)
    sample.first_answered_at = sample.first_answered_at or timezone.now()
    sample.status = SampleStatus.ACCEPTED
    grant = None
    if free:
        sample.unit_price = None
    else:
        from partner.models import NegotiatedKind
        from partner.services import negotiated_price_grant

        grant = negotiated_price_grant(
            buyer=sample.buyer,
            product=sample.product,
            unit_price=_sample_price(sample, unit_price),
            quantity=sample.quantity,
            kind=NegotiatedKind.SAMPLE,
            valid_until=timezone.localdate() + timedelta(days=SAMPLE_PRICE_DAYS),
            reference=sample.label,
        )
        sample.unit_price = grant.unit_price
        sample.price_grant_id = grant.pk
    sample.save()
    _sample_notice(sample, sample.buyer, "NEGOTIATION_SAMPLE_ACCEPTED", grant=grant)
    return sample


@transaction.atomic
def sample_decline(*, membership: Membership, sample: SampleRequest, reason: str) -> SampleRequest:
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the buyer a reason."), code="reason")
    _require_requested(sample)
    sample.status = SampleStatus.DECLINED
    sample.decline_reason = reason
    sample.first_answered_at = sample.first_answered_at or timezone.now()
    sample.save()
    _sample_notice(sample, sample.buyer, "NEGOTIATION_SAMPLE_DECLINED")
    return sample


def sample_order(sample: SampleRequest):
    """The paid order of a paid sample, or None."""
    if not sample.order_number:
        return None
    from oscar.core.loading import get_model

    return get_model("order", "Order").objects.filter(number=sample.order_number).first()


@transaction.atomic
def sample_ship(*, membership: Membership, sample: SampleRequest, tracking: str) -> SampleRequest:
    """The exhibitor ships: a free sample once accepted, a paid one once its order is paid
    (its order lines are confirmed and shipped with the same tracking number)."""
    _require_side(membership, Side.EXHIBITOR)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    tracking = (tracking or "").strip()
    if not tracking:
        raise ValidationError(_("Give the tracking number of the shipment."), code="tracking")
    if sample.is_paid_sample:
        order = sample_order(sample)
        if sample.status != SampleStatus.ORDERED or order is None:
            raise ValidationError(_("The buyer has not ordered these samples yet."), code="status")
        if order.status not in PAID_ORDER_STATUSES:
            raise ValidationError(
                _("Order %(number)s is not paid yet.") % {"number": order.number}, code="status"
            )
        _ship_order_lines(membership=membership, order=order, product_id=sample.product_id, tracking=tracking)
    elif sample.status != SampleStatus.ACCEPTED:
        raise _status_refusal(_("This sample request is %(status)s; it cannot be shipped."), sample)
    sample.status = SampleStatus.SHIPPED
    sample.tracking = tracking[:128]
    sample.shipped_at = timezone.now()
    sample.save()
    _sample_notice(sample, sample.buyer, "NEGOTIATION_SAMPLE_SHIPPED")
    return sample


def _ship_order_lines(*, membership: Membership, order, product_id: int, tracking: str) -> None:
    """Confirm and ship the order's lines of the sample product through the order app."""
    from order import services as order_services

    lines = list(order.lines.filter(partner_id=membership.exhibitor.partner_id, product_id=product_id))
    to_confirm = [line.pk for line in lines if line.status == LineStatus.PAID]
    if to_confirm:
        order_services.exhibitor_lines_confirm(membership=membership, order=order, line_ids=to_confirm)
    confirmed = order.lines.filter(pk__in=[line.pk for line in lines], status=LineStatus.CONFIRMED)
    quantities = {line.pk: line.quantity for line in confirmed}
    if quantities:
        order_services.exhibitor_lines_ship(
            membership=membership, order=order, quantities=quantities, tracking=tracking
        )


@transaction.atomic
def sample_confirm_receipt(*, membership: Membership, sample: SampleRequest) -> SampleRequest:
    _require_side(membership, Side.BUYER)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    if sample.status != SampleStatus.SHIPPED:
        raise ValidationError(_("The samples have not been shipped yet."), code="status")
    sample.status = SampleStatus.RECEIVED
    sample.received_at = timezone.now()
    sample.save()
    return sample


@transaction.atomic
def sample_feedback(
    *, membership: Membership, sample: SampleRequest, feedback: str, rating: int | None = None
) -> SampleRequest:
    """Tasting feedback from the buyer, seen by that exhibitor only."""
    _require_side(membership, Side.BUYER)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    if not sample.has_arrived:
        raise ValidationError(_("Give feedback once the samples have arrived."), code="status")
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError(_("Write how the samples tasted."), code="feedback")
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError(_("Rate from 1 to 5."), code="rating")
    if sample.status == SampleStatus.SHIPPED:
        sample.status = SampleStatus.RECEIVED
        sample.received_at = timezone.now()
    sample.feedback = feedback
    sample.feedback_rating = rating
    sample.save()
    _sample_notice(sample, sample.exhibitor, "NEGOTIATION_SAMPLE_FEEDBACK")
    return sample


@transaction.atomic
def sample_cancel(*, membership: Membership, sample: SampleRequest) -> SampleRequest:
    _require_side(membership, Side.BUYER)
    _require_party(membership, sample)
    sample = _locked_sample(sample)
    if not sample.can_be_withdrawn:
        raise ValidationError(_("This sample request can no longer be withdrawn."), code="status")
    sample.status = SampleStatus.CANCELLED
    sample.save(update_fields=["status"])
    return sample


@transaction.atomic
def negotiated_order_record(*, grant_id: int, order_number: str) -> None:
    """An order was placed with a sample's or a quote's negotiated price."""
    for sample in SampleRequest.objects.select_for_update().filter(price_grant_id=grant_id):
        sample.order_number = order_number
        if sample.status == SampleStatus.ACCEPTED:
            sample.status = SampleStatus.ORDERED
        sample.save(update_fields=["order_number", "status"])
        _sample_notice(sample, sample.exhibitor, "NEGOTIATION_SAMPLE_ORDERED", order_number=order_number)
    Quote.objects.filter(price_grant_id=grant_id).update(order_number=order_number)
