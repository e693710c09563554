"""Writes of the expo's pages: event registration."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import EventPage, EventRegistration, RegistrationStatus


@dataclass(frozen=True)
class RegistrationOutcome:
    registration: EventRegistration | None
    level: str  # a django.contrib.messages level name
    message: str


def event_register(
    *, event: EventPage, name: str, email: str, company: str = "", phone: str = ""
) -> RegistrationOutcome:
    """Register a person; past the capacity they join the waiting list. Twice is told, not counted.

    The event row is locked while counting, so two people can never take the last place.
    """
    event = event.source_event()
    if not event.registration_open or event.is_past_event:
        return RegistrationOutcome(None, "error", _("Registration for this event is closed."))
    with transaction.atomic():
        EventPage.objects.select_for_update().filter(translation_key=event.translation_key).exists()
        existing = EventRegistration.objects.filter(
            event_key=event.translation_key, email__iexact=email
        ).first()
        if existing is not None and existing.status != RegistrationStatus.CANCELLED:
            if existing.status == RegistrationStatus.WAITLIST:
                return RegistrationOutcome(
                    existing, "info", _("You are already on the waiting list for this event.")
                )
            return RegistrationOutcome(existing, "info", _("You are already registered for this event."))
        confirmed = EventRegistration.objects.filter(
            event_key=event.translation_key, status=RegistrationStatus.CONFIRMED
        ).count()
        full = event.capacity is not None and confirmed >= event.capacity
        status = RegistrationStatus.WAITLIST if full else RegistrationStatus.CONFIRMED
        try:
            with transaction.atomic():
                if existing is not None:
                    existing.status, existing.name, existing.company, existing.phone = (
                        status,
                        name,
                        company,
                        phone,
                    )
                    existing.save()
                    registration = existing
                else:
                    registration = EventRegistration.objects.create(
                        event=event,
                        event_key=event.translation_key,
                        name=name,
                        email=email,
                        company=company,
                        phone=phone,
                        status=status,
                    )
        except IntegrityError:
            return RegistrationOutcome(None, "info", _("You are already registered for this event."))
    if full:
        return RegistrationOutcome(
            registration,
            "warning",
            _("The event is full: you are on the waiting list, and we will write if a place frees up."),
        )
    return RegistrationOutcome(
        registration, "success", _("You are registered. Add the event to your calendar below.")
    )
