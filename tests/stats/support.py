"""Small hand-counted data for the statistics tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from oscar.core.loading import get_model

from negotiation.models import Inquiry, Thread

Category = get_model("catalogue", "Category")


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def root_of(slug: str) -> str:
    return Category.objects.get(slug=slug).path[:4]


def set_created(obj, when: datetime, field: str = "created_at") -> None:
    type(obj).objects.filter(pk=obj.pk).update(**{field: when})


def inquiry(*, buyer, exhibitor, asked: datetime, waited_hours: float | None) -> Inquiry:
    """An inquiry asked at ``asked`` and first answered ``waited_hours`` later (or never)."""
    thread = Thread.objects.create(buyer=buyer, exhibitor=exhibitor, subject="test")
    record = Inquiry.objects.create(thread=thread, buyer=buyer, exhibitor=exhibitor)
    answered = asked + timedelta(hours=waited_hours) if waited_hours is not None else None
    Inquiry.objects.filter(pk=record.pk).update(created_at=asked, first_answered_at=answered)
    return record
