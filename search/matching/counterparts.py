"""Candidates of a match when the subject is an exhibitor: buyers and open sourcing requests,
filtered in SQL by the same hard rules as the suppliers (``candidates``), each set bounded."""

from __future__ import annotations

from datetime import datetime

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    Q,
)
from oscar.core.loading import get_model

from buyers.models import Buyer, RequestStatus, SourcingRequest
from exhibitors.codes import CERTIFICATION_CODES
from exhibitors.models import CompanyStatus

from ..lookups import among
from .categories import CategoryTree
from .subjects import Subject, codes

ProductCategory = get_model("catalogue", "ProductCategory")
ProductPriceTier = get_model("catalogue", "ProductPriceTier")
StockRecord = get_model("partner", "StockRecord")
from .candidates import CANDIDATE_LIMIT, Candidate, _own_key, lowest_offer


def _not_held(subject: Subject) -> list[str]:
    return sorted(CERTIFICATION_CODES - subject.held)


def buyer_candidates(
    subject: Subject,
    *,
    tree: CategoryTree,
    found: set[int] | None,
    since: datetime | None,
) -> list[Candidate]:
    """Verified buyers for an exhibitor: interested in what it sells (an interest in a parent
    category counts; an exhibitor selling nothing yet is matched on the keyword hits),
    requiring no certificate it lacks."""
    fit = tree.lineage_ids(subject.have)
    if not fit and not found:
        return []
    qs = Buyer.objects.filter(status=CompanyStatus.VERIFIED).exclude(key=_own_key(subject))
    for code in _not_held(subject):
        qs = qs.exclude(required_certifications__icontains=f'"{code}"')
    interests: dict[int, set[int]] = {}
    if fit:
        for buyer_id, category_id in Buyer.interests.through.objects.filter(category_id__in=fit).values_list(
            "buyer_id", "category_id"
        ):
            interests.setdefault(buyer_id, set()).add(category_id)
        qs = qs.filter(among("id", interests))
    else:
        qs = qs.filter(among("id", found))
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    candidates = []
    for buyer_id, key, country, markets, required in qs.order_by().values_list(
        "id", "key", "country", "target_markets", "required_certifications"
    ):
        required = codes(required)
        if not set(required) <= subject.held:
            continue
        candidates.append(
            Candidate(
                kind="buyer",
                id=buyer_id,
                key=key,
                company_id=buyer_id,
                categories=interests.get(buyer_id, set()),
                markets=tuple(m for m in markets or () if m),
                country=country,
                required=required,
            )
        )
    candidates.sort(key=lambda c: (not (c.categories & subject.have), -c.id))
    return candidates[:CANDIDATE_LIMIT]


def request_candidates(
    subject: Subject,
    *,
    tree: CategoryTree,
    found: set[int] | None,
    since: datetime | None,
) -> list[Candidate]:
    """Open requests of verified buyers for an exhibitor: in a category it sells (or a
    parent of one) or a keyword hit; requiring no certificate it lacks; and, when a storage
    is named, answerable by one of its products of exactly that storage in that category."""
    fit = tree.lineage_ids(subject.have)
    if not fit and not found:
        return []
    qs = SourcingRequest.objects.filter(
        status=RequestStatus.OPEN, buyer__status=CompanyStatus.VERIFIED
    ).exclude(buyer__key=_own_key(subject))
    for code in _not_held(subject):
        qs = qs.exclude(required_certifications__icontains=f'"{code}"').exclude(
            buyer__required_certifications__icontains=f'"{code}"'
        )
    storages = {p.storage for p in subject.products if p.storage}
    qs = qs.filter(category_id__in=fit) if fit else qs.filter(among("id", found))
    qs = qs.filter(Q(storage="") | Q(storage__in=storages))
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    order = ("-pk",)
    if subject.have:
        qs = qs.annotate(
            exact=ExpressionWrapper(Q(category_id__in=subject.have), output_field=BooleanField())
        )
        order = ("-exact", "-pk")
    rows = list(
        qs.order_by(*order).values_list(
            "id",
            "reference",
            "buyer_id",
            "buyer__key",
            "buyer__country",
            "category_id",
            "storage",
            "quantity",
            "target_price",
            "currency",
            "delivery_region",
            "required_certifications",
            "buyer__required_certifications",
            "buyer__target_markets",
        )[:CANDIDATE_LIMIT]
    )
    candidates, subtrees, answers = [], {}, {}
    for (
        request_id,
        reference,
        buyer_id,
        buyer_key,
        country,
        category_id,
        storage,
        quantity,
        target_price,
        currency,
        region,
        required,
        buyer_required,
        buyer_markets,
    ) in rows:
        required = codes([*(buyer_required or []), *(required or [])])
        if not set(required) <= subject.held:
            continue
        if (category_id, required, storage) not in answers:  # requests share a few of these
            if category_id and category_id not in subtrees:
                subtrees[category_id] = tree.subtree_ids([category_id])
            answering = _answering_products(subject, fit=subtrees.get(category_id), required=required)
            if storage:
                answering = [p for p in answering if p.storage == storage]
            answers[(category_id, required, storage)] = answering
        answering = answers[(category_id, required, storage)]
        if storage and not answering:
            continue
        candidate = Candidate(
            kind="request",
            id=request_id,
            key=f"{buyer_key}/{reference}",
            company_id=buyer_id,
            categories={category_id} if category_id else set(),
            markets=tuple(m for m in [region, *(buyer_markets or [])] if m),
            country=country,
            required=required,
            storage=storage or "",
            quantity=quantity,
            target_price=target_price,
            currency=currency or "CNY",
        )
        lowest_offer(candidate, [(p.moq, p.price_at(quantity), p.currency) for p in answering])
        candidates.append(candidate)
    return candidates


def _answering_products(subject: Subject, *, fit: set[int] | None, required) -> list:
    """The exhibitor subject's products that could fill a request: in its category (``fit``,
    when it names one) and covered by every certificate it requires."""
    return [
        p
        for p in subject.products
        if (fit is None or p.categories & fit) and all(p.covers(code) for code in required)
    ]
