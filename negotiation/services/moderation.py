"""Blocking a counterpart, and reporting abuse to the expo staff."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from buyers.models import Buyer
from exhibitors.models import Exhibitor, Membership
from expo.mail import mail_send

from ..models import AbuseReport, CompanyBlock, Side
from .common import _side


def _pair(membership: Membership, counterpart) -> dict:
    side = _side(membership)
    if side == Side.BUYER and isinstance(counterpart, Exhibitor):
        return {"buyer_id": membership.buyer_id, "exhibitor_id": counterpart.pk}
    if side == Side.EXHIBITOR and isinstance(counterpart, Buyer):
        return {"buyer_id": counterpart.pk, "exhibitor_id": membership.exhibitor_id}
    raise ValidationError(_("Buyers block exhibitors and exhibitors block buyers."))


@transaction.atomic
def company_block(*, membership: Membership, counterpart) -> CompanyBlock:
    pair = _pair(membership, counterpart)
    block, _created = CompanyBlock.objects.get_or_create(
        **pair, blocked_by=_side(membership), defaults={"created_by": membership.user}
    )
    return block


@transaction.atomic
def company_unblock(*, membership: Membership, counterpart) -> None:
    CompanyBlock.objects.filter(**_pair(membership, counterpart), blocked_by=_side(membership)).delete()


def _staff_emails() -> list[str]:
    configured = list(settings.NEGOTIATION_STAFF_EMAILS)
    if configured:
        return configured
    return sorted(
        set(
            get_user_model()
            .objects.filter(is_superuser=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


@transaction.atomic
def abuse_report(*, membership: Membership, counterpart, reason: str, subject: str = "") -> AbuseReport:
    """The report is kept for the staff and mailed to them (in the site's language)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what happened."), code="reason")
    pair = _pair(membership, counterpart)
    report = AbuseReport.objects.create(
        reporter=membership.user,
        reporter_side=_side(membership),
        subject=(subject or "").strip()[:64],
        reason=reason[:5000],
        **pair,
    )
    mail_send(
        code="NEGOTIATION_ABUSE_REPORT",
        context={"report": report, "reporter": membership.company, "reported": counterpart},
        recipients=_staff_emails(),
    )
    return report
