"""Tasks that could not be handed to the broker, kept until it is back."""

from __future__ import annotations

from django.db import models


class DeferredTask(models.Model):
    """A Celery task whose enqueue failed (the broker was down) after its transaction had
    committed. ``expo.tasks.send_deferred_tasks`` hands it to the broker once it is back."""

    name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    eta = models.DateTimeField(null=True, blank=True, help_text="Not to run before this time.")
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} (deferred {self.created_at:%Y-%m-%d %H:%M})"
