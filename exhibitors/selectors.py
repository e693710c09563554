"""Reads of the resource database, scoped to the acting person.

The one scoping rule: company-private data is read through a selector that takes the
acting membership (the person's current company) or a staff user. Views never filter by
hand, so a member of company A can never reach a private record of company B.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import (
    Certificate,
    CertificateStatus,
    Company,
    CompanyStatus,
    Exhibitor,
    Invitation,
    Membership,
    Participation,
)

SESSION_KEY = "current_company"


def membership_list(*, user: AbstractBaseUser) -> list[Membership]:
    """The person's companies, exhibitor side first, each with its company loaded."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user)
        .select_related("exhibitor", "buyer")
        .order_by("exhibitor_id", "buyer_id")
    )


def membership_token(membership: Membership) -> str:
    return f"{membership.company.kind}:{membership.company.pk}"


def current_membership(*, user: AbstractBaseUser, session) -> Membership | None:
    """The company the person acts for: the one chosen in the session, else the first."""
    memberships = membership_list(user=user)
    chosen = session.get(SESSION_KEY)
    for membership in memberships:
        if membership_token(membership) == chosen:
            return membership
    return memberships[0] if memberships else None


def _company_filter(membership: Membership) -> dict:
    return {membership.company.kind: membership.company}


def member_list(*, membership: Membership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(**_company_filter(membership))
        .select_related("user")
        .order_by("role", "created_at")
    )


def member_get(*, membership: Membership, pk: int) -> Membership:
    try:
        return member_list(membership=membership).get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404 from None


def invitation_list(*, membership: Membership) -> QuerySet[Invitation]:
    return Invitation.objects.filter(**_company_filter(membership), accepted_at__isnull=True).order_by(
        "-created_at"
    )


def invitation_get(*, membership: Membership, pk: int) -> Invitation:
    try:
        return invitation_list(membership=membership).get(pk=pk)
    except Invitation.DoesNotExist:
        raise Http404 from None


def _exhibitor_of(membership: Membership) -> Exhibitor:
    if membership.exhibitor_id is None:
        raise Http404("Only exhibitors keep certificates and expo participation here.")
    return membership.exhibitor


def certificate_list(*, membership: Membership) -> QuerySet[Certificate]:
    return Certificate.objects.filter(exhibitor=_exhibitor_of(membership))


def certificate_get(*, membership: Membership, pk: int) -> Certificate:
    try:
        return certificate_list(membership=membership).get(pk=pk)
    except Certificate.DoesNotExist:
        raise Http404 from None


def participation_list(*, membership: Membership) -> QuerySet[Participation]:
    return Participation.objects.filter(exhibitor=_exhibitor_of(membership))


def participation_get(*, membership: Membership, pk: int) -> Participation:
    try:
        return participation_list(membership=membership).get(pk=pk)
    except Participation.DoesNotExist:
        raise Http404 from None


def counting_certificates(*, prefix: str = "", day=None) -> Q:
    """Certificates that count on ``day`` (default today), as a filter; ``prefix`` reaches
    them through relations (``"exhibitor__certificates__"``). Mirrors ``Certificate.is_valid_on``."""
    day = day or timezone.localdate()
    return Q(**{f"{prefix}status": CertificateStatus.VALID}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
    )


def valid_certificates(*, exhibitor: Exhibitor, day=None) -> list[Certificate]:
    """Certificates that count on ``day``, read from the prefetched certificates (no query)."""
    return [c for c in exhibitor.certificates.all() if c.is_valid_on(day)]


def can_see_contacts(*, user: AbstractBaseUser, company: Company) -> bool:
    """Contact details go to staff, the company's own members and members of verified companies."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    memberships = membership_list(user=user)
    if any(m.company == company for m in memberships):
        return True
    return any(m.company.status == CompanyStatus.VERIFIED for m in memberships)


def public_exhibitor_get(*, key: str) -> Exhibitor:
    """An exhibitor's public profile; rejected companies are not shown."""
    try:
        return (
            Exhibitor.objects.exclude(status=CompanyStatus.REJECTED)
            .prefetch_related("certificates", "categories", "photos", "participations")
            .get(key=key)
        )
    except Exhibitor.DoesNotExist:
        raise Http404 from None
