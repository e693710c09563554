"""Reviews of exhibitors by the buyer companies that bought from them, and the moment each
order line was delivered (what "delivered on time" is measured against)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCORE_FIELDS = ("quality", "as_described", "delivery", "communication")
SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def _score(label):
    return models.PositiveSmallIntegerField(label, validators=SCORE_VALIDATORS)


class Review(models.Model):
    """A buyer company's rating of the exhibitor of one delivered order line (once per line),
    with the exhibitor's one answer.

    Public: the four scores, the comment, the answer and the dates. Private to the two
    companies (and staff): the order and line, the buyer company and the person who wrote it.
    A review hidden by staff is left out of public pages and averages; both companies still
    see it, marked hidden, with the staff's reason.
    """

    line = models.ForeignKey("order.Line", on_delete=models.CASCADE, related_name="credit_reviews")
    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="credit_reviews")
    exhibitor = models.ForeignKey(
        "exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="credit_reviews"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quality = _score(_("Quality"))
    as_described = _score(_("As described"))
    delivery = _score(_("Delivery"))
    communication = _score(_("Communication"))
    comment = models.TextField(_("Comment"), blank=True)
    created_at = models.DateTimeField(_("Written at"), auto_now_add=True, db_index=True)
    answer = models.TextField(_("Answer"), blank=True)
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(_("Hidden at"), null=True, blank=True, db_index=True)
    hidden_reason = models.TextField(_("Reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["line"], name="credit_review_once_per_order_line"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"{name}_1_to_5"
                )
                for name in SCORE_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="hidden_review_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"R-{self.pk}"

    @property
    def label(self) -> str:
        return f"R-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def average(self) -> float:
        return sum(getattr(self, name) for name in SCORE_FIELDS) / len(SCORE_FIELDS)


class LineDelivery(models.Model):
    """When an order line became "Delivered" (Oscar keeps no history of line statuses).
    Kept when the line is later refunded, so the fulfilment record does not forget it."""

    line = models.OneToOneField("order.Line", on_delete=models.CASCADE, related_name="credit_delivery")
    delivered_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("delivery of an order line")

    def __str__(self) -> str:
        return f"{self.line_id} @ {self.delivered_at:%Y-%m-%d}"
