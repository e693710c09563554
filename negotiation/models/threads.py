"""Threads and their messages and attachments; inquiries, which open a thread."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exhibitors.uploads import validate_document


class Side(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    EXHIBITOR = "exhibitor", _("Exhibitor")


def other_side(side: str) -> str:
    return Side.EXHIBITOR if side == Side.BUYER else Side.BUYER


class Thread(models.Model):
    """A conversation between one buyer and one exhibitor (an inquiry's or a quote's).

    Read and mail state is kept per side: any member of a company reads and answers for it.
    """

    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="negotiation_threads")
    exhibitor = models.ForeignKey(
        "exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="negotiation_threads"
    )
    subject = models.CharField(_("Subject"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_message_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    buyer_seen_at = models.DateTimeField(null=True, blank=True)
    exhibitor_seen_at = models.DateTimeField(null=True, blank=True)
    # One e-mail per batch: set when a notice is scheduled, cleared when it is sent.
    buyer_notice_due_at = models.DateTimeField(null=True, blank=True)
    exhibitor_notice_due_at = models.DateTimeField(null=True, blank=True)
    buyer_notified_at = models.DateTimeField(null=True, blank=True)
    exhibitor_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        ordering = ["-last_message_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    """One message of a thread; ``side`` and ``author`` say which company and who wrote it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    body = models.TextField(_("Message"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


def attachment_path(instance, filename: str) -> str:
    """A random folder per file: attachments are private, so their paths must not be guessable."""
    return f"negotiation/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    """A file attached to a message; checked by its content (PDF, JPEG or PNG, at most 10 MB)
    and served only through the thread's permission check."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, validators=[validate_document])
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.name


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Inquiry(models.Model):
    """A buyer's inquiry (询盘) to an exhibitor about one or more products."""

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="inquiry")
    buyer = models.ForeignKey("buyers.Buyer", on_delete=models.CASCADE, related_name="inquiries")
    exhibitor = models.ForeignKey("exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="inquiries")
    products = models.ManyToManyField("catalogue.Product", blank=True, related_name="inquiries")
    quantity = models.PositiveIntegerField(_("Quantity"), null=True, blank=True)
    destination = models.CharField(_("Destination"), max_length=255, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"I-{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == InquiryStatus.CLOSED
