"""Quotes of exhibitors on buyers' sourcing requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .threads import Thread


class QuoteStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    NOT_CHOSEN = "not_chosen", _("Not chosen")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeliveryTerms(models.TextChoices):
    DELIVERED = "delivered", _("Delivered to the buyer's address")
    EXW = "EXW", _("EXW (ex works)")
    FCA = "FCA", _("FCA (free carrier)")
    FOB = "FOB", _("FOB (free on board)")
    CIF = "CIF", _("CIF (cost, insurance and freight)")
    DAP = "DAP", _("DAP (delivered at place)")
    DDP = "DDP", _("DDP (delivered duty paid)")


class Quote(models.Model):
    """An exhibitor's quote on a buyer's sourcing request; one per exhibitor and request.

    Accepted, it becomes a negotiated price the buyer checks out with until ``valid_until``.
    """

    request = models.ForeignKey("buyers.SourcingRequest", on_delete=models.CASCADE, related_name="quotes")
    exhibitor = models.ForeignKey("exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="quotes")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="quotes")
    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="quote")
    unit_price = models.DecimalField(_("Unit price"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("Currency"), max_length=3, default="CNY")
    moq = models.PositiveIntegerField(_("Minimum order quantity"))
    lead_time_days = models.PositiveIntegerField(_("Lead time (days)"))
    delivery_terms = models.CharField(_("Delivery terms"), max_length=16, choices=DeliveryTerms.choices)
    valid_until = models.DateField(_("Valid until"))
    message = models.TextField(_("Message"), blank=True)
    status = models.CharField(
        _("Status"), max_length=12, choices=QuoteStatus.choices, default=QuoteStatus.OPEN, db_index=True
    )
    price_grant_id = models.PositiveIntegerField(null=True, blank=True)  # partner.NegotiatedPrice
    order_number = models.CharField(max_length=128, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("quote")
        ordering = ["unit_price", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "exhibitor"], name="one_quote_per_exhibitor")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"Q-{self.pk}"

    @property
    def buyer_id(self) -> int:
        return self.request.buyer_id

    @property
    def is_open(self) -> bool:
        return self.status == QuoteStatus.OPEN

    @property
    def is_accepted(self) -> bool:
        return self.status == QuoteStatus.ACCEPTED

    @property
    def takes_messages(self) -> bool:
        """Open or accepted: the two companies may still talk about it."""
        return self.status in (QuoteStatus.OPEN, QuoteStatus.ACCEPTED)
