"""Buyer companies of the resource database."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Company, key_validator


class BuyerType(models.TextChoices):
    DISTRIBUTOR = "distributor", _("Distributor / wholesaler")
    RETAIL_CHAIN = "retail_chain", _("Supermarket / retail chain")
    ECOMMERCE = "ecommerce", _("E-commerce")
    CATERING = "catering", _("Catering")
    IMPORTER = "importer", _("Importer")
    PROCESSOR = "processor", _("Food processor")
    OTHER = "other", _("Other")


class Buyer(Company):
    """A company that comes to the expo to find suppliers."""

    kind = "buyer"

    buyer_type = models.CharField(
        _("Buyer type"), max_length=16, choices=BuyerType.choices, default=BuyerType.OTHER
    )
    interests = models.ManyToManyField("catalogue.Category", blank=True, related_name="interested_buyers")
    keywords = models.JSONField(_("Keywords"), default=list, blank=True)
    target_markets = models.JSONField(_("Target markets"), default=list, blank=True)
    annual_volume_cny = models.DecimalField(
        _("Yearly purchasing volume (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    required_certifications = models.JSONField(
        _("Certificates every supplier must hold"), default=list, blank=True
    )

    class Meta(Company.Meta):
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SourcingRequest(models.Model):
    """A buyer's sourcing request (采购需求 / RFQ); ``reference`` is unique within the buyer."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="requests")
    reference = models.CharField(_("Reference"), max_length=64, validators=[key_validator])
    title = models.CharField(_("What is wanted"), max_length=255)
    category = models.ForeignKey(
        "catalogue.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sourcing_requests",
    )
    description = models.TextField(_("Details"), blank=True)
    quantity = models.DecimalField(_("Quantity"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("Unit"), max_length=32, blank=True)
    target_price = models.DecimalField(
        _("Target unit price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("Currency"), max_length=3, default="CNY")
    delivery_region = models.CharField(_("Delivery region"), max_length=128, blank=True)
    deliver_by = models.DateField(_("Deliver by"), null=True, blank=True)
    required_certifications = models.JSONField(_("Required certificates"), default=list, blank=True)
    storage = models.CharField(_("Storage"), max_length=16, blank=True)
    status = models.CharField(
        _("Status"), max_length=8, choices=RequestStatus.choices, default=RequestStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sourcing request")
        verbose_name_plural = _("sourcing requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "reference"], name="unique_request_reference")
        ]

    def __str__(self) -> str:
        return f"{self.buyer.key}/{self.reference}"


class MatchDigest(models.Model):
    """A member's choice about the weekly e-mail of new matches; without a row it is on."""

    membership = models.OneToOneField(
        "exhibitors.Membership", on_delete=models.CASCADE, related_name="match_digest"
    )
    enabled = models.BooleanField(_("Weekly e-mail of new matches"), default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weekly match e-mail")

    def __str__(self) -> str:
        return f"{self.membership_id}: {'on' if self.enabled else 'off'}"
