"""Writes and rules of the resource database: registration, membership, verification,
certificates and merging. Each service runs in one transaction; e-mails leave through
Celery after the commit."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from expo.mail import mail_send

from .models import (
    Certificate,
    CertificateStatus,
    Company,
    CompanyPhoto,
    CompanyStatus,
    Exhibitor,
    Invitation,
    Membership,
    Participation,
    Role,
)

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

WARN_DAYS = (30, 7)


def _company_model(side: str):
    from buyers.models import Buyer

    return {"exhibitor": Exhibitor, "buyer": Buyer}[side]


def company_recipients(company: Company) -> list[str]:
    """Who hears about a company's affairs: its owners and its contact address."""
    owners = Membership.objects.filter(**{company.kind: company}, role=Role.OWNER).select_related("user")
    emails = {m.user.email for m in owners if m.user.email}
    if company.contact_email:
        emails.add(company.contact_email)
    return sorted(emails)


def notify_company(company: Company, *, code: str, context: dict) -> None:
    """E-mail ``code`` (an Oscar communication event type) to the company's members after commit."""
    mail_send(code=code, context={"company": company, **context}, recipients=company_recipients(company))


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@transaction.atomic
def company_register(*, user: AbstractBaseUser, side: str, data: dict) -> Membership:
    """Create a company (pending verification) on one side, with ``user`` as its owner.

    An exhibitor gets its own Oscar partner, so its products and stock are its own.
    The same key may exist once on each side (a company that both sells and buys).
    """
    model = _company_model(side)
    if model.objects.filter(key=data["key"]).exists():
        raise ValidationError(
            _("A company with the key %(key)s is already registered; ask its owner to invite you."),
            params={"key": data["key"]},
            code="duplicate",
        )
    fields = {name: value for name, value in data.items() if name not in {"categories", "interests"}}
    if side == "exhibitor":
        partner = Partner.objects.create(
            name=(data.get("name_zh") or data.get("name_en"))[:128], code=data["key"].lower()
        )
        company = Exhibitor.objects.create(partner=partner, status=CompanyStatus.PENDING, **fields)
        company.categories.set(data.get("categories") or [])
    else:
        company = model.objects.create(status=CompanyStatus.PENDING, **fields)
        company.interests.set(data.get("interests") or [])
    return Membership.objects.create(user=user, role=Role.OWNER, **{side: company})


@transaction.atomic
def registration_create(
    *, user: AbstractBaseUser | None, email: str = "", password: str = "", sides: list[str], data: dict
) -> tuple[AbstractBaseUser, list[Membership]]:
    """Sign up and register a company in one step: a person without an account gets one
    (``email``, ``password``, already validated), then the company is registered on each of
    ``sides`` with them as its owner. Nothing is kept if a side is refused."""
    if user is None or not user.is_authenticated:
        User = get_user_model()
        user = User(email=email, username=email[:150])
        user.set_password(password)
        user.save()
    return user, [company_register(user=user, side=side, data=data) for side in sides]


@transaction.atomic
def company_submit_for_verification(*, company: Company) -> Company:
    """A rejected company that fixed its profile asks again; a licence must be there."""
    if not company.business_licence:
        raise ValidationError(_("Upload your business licence first."), code="no_licence")
    company.status = CompanyStatus.PENDING
    company.rejection_reason = ""
    company.save(update_fields=["status", "rejection_reason", "updated_at"])
    return company


@transaction.atomic
def company_verify(*, company: Company) -> Company:
    company.status = CompanyStatus.VERIFIED
    company.rejection_reason = ""
    company.verified_at = timezone.now()
    company.save(update_fields=["status", "rejection_reason", "verified_at", "updated_at"])
    notify_company(company, code="EXPO_COMPANY_VERIFIED", context={})
    return company


@transaction.atomic
def company_reject(*, company: Company, reason: str) -> Company:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the company a reason, so it knows what to fix."), code="no_reason")
    company.status = CompanyStatus.REJECTED
    company.rejection_reason = reason
    company.verified_at = None
    company.save(update_fields=["status", "rejection_reason", "verified_at", "updated_at"])
    notify_company(company, code="EXPO_COMPANY_REJECTED", context={"reason": reason})
    return company


@transaction.atomic
def invitation_create(
    *, membership: Membership, email: str, role: str, invited_by: AbstractBaseUser
) -> Invitation:
    """Only owners invite. The link in the e-mail lets the person sign up or log in and join."""
    if membership.role != Role.OWNER:
        raise ValidationError(_("Only an owner of the company can invite people."), code="not_owner")
    company = membership.company
    email = email.strip().lower()
    if Membership.objects.filter(**{company.kind: company}, user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already a member."), params={"email": email}, code="member")
    invitation = Invitation.objects.create(
        **{company.kind: company},
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
    )
    link = absolute_url(reverse("company:invitation-accept", kwargs={"token": invitation.token}))
    mail_send(
        code="EXPO_INVITATION",
        context={
            "company": company,
            "link": link,
            "inviter_name": invited_by.get_full_name() or invited_by.email,
            "inviter_email": invited_by.email,
        },
        recipients=[email],
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: AbstractBaseUser) -> Membership:
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.email.lower() != (user.email or "").lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s; log in with that address to accept it."),
            params={"email": invitation.email},
            code="wrong_user",
        )
    company = invitation.company
    membership, _created = Membership.objects.get_or_create(
        user=user, **{company.kind: company}, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, member: Membership) -> None:
    """Owners remove members; a company always keeps at least one owner."""
    if membership.role != Role.OWNER and member.user_id != membership.user_id:
        raise ValidationError(_("Only an owner can remove other members."), code="not_owner")
    if member.role == Role.OWNER and member_owner_count(member) <= 1:
        raise ValidationError(_("A company needs at least one owner."), code="last_owner")
    member.delete()


def member_owner_count(member: Membership) -> int:
    return Membership.objects.filter(**{member.company.kind: member.company}, role=Role.OWNER).count()


@transaction.atomic
def member_set_role(*, membership: Membership, member: Membership, role: str) -> Membership:
    if membership.role != Role.OWNER:
        raise ValidationError(_("Only an owner can change roles."), code="not_owner")
    if member.role == Role.OWNER and role != Role.OWNER and member_owner_count(member) <= 1:
        raise ValidationError(_("A company needs at least one owner."), code="last_owner")
    member.role = role
    member.save(update_fields=["role"])
    return member


def certificate_status_for(valid_until: date | None, *, today: date | None = None) -> str:
    today = today or timezone.localdate()
    return CertificateStatus.EXPIRED if valid_until and valid_until < today else CertificateStatus.VALID


@transaction.atomic
def certificate_save(*, certificate: Certificate) -> Certificate:
    """Save a certificate with its status following its date (a renewed one counts again)."""
    certificate.status = certificate_status_for(certificate.valid_until)
    if certificate.pk:
        previous = Certificate.objects.filter(pk=certificate.pk).values_list("valid_until", flat=True).first()
        if previous != certificate.valid_until:
            certificate.warned_30_at = certificate.warned_7_at = None
    certificate.save()
    return certificate


def certificates_expire_and_warn(*, today: date | None = None) -> dict[str, int]:
    """The daily run: mark certificates past their date expired, warn 30 and 7 days ahead.

    Idempotent: each warning is sent once per certificate (its timestamp is kept), and a
    certificate already expired is not touched again.
    """
    today = today or timezone.localdate()
    counts = {"expired": 0, "warned_30": 0, "warned_7": 0}
    with transaction.atomic():
        expiring = Certificate.objects.filter(status=CertificateStatus.VALID, valid_until__lt=today)
        holders = set(expiring.values_list("exhibitor_id", flat=True))
        counts["expired"] = expiring.update(status=CertificateStatus.EXPIRED)
        _reindex_companies(holders)  # an update sends no signal: the index learns it here
    for days in WARN_DAYS:
        field = f"warned_{days}_at"
        due = (
            Certificate.objects.filter(
                status=CertificateStatus.VALID,
                valid_until__gte=today,
                valid_until__lte=today + timedelta(days=days),
                **{f"{field}__isnull": True},
            )
            .select_related("exhibitor")
            .order_by("id")
        )
        for certificate in due:
            with transaction.atomic():
                if days == 30 and certificate.valid_until <= today + timedelta(days=7):
                    # Too late for the 30-day notice: the 7-day one follows in this same run.
                    Certificate.objects.filter(pk=certificate.pk).update(warned_30_at=timezone.now())
                    continue
                exhibitor = certificate.exhibitor
                left = (certificate.valid_until - today).days
                notify_company(
                    exhibitor,
                    code="EXPO_CERTIFICATE_EXPIRING",
                    context={"exhibitor": exhibitor, "certificate": certificate, "left": left},
                )
                Certificate.objects.filter(pk=certificate.pk).update(**{field: timezone.now()})
                counts[f"warned_{days}"] += 1
    return counts


def _reindex_companies(ids) -> None:
    """Queue the exhibitors and their products for the search index after a bulk update."""
    from search.indexing import mark

    mark("exhibitor", ids)
    mark("exhibitor-products", ids)


@transaction.atomic
def exhibitor_merge(*, keep: Exhibitor, duplicate: Exhibitor) -> Exhibitor:
    """Fold a duplicate exhibitor into ``keep``: members, certificates, participation, photos,
    categories and products move over (what ``keep`` already has wins), then the duplicate goes."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different companies."), code="same")
    for member in Membership.objects.filter(exhibitor=duplicate):
        if Membership.objects.filter(exhibitor=keep, user=member.user_id).exists():
            member.delete()
        else:
            member.exhibitor = keep
            member.save(update_fields=["exhibitor"])
    Invitation.objects.filter(exhibitor=duplicate).update(exhibitor=keep)
    held = set(keep.certificates.values_list("code", flat=True))
    Certificate.objects.filter(exhibitor=duplicate).exclude(code__in=held).update(exhibitor=keep)
    editions = set(keep.participations.values_list("edition", flat=True))
    Participation.objects.filter(exhibitor=duplicate).exclude(edition__in=editions).update(exhibitor=keep)
    CompanyPhoto.objects.filter(exhibitor=duplicate).update(exhibitor=keep)
    keep.categories.add(*duplicate.categories.all())
    skus = set(StockRecord.objects.filter(partner=keep.partner).values_list("partner_sku", flat=True))
    StockRecord.objects.filter(partner=duplicate.partner).exclude(partner_sku__in=skus).update(
        partner=keep.partner
    )
    for field in (
        "name_zh",
        "name_en",
        "province",
        "city",
        "description_zh",
        "description_en",
        "website",
        "contact_name",
        "contact_phone",
        "contact_email",
    ):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    keep.save()
    # keep.save() queues keep and its products (with those moved by bulk update) for the index
    partner = duplicate.partner
    duplicate.delete()
    if not StockRecord.objects.filter(partner=partner).exists():
        partner.delete()
    return keep
