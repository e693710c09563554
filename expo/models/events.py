"""Events, their index and registrations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from timezone_field import TimeZoneField
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from ..blocks import BodyBlock, SpeakerBlock
from .base import SitemapMixin


class EventIndexPage(SitemapMixin, Page):
    """Upcoming and past events."""

    intro = models.TextField(_("Introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["expo.HomePage"]
    subpage_types = ["expo.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event index")

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.event_list_context(index=self))
        return context


class EventKind(models.TextChoices):
    FORUM = "forum", _("Forum")
    LAUNCH = "launch", _("Product launch")
    MATCHMAKING = "matchmaking", _("Matchmaking session")
    LIVESTREAM = "livestream", _("Live stream")


class EventPage(RoutablePageMixin, SitemapMixin, Page):
    """A forum, launch, matchmaking session or live stream, with registration.

    Registrations belong to the event across its translations (by translation key), so
    the capacity is shared by the Chinese and English pages.
    """

    kind = models.CharField(_("Kind"), max_length=16, choices=EventKind.choices, default=EventKind.FORUM)
    starts_at = models.DateTimeField(_("Starts"))
    ends_at = models.DateTimeField(_("Ends"))
    time_zone = TimeZoneField(_("Time zone"), default="Asia/Shanghai")
    place = models.CharField(_("Place"), max_length=255, blank=True)
    online_url = models.URLField(_("Online link"), blank=True)
    intro = models.TextField(_("Summary"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))
    speakers = StreamField([("speaker", SpeakerBlock())], blank=True, verbose_name=_("Speakers"))
    capacity = models.PositiveIntegerField(_("Places"), null=True, blank=True, help_text=_("Empty: no limit"))
    registration_open = models.BooleanField(_("Registration open"), default=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("time_zone")]),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("online_url")]),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_open")]),
        FieldPanel("intro"),
        FieldPanel("speakers"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("place")]
    parent_page_types = ["expo.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        ordering = ["starts_at"]

    def source_event(self) -> EventPage:
        """The page in the default language: its places and dates rule all translations."""
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return self
        return self.get_translation_or_none(Locale.get_default()) or self

    @property
    def is_past_event(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def local_starts_at(self):
        return timezone.localtime(self.starts_at, self.time_zone)

    @property
    def local_ends_at(self):
        return timezone.localtime(self.ends_at, self.time_zone)

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.event_context(event=self, user=request.user))
        return context

    @path("")
    def index_route(self, request):
        return self.serve_event(request)

    def serve_event(self, request, form=None, status=200):
        from ..forms import EventRegistrationForm

        context = self.get_context(request)
        context["form"] = form or EventRegistrationForm(user=request.user)
        return TemplateResponse(request, self.get_template(request), context, status=status)

    @path("register/")
    def register_route(self, request):
        from django.contrib import messages

        from ..forms import EventRegistrationForm
        from ..services import event_register

        if request.method != "POST":
            return redirect(self.url)
        form = EventRegistrationForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.serve_event(request, form=form, status=400)
        outcome = event_register(event=self, **form.cleaned_data)
        getattr(messages, outcome.level)(request, outcome.message)
        return redirect(self.url)

    @path("ics/")
    def ics_route(self, request):
        from ..ics import event_ics_response

        return event_ics_response(self, request)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLIST = "waitlist", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class EventRegistration(models.Model):
    """A person's registration for an event; past the capacity it waits in line."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    event_key = models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("Name"), max_length=128)
    email = models.EmailField(_("E-mail"))
    company = models.CharField(_("Company"), max_length=255, blank=True)
    phone = models.CharField(_("Phone"), max_length=64, blank=True)
    status = models.CharField(
        _("Status"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED
    )
    created_at = models.DateTimeField(_("Registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event_key", "email"], name="one_registration_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
