"""Writes of the buyer side: sourcing requests posted from the company centre, and the weekly
e-mail of new matches. Each service runs in one transaction; mail leaves after the commit."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exhibitors.models import CompanyStatus, Membership
from exhibitors.services import absolute_url
from expo.mail import mail_send
from negotiation.models import QuoteStatus
from negotiation.services import request_close
from search.matching import match_subject

from .models import MatchDigest, RequestStatus, SourcingRequest
from .selectors import buyer_of

logger = logging.getLogger(__name__)

REQUEST_FIELDS = (
    "title",
    "category",
    "description",
    "quantity",
    "unit",
    "target_price",
    "currency",
    "delivery_region",
    "deliver_by",
    "required_certifications",
    "storage",
)
DIGEST_SALT = "buyers.match-digest"
DIGEST_LIMIT = 5  # matches per subject in one e-mail
DIGEST_WINDOW = timedelta(days=7)


# --- sourcing requests ----------------------------------------------------------------------------


def _next_reference(buyer, today) -> str:
    """``RQ-20261127-1``, ``RQ-20261127-2``, …: unique within the buyer, like staff references."""
    stem = f"RQ-{today:%Y%m%d}-"
    taken = set(
        SourcingRequest.objects.filter(buyer=buyer, reference__startswith=stem).values_list(
            "reference", flat=True
        )
    )
    number = len(taken) + 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


def _apply(request: SourcingRequest, data: dict) -> None:
    for name in REQUEST_FIELDS:
        if name in data:
            setattr(request, name, data[name])
    request.required_certifications = sorted({c.upper() for c in request.required_certifications or []})
    request.full_clean(exclude=["buyer"])


def sourcing_request_create(*, membership: Membership, data: dict) -> SourcingRequest:
    """Post a request for the member's buyer company, with a generated reference."""
    buyer = buyer_of(membership)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request = SourcingRequest(buyer=buyer, reference=_next_reference(buyer, timezone.localdate()))
                _apply(request, data)
                request.save()
                return request
        except IntegrityError:  # two requests posted at once took the same number: take the next
            continue
    raise ValidationError(_("The request could not be saved; try again."), code="busy")


@transaction.atomic
def sourcing_request_update(
    *, membership: Membership, request: SourcingRequest, data: dict
) -> SourcingRequest:
    if request.buyer_id != buyer_of(membership).pk:
        raise ValidationError(_("This belongs to another company."), code="not_yours")
    _apply(request, data)
    request.save()
    return request


def sourcing_request_close(*, membership: Membership, request: SourcingRequest) -> SourcingRequest:
    """Close a request: it is no longer offered to exhibitors, and its open quotes expire."""
    return request_close(membership=membership, request=request)


@transaction.atomic
def sourcing_request_reopen(*, membership: Membership, request: SourcingRequest) -> SourcingRequest:
    if request.buyer_id != buyer_of(membership).pk:
        raise ValidationError(_("This belongs to another company."), code="not_yours")
    if request.quotes.filter(status=QuoteStatus.ACCEPTED).exists():
        raise ValidationError(
            _("A quote on this request was accepted; post a new request for more."), code="quote_accepted"
        )
    if request.status != RequestStatus.OPEN:
        request.status = RequestStatus.OPEN
        request.save(update_fields=["status", "updated_at"])
    return request


# --- the weekly e-mail of new matches -----------------------------------------------------------


def match_digest_set(*, membership: Membership, enabled: bool) -> MatchDigest:
    setting, _created = MatchDigest.objects.update_or_create(
        membership=membership, defaults={"enabled": enabled}
    )
    return setting


def match_digest_token(membership: Membership) -> str:
    """The signed token of the one-click link that switches a member's digest off."""
    return signing.dumps(membership.pk, salt=DIGEST_SALT)


def match_digest_membership(token: str) -> Membership | None:
    try:
        pk = signing.loads(token, salt=DIGEST_SALT)
    except signing.BadSignature:
        return None
    return Membership.objects.select_related("user", "exhibitor", "buyer").filter(pk=pk).first()


def digest_subjects(membership: Membership) -> list[tuple[str, str, str]]:
    """(kind, key, heading) the e-mail reports on: an exhibitor; a buyer and its open requests."""
    company = membership.company
    if membership.exhibitor_id:
        return [("exhibitor", company.key, "")]
    subjects = [("buyer", company.key, "")]
    for reference, title in (
        SourcingRequest.objects.filter(buyer=company, status=RequestStatus.OPEN)
        .order_by("created_at")
        .values_list("reference", "title")
    ):
        subjects.append(("request", f"{company.key}/{reference}", title))
    return subjects


def _digest_section(kind: str, key: str, heading: str, *, since: datetime) -> list[tuple[str, list[dict]]]:
    """One subject's new matches, in Chinese then in English."""
    sections = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            answer = match_subject(kind, key, limit=DIGEST_LIMIT, since=since)
            if not answer["results"]:
                return []
            title = {
                "exhibitor": _("Buyers looking for what you sell"),
                "buyer": _("Recommended suppliers"),
                "request": _("Recommended suppliers for “%(title)s”") % {"title": heading},
            }[kind]
            sections.append((title, answer["results"]))
    return sections


def _digest_context(membership: Membership, sections: list[tuple[str, list[dict]]]) -> dict:
    token = match_digest_token(membership)
    return {
        "company": membership.company,
        "sections": [
            (title, [{**result, "link": absolute_url(result["url"])} for result in results])
            for title, results in sections
        ],
        "settings_link": absolute_url(reverse("company:digest")),
        "off_link": absolute_url(reverse("company:digest-off", kwargs={"token": token})),
    }


def match_digest_send(*, now: datetime | None = None) -> dict[str, int]:
    """The weekly run: every member who has not switched it off gets the matches that are new
    since their last e-mail (a week at most), per subject; nobody gets an empty e-mail.

    Safe to run twice: the second run finds nothing new since the first.
    """
    now = now or timezone.now()
    counts = {"sent": 0, "nothing_new": 0, "off": 0}
    members = (
        Membership.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "exhibitor", "buyer", "match_digest")
        .order_by("id")
    )
    cache: dict[tuple, list] = {}
    for membership in members:
        setting = getattr(membership, "match_digest", None)
        if setting is not None and not setting.enabled:
            counts["off"] += 1
            continue
        if membership.company.status == CompanyStatus.REJECTED:
            continue
        since = now - DIGEST_WINDOW
        if setting is not None and setting.last_sent_at:
            since = max(since, setting.last_sent_at)
        sections = []
        for kind, key, heading in digest_subjects(membership):
            cache_key = (kind, key, since)
            if cache_key not in cache:
                cache[cache_key] = _digest_section(kind, key, heading, since=since)
            sections += cache[cache_key]
        with transaction.atomic():
            MatchDigest.objects.update_or_create(membership=membership, defaults={"last_sent_at": now})
            if not sections:
                counts["nothing_new"] += 1
                continue
            mail_send(
                code="MATCH_DIGEST",
                context=_digest_context(membership, sections),
                recipients=[membership.user.email],
            )
        counts["sent"] += 1
    return counts
