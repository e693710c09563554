"""Negotiated prices: samples and accepted quotes, each bought once, by one buyer company."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import Buyer
from exhibitors.models import CompanyStatus, Membership

from .models import NegotiatedKind, NegotiatedPrice
from .signals import negotiated_price_ordered

logger = logging.getLogger(__name__)
SELF_SERVICE_SAMPLE_DAYS = 7


def negotiated_price_grant(
    *,
    buyer: Buyer,
    product,
    unit_price: Decimal,
    quantity: int,
    kind: str,
    valid_until: date | None,
    reference: str,
    self_service: bool = False,
) -> NegotiatedPrice:
    """Agree a unit price and exact quantity of ``product`` with ``buyer`` (a sample the exhibitor
    accepted, or a quote the buyer accepted). The buyer opens ``grant.get_absolute_url()`` to put
    it in the basket and checks out as usual."""
    if kind not in NegotiatedKind.values:
        raise ValidationError(_("Unknown kind of agreed price: %(kind)s.") % {"kind": kind})
    if quantity is None or int(quantity) < 1:
        raise ValidationError(_("The agreed quantity must be at least 1."))
    unit_price = Decimal(unit_price)
    if not unit_price.is_finite() or unit_price < 0:
        raise ValidationError(_("The agreed price cannot be negative."))
    stockrecord = product.stockrecords.first()
    if stockrecord is None:
        raise ValidationError(_("'%(title)s' has no seller.") % {"title": product.get_title()})
    return NegotiatedPrice.objects.create(
        buyer=buyer,
        product=product,
        kind=kind,
        self_service=self_service,
        unit_price=unit_price.quantize(Decimal("0.01")),
        currency=stockrecord.price_currency or "CNY",
        quantity=int(quantity),
        valid_until=valid_until,
        reference=reference[:64],
    )


def _sample_already_ordered(*, buyer: Buyer, product, exclude_pk: int | None = None) -> bool:
    ordered = NegotiatedPrice.objects.filter(
        buyer=buyer, product=product, kind=NegotiatedKind.SAMPLE, self_service=True, order__isnull=False
    )
    if exclude_pk is not None:
        ordered = ordered.exclude(pk=exclude_pk)
    return ordered.exists()


def sample_grant_for_buyer(*, buyer: Buyer, product) -> NegotiatedPrice:
    """One sample unit at the product's sample price, once per buyer company and product."""
    if not product.sample_available or product.sample_price is None:
        raise ValidationError(
            _("'%(title)s' offers no samples to order online.") % {"title": product.get_title()}
        )
    if buyer.status != CompanyStatus.VERIFIED:
        raise ValidationError(_("Only verified buyer companies can order samples."))
    if _sample_already_ordered(buyer=buyer, product=product):
        raise ValidationError(
            _("Your company has already ordered a sample of '%(title)s'. Ask the exhibitor for more samples.")
            % {"title": product.get_title()}
        )
    open_grant = NegotiatedPrice.objects.filter(
        buyer=buyer, product=product, kind=NegotiatedKind.SAMPLE, self_service=True, order__isnull=True
    ).first()
    if open_grant is not None and not open_grant.is_expired and open_grant.unit_price == product.sample_price:
        return open_grant
    return negotiated_price_grant(
        buyer=buyer,
        product=product,
        unit_price=product.sample_price,
        quantity=1,
        kind=NegotiatedKind.SAMPLE,
        valid_until=timezone.localdate() + timedelta(days=SELF_SERVICE_SAMPLE_DAYS),
        reference=_("Sample"),
        self_service=True,
    )


def buyer_of(*, user, grant: NegotiatedPrice) -> bool:
    return Membership.objects.filter(user=user, buyer=grant.buyer_id).exists()


def _check_usable_by(grant: NegotiatedPrice, user) -> None:
    if not buyer_of(user=user, grant=grant):
        raise ValidationError(_("This agreed price belongs to another company."))
    refusal = grant.refusal()
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def basket_add_negotiated(*, basket, grant: NegotiatedPrice, user):
    """Put the agreed quantity at the agreed price into ``basket`` (once; a second call keeps the
    one line). Refuses someone outside the buyer company and a used or expired agreement.
    The basket row is locked first, so two clicks at once look for the line one after the other."""
    _check_usable_by(grant, user)
    stockrecord = grant.product.stockrecords.first()
    if stockrecord is None:
        raise ValidationError(_("'%(title)s' has no seller.") % {"title": grant.product.get_title()})
    if basket.id is None:
        basket.save()
    from oscar.core.loading import get_model

    # (the view's basket is a lazy object: lock through the model, not the instance's type)
    get_model("basket", "Basket").objects.select_for_update().filter(pk=basket.pk).first()
    line = basket.lines.filter(negotiated=grant).first()
    if line is not None:
        return line
    line = basket.lines.create(
        line_reference=f"{grant.product_id}_{stockrecord.pk}_agreed_{grant.pk}",
        product=grant.product,
        stockrecord=stockrecord,
        quantity=grant.quantity,
        price_currency=grant.currency,
        price_excl_tax=grant.unit_price,
        price_incl_tax=grant.unit_price,
        negotiated=grant,
    )
    basket.reset_offer_applications()
    return line


def negotiated_lines_claim(*, lines, user, order) -> list[NegotiatedPrice]:
    """Inside the order's transaction: lock the agreements its lines use, check each is still the
    ordering company's, unused and unexpired (and a self-service sample the company's first), and
    mark them used by ``order``. Raises ValidationError, which rolls the order back."""
    grant_ids = [line.negotiated_id for line in lines if line.negotiated_id]
    if not grant_ids:
        return []
    grants = list(NegotiatedPrice.objects.select_for_update().filter(pk__in=grant_ids).order_by("pk"))
    now = timezone.now()
    for grant in grants:
        _check_usable_by(grant, user)
        if grant.self_service:
            # Lock the buyer company: two baskets of one company cannot both take its one sample.
            Buyer.objects.select_for_update().filter(pk=grant.buyer_id).first()
            if _sample_already_ordered(buyer=grant.buyer, product=grant.product, exclude_pk=grant.pk):
                raise ValidationError(
                    _("Your company has already ordered a sample of '%(title)s'.")
                    % {"title": grant.product.get_title()}
                )
        grant.order = order
        grant.ordered_at = now
        grant.save(update_fields=["order", "ordered_at"])

    def notify():
        # The order is committed: a failing listener is logged, never undoes or breaks it.
        for grant in grants:
            for receiver, result in negotiated_price_ordered.send_robust(
                sender=NegotiatedPrice, grant=grant, order=order
            ):
                if isinstance(result, Exception):
                    logger.error(
                        "Order %s: %r failed on agreed price %s: %s", order.number, receiver, grant.pk, result
                    )

    transaction.on_commit(notify)
    return grants
