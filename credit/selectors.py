"""Reads of credit: reviews scoped to the acting company, public reviews, and the credit figures.

Company-private reads take the acting membership (the person's current company): a buyer
company reaches the reviews it wrote and the lines its members ordered, an exhibitor the
reviews it received; anything else is a 404. Public reads return only public fields.

The figures are SQL aggregates, batch-capable: ``credit_profiles`` and ``credit_scores`` read
any number of exhibitors in a fixed number of queries (one here, plus negotiation's
responsiveness figures, which are reused rather than computed again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.core.loading import get_model

from exhibitors.models import Certificate, CompanyStatus, Exhibitor, Membership, Participation
from exhibitors.selectors import counting_certificates
from negotiation.selectors import responsiveness_for
from order.statuses import LineStatus

from .models import SCORE_FIELDS, Review

Line = get_model("order", "Line")

PUBLIC_REVIEWS = 10
# Lines that were paid for (a refund or cancellation after payment still counts as an order).
PAID_LINE_STATUSES = (
    LineStatus.PAID,
    LineStatus.CONFIRMED,
    LineStatus.SHIPPED,
    LineStatus.DELIVERED,
    LineStatus.REFUNDED,
)


def on_time_days() -> int:
    return int(getattr(settings, "CREDIT_ON_TIME_DAYS", 14))


# --- scoped reads --------------------------------------------------------------------------


def _buyer_lines(membership: Membership) -> QuerySet:
    """Lines of orders placed by members of the acting buyer company."""
    if membership.buyer_id is None:
        raise Http404("Only buyer companies rate their orders.")
    buyers_users = Membership.objects.filter(buyer_id=membership.buyer_id).values("user_id")
    return Line.objects.filter(order__user_id__in=buyers_users)


def rateable_line_get(*, membership: Membership, line_id: int):
    """A line of an order the acting buyer company placed (any status: the service says why a
    line cannot be rated yet); any other line is a 404."""
    line = _buyer_lines(membership).select_related("order", "partner__exhibitor").filter(pk=line_id).first()
    if line is None:
        raise Http404
    return line


def lines_to_rate(*, membership: Membership, limit: int = 100) -> list:
    """Delivered lines of the buyer company's orders that nobody has rated yet, newest first."""
    return list(
        _buyer_lines(membership)
        .filter(status=LineStatus.DELIVERED, credit_reviews__isnull=True)
        .select_related("order", "partner__exhibitor")
        .order_by("-order__date_placed", "id")[:limit]
    )


def _with_parties(qs: QuerySet) -> QuerySet:
    return qs.select_related("line__order", "buyer", "exhibitor", "author", "answered_by")


def reviews_written(*, membership: Membership) -> QuerySet[Review]:
    """Every review the acting buyer company wrote, hidden ones included."""
    if membership.buyer_id is None:
        raise Http404("Only buyer companies write reviews.")
    return _with_parties(Review.objects.filter(buyer_id=membership.buyer_id))


def reviews_received(*, membership: Membership) -> QuerySet[Review]:
    """Every review of the acting exhibitor, hidden ones included."""
    if membership.exhibitor_id is None:
        raise Http404("Only exhibitors receive reviews.")
    return _with_parties(Review.objects.filter(exhibitor_id=membership.exhibitor_id))


def review_received_get(*, membership: Membership, pk: int) -> Review:
    review = reviews_received(membership=membership).filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def review_of_line(*, membership: Membership, line) -> Review | None:
    """The review of a line the acting buyer company reached through ``rateable_line_get``."""
    return reviews_written(membership=membership).filter(line=line).first()


def order_reviews(*, user, order) -> dict[int, Review]:
    """Reviews of ``order``'s lines by line id, for the person's own order page (Oscar shows a
    person only their own orders); hidden ones included, the page marks them."""
    if not user.is_authenticated or order.user_id != user.pk:
        return {}
    return {review.line_id: review for review in Review.objects.filter(line__order=order)}


# --- public reads --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicReview:
    """What anyone may read of a review: never the order, the buyer or the author."""

    quality: int
    as_described: int
    delivery: int
    communication: int
    comment: str
    answer: str
    created_at: datetime
    answered_at: datetime | None

    @property
    def average(self) -> float:
        return (self.quality + self.as_described + self.delivery + self.communication) / 4


def public_reviews(*, exhibitor_id: int, limit: int = PUBLIC_REVIEWS) -> list[PublicReview]:
    """The newest reviews shown on the exhibitor's booth and page; hidden ones are left out."""
    rows = (
        Review.objects.filter(exhibitor_id=exhibitor_id, hidden_at__isnull=True)
        .order_by("-created_at", "-id")
        .values(*SCORE_FIELDS, "comment", "answer", "created_at", "answered_at")[:limit]
    )
    return [PublicReview(**row) for row in rows]


# --- figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditProfile:
    """An exhibitor's credit figures; each ``None`` means "nothing to count yet"."""

    exhibitor_id: int
    is_verified: bool
    verified_since: date | None
    years_at_expo: int
    first_edition: int | None
    certificates_valid: int
    certificates_expired: int
    answer_rate: float | None
    median_first_answer_hours: float | None
    requests_received: int
    orders: int
    lines_paid: int
    lines_delivered: int
    lines_delivered_dated: int
    lines_on_time: int
    lines_refunded: int
    reviews: int
    quality: float | None
    as_described: float | None
    delivery: float | None
    communication: float | None

    @property
    def rating(self) -> float | None:
        if not self.reviews:
            return None
        return round(sum(getattr(self, name) for name in SCORE_FIELDS) / len(SCORE_FIELDS), 2)

    @property
    def on_time_rate(self) -> float | None:
        return (
            round(self.lines_on_time / self.lines_delivered_dated, 4) if self.lines_delivered_dated else None
        )

    @property
    def refund_rate(self) -> float | None:
        return round(self.lines_refunded / self.lines_paid, 4) if self.lines_paid else None

    @property
    def certificates(self) -> int:
        return self.certificates_valid + self.certificates_expired

    @property
    def on_time_days(self) -> int:
        return on_time_days()


def _count(model, *, outer: str, field: str, condition: Q | None = None, distinct: str = "") -> Subquery:
    """A correlated ``COUNT`` of ``model`` rows whose ``field`` is the exhibitor's ``outer``."""
    qs = model.objects.filter(**{field: OuterRef(outer)})
    if condition is not None:
        qs = qs.filter(condition)
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    return Coalesce(
        Subquery(
            qs.order_by().values(field).annotate(n=counted).values("n")[:1], output_field=IntegerField()
        ),
        0,
    )


def _average(name: str) -> Subquery:
    visible = Review.objects.filter(exhibitor_id=OuterRef("pk"), hidden_at__isnull=True)
    return Subquery(visible.order_by().values("exhibitor_id").annotate(a=Avg(name)).values("a")[:1])


def _first_edition(year: int) -> Subquery:
    editions = Participation.objects.filter(exhibitor_id=OuterRef("pk"), withdrawn=False, edition__lte=year)
    return Subquery(editions.order_by("edition").values("edition")[:1])


def credit_profiles(
    exhibitor_ids, *, as_of: datetime | None = None, answers: dict[int, dict] | None = None
) -> dict[int, CreditProfile]:
    """Credit figures of many exhibitors at once: one SQL statement (correlated aggregates per
    exhibitor) plus negotiation's responsiveness figures (``responsiveness_for``).

    - verified since: when staff verified the company (``None`` unless verified, or when the
      date is not known, as for companies imported as verified);
    - years at the expo: editions up to this year with a booth that was not withdrawn;
    - certificates: those counting today (valid) and the rest (expired);
    - orders and lines: the exhibitor's paid lines, delivered, delivered on time (within
      ``CREDIT_ON_TIME_DAYS`` of the order, of the deliveries whose moment is known), refunded;
    - ratings: averages of the visible reviews and their count (hidden ones never count).

    ``answers``: responsiveness figures the caller already read for the same moment
    (``responsiveness_for`` per exhibitor id; a missing id was asked nothing), to save a query.
    """
    ids = sorted({int(i) for i in exhibitor_ids})
    if not ids:
        return {}
    now = as_of or timezone.now()
    today = timezone.localdate(now)
    line = {"model": Line, "outer": "partner_id", "field": "partner_id"}
    paid = Q(status__in=PAID_LINE_STATUSES)
    delivered = Q(status=LineStatus.DELIVERED) | Q(credit_delivery__isnull=False)
    on_time = Q(credit_delivery__delivered_at__lte=F("order__date_placed") + timedelta(days=on_time_days()))
    visible_reviews = {"model": Review, "outer": "pk", "field": "exhibitor_id"}
    rows = (
        Exhibitor.objects.filter(pk__in=ids)
        .annotate(
            years_at_expo=_count(
                Participation,
                outer="pk",
                field="exhibitor_id",
                condition=Q(withdrawn=False, edition__lte=today.year),
                distinct="edition",
            ),
            first_edition=_first_edition(today.year),
            certificates_valid=_count(
                Certificate, outer="pk", field="exhibitor_id", condition=counting_certificates(day=today)
            ),
            certificates_all=_count(Certificate, outer="pk", field="exhibitor_id"),
            orders=_count(**line, condition=paid, distinct="order_id"),
            lines_paid=_count(**line, condition=paid),
            lines_delivered=_count(**line, condition=delivered),
            lines_delivered_dated=_count(**line, condition=Q(credit_delivery__isnull=False)),
            lines_on_time=_count(**line, condition=on_time),
            lines_refunded=_count(**line, condition=Q(status=LineStatus.REFUNDED)),
            reviews=_count(**visible_reviews, condition=Q(hidden_at__isnull=True)),
            **{f"avg_{name}": _average(name) for name in SCORE_FIELDS},
        )
        .values(
            "pk",
            "status",
            "verified_at",
            "years_at_expo",
            "first_edition",
            "certificates_valid",
            "certificates_all",
            "orders",
            "lines_paid",
            "lines_delivered",
            "lines_delivered_dated",
            "lines_on_time",
            "lines_refunded",
            "reviews",
            *[f"avg_{name}" for name in SCORE_FIELDS],
        )
    )
    if answers is None:
        answers = responsiveness_for(exhibitor_ids=ids, as_of=now)
    profiles = {}
    for row in rows:
        figures = answers.get(row["pk"], {})
        verified = row["status"] == CompanyStatus.VERIFIED
        profiles[row["pk"]] = CreditProfile(
            exhibitor_id=row["pk"],
            is_verified=verified,
            verified_since=timezone.localdate(row["verified_at"])
            if verified and row["verified_at"]
            else None,
            years_at_expo=row["years_at_expo"],
            first_edition=row["first_edition"],
            certificates_valid=row["certificates_valid"],
            certificates_expired=row["certificates_all"] - row["certificates_valid"],
            answer_rate=figures.get("answer_rate"),
            median_first_answer_hours=figures.get("median_first_answer_hours"),
            requests_received=figures.get("received", 0),
            orders=row["orders"],
            lines_paid=row["lines_paid"],
            lines_delivered=row["lines_delivered"],
            lines_delivered_dated=row["lines_delivered_dated"],
            lines_on_time=row["lines_on_time"],
            lines_refunded=row["lines_refunded"],
            reviews=row["reviews"],
            **{
                name: None if row[f"avg_{name}"] is None else round(float(row[f"avg_{name}"]), 2)
                for name in SCORE_FIELDS
            },
        )
    return profiles


def credit_profile_of(exhibitor: Exhibitor) -> CreditProfile:
    return credit_profiles([exhibitor.pk])[exhibitor.pk]


# --- the soft signal for matchmaking -------------------------------------------------------

# Weights of the score's parts (they sum to 1). A part with nothing to count yet is neutral (0.5),
# so a newcomer is neither rewarded nor punished for what it has not had the chance to show.
WEIGHTS = {
    "verified": 0.15,
    "years": 0.10,
    "certificates": 0.10,
    "answers": 0.15,
    "on_time": 0.15,
    "refunds": 0.10,
    "rating": 0.25,
}
NEUTRAL = 0.5
FULL_YEARS = 5
# The rating is pulled towards the middle of the scale as if by this many 3-star reviews, so one
# or two reviews move the score a little and many reviews move it fully.
RATING_PRIOR_REVIEWS = 3


@dataclass(frozen=True)
class CreditSignal:
    """``score`` from 0 (no trust shown) to 1 (everything counted is excellent), ``reason`` a
    short sentence in the active language saying what the score stands on (written when read:
    matchmaking asks many scores and shows few reasons)."""

    score: float
    profile: CreditProfile

    @property
    def reason(self) -> str:
        return credit_reason(self.profile)


def _parts(profile: CreditProfile) -> dict[str, float]:
    rating = NEUTRAL
    if profile.reviews:
        stars = (profile.rating * profile.reviews + 3 * RATING_PRIOR_REVIEWS) / (
            profile.reviews + RATING_PRIOR_REVIEWS
        )
        rating = (stars - 1) / 4
    return {
        "verified": 1.0 if profile.is_verified else 0.0,
        "years": min(profile.years_at_expo, FULL_YEARS) / FULL_YEARS,
        "certificates": profile.certificates_valid / profile.certificates
        if profile.certificates
        else NEUTRAL,
        "answers": NEUTRAL if profile.answer_rate is None else profile.answer_rate,
        "on_time": NEUTRAL if profile.on_time_rate is None else profile.on_time_rate,
        "refunds": NEUTRAL if profile.refund_rate is None else 1 - profile.refund_rate,
        "rating": rating,
    }


def credit_score(profile: CreditProfile) -> float:
    parts = _parts(profile)
    return round(sum(WEIGHTS[name] * value for name, value in parts.items()), 4)


def credit_reason(profile: CreditProfile) -> str:
    """The few facts the score stands on, most telling first."""
    facts = []
    if profile.reviews:
        facts.append(
            ngettext(
                "rated %(rating)s/5 by %(count)s review",
                "rated %(rating)s/5 by %(count)s reviews",
                profile.reviews,
            )
            % {"rating": f"{profile.rating:.1f}", "count": profile.reviews}
        )
    if profile.on_time_rate is not None:
        facts.append(
            _("%(percent)s%% of lines delivered on time") % {"percent": round(profile.on_time_rate * 100)}
        )
    if profile.verified_since:
        facts.append(_("verified since %(year)s") % {"year": profile.verified_since.year})
    elif profile.is_verified:
        facts.append(_("verified"))
    else:
        facts.append(_("not verified"))
    if profile.years_at_expo:
        facts.append(
            ngettext("%(count)s year at the expo", "%(count)s years at the expo", profile.years_at_expo)
            % {"count": profile.years_at_expo}
        )
    if profile.answer_rate is not None:
        facts.append(_("answers %(percent)s%% of requests") % {"percent": round(profile.answer_rate * 100)})
    if profile.lines_refunded:
        facts.append(
            ngettext("%(count)s line refunded", "%(count)s lines refunded", profile.lines_refunded)
            % {"count": profile.lines_refunded}
        )
    if not profile.reviews and not profile.lines_paid:
        facts.append(_("no trading record yet"))
    return _("Credit: %(facts)s") % {"facts": "; ".join(facts[:4])}


def credit_scores(
    exhibitor_ids, *, as_of: datetime | None = None, answers: dict[int, dict] | None = None
) -> dict[int, CreditSignal]:
    """A soft signal per exhibitor id for matchmaking: a 0..1 score and its reason, read in the
    same fixed number of queries however many ids are given. Unknown ids are left out."""
    return {
        pk: CreditSignal(score=credit_score(profile), profile=profile)
        for pk, profile in credit_profiles(exhibitor_ids, as_of=as_of, answers=answers).items()
    }
