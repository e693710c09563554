"""Payment records: Stripe PaymentIntents, bank transfers (对公转账), refunds and the Stripe events
received, each stored once so that a replayed delivery changes nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from order.statuses import LineStatus, OrderStatus  # noqa: F401 - re-exported for payments' users


class PaymentMethod(models.TextChoices):
    STRIPE = "stripe", _("Online payment (card)")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer (对公转账)")


class PaymentIntent(models.Model):
    """The Stripe PaymentIntent that collects an order's total; one per order, reused when the
    buyer tries again after a declined card. ``amount`` is in the currency's smallest unit."""

    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="stripe_intent", verbose_name=_("Order")
    )
    intent_id = models.CharField(_("PaymentIntent"), max_length=255, unique=True)
    client_secret = models.CharField(max_length=255, blank=True)
    amount = models.PositiveBigIntegerField(_("Amount (smallest unit)"))
    currency = models.CharField(_("Currency"), max_length=3)
    status = models.CharField(_("Stripe status"), max_length=32, db_index=True)
    payment_method_types = models.JSONField(default=list, blank=True)
    last_error = models.TextField(_("Last payment error"), blank=True)
    needs_attention = models.TextField(
        _("Needs attention"),
        blank=True,
        help_text=_("Set when money arrived for an order that could not take it (cancelled, stock gone)."),
    )
    paid_at = models.DateTimeField(_("Paid at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Stripe payment")
        verbose_name_plural = _("Stripe payments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.intent_id} ({self.status})"


class BankTransferStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting transfer")
    CONFIRMED = "confirmed", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class BankTransfer(models.Model):
    """A buyer's company transfer (对公转账) expected for an order; the reference goes in the
    transfer's memo so staff can match the bank statement to the order."""

    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="bank_transfer", verbose_name=_("Order")
    )
    reference = models.CharField(_("Transfer reference"), max_length=32, unique=True)
    amount = models.DecimalField(_("Amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("Currency"), max_length=3)
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=BankTransferStatus.choices,
        default=BankTransferStatus.AWAITING,
        db_index=True,
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("bank transfer")
        verbose_name_plural = _("bank transfers")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class RefundStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting staff approval")
    PROCESSING = "processing", _("Processing")
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected")


# Money of these is not (or no longer) on its way back: it does not count against what is left.
REFUND_VOID_STATUSES = (RefundStatus.FAILED, RefundStatus.REJECTED)
# Money of these has gone back (or Stripe has it in hand).
REFUND_SETTLED_STATUSES = (RefundStatus.SUCCEEDED, RefundStatus.PENDING)


class Refund(models.Model):
    """Money returned to the buyer, through Stripe or (for bank transfers) by the platform's
    own transfer. ``stripe_refund_id`` makes a refund known once, whether staff created it
    here or Stripe reported it in a ``charge.refunded`` event.

    A Stripe refund is recorded first ("Processing", or "Awaiting staff approval" above the
    approval amount), committed, then sent to Stripe with the idempotency key
    ``refund-<id>`` and settled; a row left "Processing" is settled by the reconciliation."""

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="refunds")
    method = models.CharField(_("Method"), max_length=16, choices=PaymentMethod.choices)
    stripe_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    amount = models.DecimalField(_("Amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("Currency"), max_length=3)
    status = models.CharField(
        _("Status"), max_length=24, choices=RefundStatus.choices, default=RefundStatus.SUCCEEDED
    )
    lines = models.ManyToManyField("order.Line", blank=True, related_name="refunds")
    reason = models.TextField(_("Reason"), blank=True)
    partner = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name=_("Exhibitor"),
        help_text=_("The exhibitor whose goods are refunded (empty: the order as a whole)."),
    )
    request_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    error = models.TextField(_("Error"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("Approved or rejected at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("Sent to Stripe at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.order_id})"

    @property
    def idempotency_key(self) -> str:
        return f"refund-{self.pk}"


class StripeEvent(models.Model):
    """A webhook event as Stripe delivered it; the unique id turns replays into no-ops."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=128, db_index=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    outcome = models.CharField(max_length=32, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


from . import receivers  # noqa: E402,F401 - connects the stock-release receivers with the models
