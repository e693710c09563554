"""Reads for the checkout: who may buy."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from exhibitors.models import CompanyStatus, Membership


@dataclass(frozen=True)
class BuyerStanding:
    """Whether a person may check out, and if not, why (``reason`` is a short code)."""

    allowed: bool
    reason: str = ""
    company_name: str = ""


def buyer_standing(*, user: AbstractBaseUser) -> BuyerStanding:
    """Only members of a verified buyer company buy: orders are company purchases (invoices,
    transfers from a company account), so a person without a verified company cannot order."""
    if not user.is_authenticated:
        return BuyerStanding(False, "anonymous")
    memberships = list(Membership.objects.filter(user=user, buyer__isnull=False).select_related("buyer"))
    if any(m.buyer.status == CompanyStatus.VERIFIED for m in memberships):
        verified = next(m.buyer for m in memberships if m.buyer.status == CompanyStatus.VERIFIED)
        return BuyerStanding(True, company_name=verified.display_name)
    if not memberships:
        return BuyerStanding(False, "no_company")
    company = memberships[0].buyer
    reason = "rejected" if company.status == CompanyStatus.REJECTED else "pending"
    return BuyerStanding(False, reason, company.display_name)
