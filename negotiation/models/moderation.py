"""Blocks between a buyer and an exhibitor, and abuse reports to the staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .threads import Side


class CompanyBlock(models.Model):
    """One side of a buyer–exhibitor pair refuses the other: no new inquiries, messages, samples,
    quotes or meetings between them, whichever side blocked."""

    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="+")
    exhibitor = models.ForeignKey("exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="+")
    blocked_by = models.CharField(max_length=10, choices=Side.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked company")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "exhibitor", "blocked_by"], name="block_once_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.blocked_by}: {self.buyer_id}/{self.exhibitor_id}"


class AbuseReport(models.Model):
    """A company reports abuse by its counterpart to the expo staff."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reporter_side = models.CharField(max_length=10, choices=Side.choices)
    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="+")
    exhibitor = models.ForeignKey("exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("About"), max_length=64, blank=True)
    reason = models.TextField(_("What happened"))
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("abuse report")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="abuse_report_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.pk}"

    @property
    def reported(self):
        return self.exhibitor if self.reporter_side == Side.BUYER else self.buyer
