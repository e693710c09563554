"""Sample requests from a buyer to an exhibitor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .threads import Inquiry


class SampleStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    ORDERED = "ordered", _("Ordered")
    SHIPPED = "shipped", _("Shipped")
    RECEIVED = "received", _("Received")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class SampleRequest(models.Model):
    """A buyer asks an exhibitor for samples of a product.

    Accepted free, the exhibitor ships; accepted at a price, the buyer orders it through the
    normal checkout (a negotiated price in ``partner``) and the exhibitor ships once paid.
    """

    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="sample_requests")
    exhibitor = models.ForeignKey(
        "exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="sample_requests"
    )
    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="sample_requests")
    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.SET_NULL, null=True, blank=True, related_name="sample_requests"
    )
    quantity = models.PositiveIntegerField(_("How many samples"))
    ship_to = models.TextField(_("Where to send them"))
    message = models.TextField(_("Message"), blank=True)
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=SampleStatus.choices,
        default=SampleStatus.REQUESTED,
        db_index=True,
    )
    unit_price = models.DecimalField(
        _("Sample price"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("Empty: free")
    )
    decline_reason = models.TextField(_("Reason"), blank=True)
    price_grant_id = models.PositiveIntegerField(null=True, blank=True)  # partner.NegotiatedPrice
    order_number = models.CharField(max_length=128, blank=True)
    tracking = models.CharField(_("Tracking number"), max_length=128, blank=True)
    feedback = models.TextField(_("Tasting feedback"), blank=True)
    feedback_rating = models.PositiveSmallIntegerField(_("Rating"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sample request")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"S-{self.pk}"

    @property
    def is_paid_sample(self) -> bool:
        return self.unit_price is not None and self.unit_price > 0

    @property
    def is_requested(self) -> bool:
        return self.status == SampleStatus.REQUESTED

    @property
    def is_accepted(self) -> bool:
        return self.status == SampleStatus.ACCEPTED

    @property
    def is_shipped(self) -> bool:
        return self.status == SampleStatus.SHIPPED

    @property
    def has_terms(self) -> bool:
        """Accepted at some point: free or at a price (declined, cancelled and new ones have none)."""
        return self.status not in (SampleStatus.REQUESTED, SampleStatus.DECLINED, SampleStatus.CANCELLED)

    @property
    def has_arrived(self) -> bool:
        """Shipped or received: the buyer may give tasting feedback."""
        return self.status in (SampleStatus.SHIPPED, SampleStatus.RECEIVED)

    @property
    def can_be_withdrawn(self) -> bool:
        return self.status in (SampleStatus.REQUESTED, SampleStatus.ACCEPTED)

    @property
    def awaits_shipping(self) -> bool:
        """Free samples accepted, or paid ones ordered: the exhibitor's turn to ship."""
        return self.status in (SampleStatus.ORDERED, SampleStatus.ACCEPTED)
