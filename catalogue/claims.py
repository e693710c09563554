"""A product's certificate claims: which of its exhibitor's certificates cover it, and until when.

``Product.certifications`` lists the covering codes (empty: all of the exhibitor's), unless
``Product.claims_none`` says that none covers it;
``Product.certification_expiry`` may end a claim early (code → ISO date). A claim counts
on a day while the exhibitor's certificate counts and the product's own date is not past,
so it ends at the earlier of the two dates.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q


def claim_end(expiry: dict | None, code: str) -> date | None:
    """The product's own last day for ``code`` (None: no end of its own)."""
    value = (expiry or {}).get(code)
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def earlier(first: date | None, second: date | None) -> date | None:
    """The earlier of two end dates, None standing for "no end"."""
    if first is None:
        return second
    if second is None:
        return first
    return min(first, second)


def claims(codes, expiry: dict | None, code: str, *, day: date, none: bool = False) -> bool:
    """The product covers ``code`` on ``day`` (the exhibitor's own certificate checked apart);
    ``none``: the product claims no certificate at all."""
    if none or (codes and code not in codes):
        return False
    end = claim_end(expiry, code)
    return end is None or end >= day


def claim_q(code: str, *, day: date, prefix: str = "") -> Q:
    """:func:`claims` in SQL, for a product reached through ``prefix`` (e.g. ``product__``)."""
    covered = Q(**{f"{prefix}certifications": []}) | Q(**{f"{prefix}certifications__icontains": f'"{code}"'})
    unended = Q(**{f"{prefix}certification_expiry__{code}__isnull": True}) | Q(
        **{f"{prefix}certification_expiry__{code}__gte": day.isoformat()}
    )
    return covered & unended & Q(**{f"{prefix}claims_none": False})


def claimed_codes(product, certificates, *, day: date) -> list[str]:
    """The codes of ``certificates`` (the exhibitor's, prefetched) that count on ``day`` and
    cover ``product``, sorted."""
    covered = set(product.certifications or [])
    return sorted(
        c.code
        for c in certificates
        if c.is_valid_on(day)
        and claims(covered, product.certification_expiry, c.code, day=day, none=product.claims_none)
    )
