"""What a company is told in the app: one row per event, texts built at read time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    QUOTE = "quote", _("Quote")
    QUOTE_ACCEPTED = "quote_accepted", _("Quote accepted")
    SAMPLE = "sample", _("Sample")
    MEETING = "meeting", _("Meeting")
    ORDER_STATUS = "order_status", _("Order status")


class Notification(models.Model):
    """An event for one company (buyer or exhibitor side): the kind and its parameters are
    stored, never a translated text, so each reader sees it in their own language."""

    buyer = models.ForeignKey(
        "buyers.Buyer", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    exhibitor = models.ForeignKey(
        "exhibitors.Exhibitor", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    params = models.JSONField(default=dict, blank=True)
    object_type = models.CharField(max_length=32, blank=True)
    object_ref = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_read = models.BooleanField(default=False)

    class Meta:
        ordering = ("id",)
        indexes = [
            models.Index(fields=["buyer", "id"], name="notification_buyer_id"),
            models.Index(fields=["exhibitor", "id"], name="notification_exhibitor_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(buyer__isnull=True, exhibitor__isnull=False)
                | models.Q(buyer__isnull=False, exhibitor__isnull=True),
                name="notification_one_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class PushSubscription(models.Model):
    """A browser's web-push subscription (``PushSubscription.toJSON()``) for one person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=255)
    auth = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.endpoint[:60]
