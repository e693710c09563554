"""Business rules of credit: writing a review once per delivered order line, the exhibitor's one
answer, staff hiding a review, and recording deliveries.

Every service refuses with a ``ValidationError`` carrying a clear message and runs in one
transaction, so a refusal leaves nothing half-saved.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from exhibitors.models import Exhibitor, Membership
from order.statuses import LineStatus

from .models import SCORE_FIELDS, LineDelivery, Review

Line = get_model("order", "Line")

MAX_COMMENT = 2000
MAX_ANSWER = 2000
MAX_REASON = 1000


def _already_rated() -> ValidationError:
    return ValidationError(
        _("Your company has already rated this order line; each line is rated once."), code="rated"
    )


def _check_scores(scores: dict[str, int]) -> dict[str, int]:
    checked = {}
    for name in SCORE_FIELDS:
        value = scores.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError(_("Give every score as a whole number from 1 to 5."), code="score")
        checked[name] = value
    return checked


def line_buyer_may_rate(*, membership: Membership, line) -> None:
    """Refuse unless the acting company is the buyer company that placed the line's order and the
    line is delivered. The caller reached the line through ``selectors.rateable_line_get``."""
    if membership.buyer_id is None:
        raise ValidationError(_("Only a buyer company rates; switch to your buyer company."), code="side")
    if not Membership.objects.filter(user_id=line.order.user_id, buyer_id=membership.buyer_id).exists():
        raise ValidationError(_("Only the buyer company that placed this order can rate it."), code="party")
    if line.status != LineStatus.DELIVERED:
        raise ValidationError(
            _("“%(product)s” can be rated once it is delivered; it is %(status)s now.")
            % {"product": line.title, "status": _(line.status).lower()},
            code="not_delivered",
        )


@transaction.atomic
def review_create(
    *,
    membership: Membership,
    line,
    quality: int,
    as_described: int,
    delivery: int,
    communication: int,
    comment: str = "",
) -> Review:
    """Rate the exhibitor of one delivered line, once per line.

    The line's row is locked first, so members rating it at the same moment queue up and each
    after the first is told it is rated; the unique constraint on ``line`` holds it even so.
    """
    line = Line.objects.select_for_update().select_related("order").get(pk=line.pk)
    line_buyer_may_rate(membership=membership, line=line)
    scores = _check_scores(
        {
            "quality": quality,
            "as_described": as_described,
            "delivery": delivery,
            "communication": communication,
        }
    )
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            _("Keep the comment within %(count)s characters.") % {"count": MAX_COMMENT}, code="comment"
        )
    exhibitor = Exhibitor.objects.filter(partner_id=line.partner_id).first()
    if exhibitor is None:
        raise ValidationError(_("This line has no exhibitor to rate."), code="exhibitor")
    if Review.objects.filter(line=line).exists():
        raise _already_rated()
    try:
        with transaction.atomic():
            return Review.objects.create(
                line=line,
                buyer_id=membership.buyer_id,
                exhibitor=exhibitor,
                author=membership.user,
                comment=comment,
                **scores,
            )
    except IntegrityError:
        if Review.objects.filter(line=line).exists():
            raise _already_rated() from None
        raise


@transaction.atomic
def review_answer(*, membership: Membership, review: Review, answer: str) -> Review:
    """The rated exhibitor answers once; the conditional update makes a second answer (also one
    sent at the same moment by a colleague) a refusal, never an overwrite."""
    if membership.exhibitor_id is None or membership.exhibitor_id != review.exhibitor_id:
        raise ValidationError(_("Only the exhibitor that was rated can answer."), code="party")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_("Write your answer."), code="answer")
    if len(answer) > MAX_ANSWER:
        raise ValidationError(
            _("Keep the answer within %(count)s characters.") % {"count": MAX_ANSWER}, code="answer"
        )
    now = timezone.now()
    updated = Review.objects.filter(pk=review.pk, answered_at__isnull=True).update(
        answer=answer, answered_at=now, answered_by=membership.user
    )
    if not updated:
        raise ValidationError(
            _("This review has already been answered; it can be answered once."), code="answered"
        )
    review.refresh_from_db()
    return review


@transaction.atomic
def review_hide(*, review: Review, by, reason: str) -> Review:
    """Staff hide an abusive review: off the public pages and out of the averages, still shown
    to the two companies with the reason."""
    if not getattr(by, "is_staff", False):
        raise ValidationError(_("Only the expo staff can hide reviews."), code="staff")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for hiding this review."), code="reason")
    if len(reason) > MAX_REASON:
        raise ValidationError(
            _("Keep the reason within %(count)s characters.") % {"count": MAX_REASON}, code="reason"
        )
    Review.objects.filter(pk=review.pk).update(hidden_at=timezone.now(), hidden_reason=reason, hidden_by=by)
    review.refresh_from_db()
    return review


@transaction.atomic
def review_unhide(*, review: Review, by) -> Review:
    if not getattr(by, "is_staff", False):
        raise ValidationError(_("Only the expo staff can hide reviews."), code="staff")
    Review.objects.filter(pk=review.pk).update(hidden_at=None, hidden_reason="", hidden_by=None)
    review.refresh_from_db()
    return review


def line_delivery_record(*, line, at=None) -> LineDelivery:
    """Idempotent: the first delivery moment of a line is kept."""
    delivery, _created = LineDelivery.objects.get_or_create(
        line_id=line.pk, defaults={"delivered_at": at or timezone.now()}
    )
    return delivery
