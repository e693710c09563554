"""Wagtail page types of the expo site: home, editions, halls, news, events, standard pages."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from timezone_field import TimeZoneField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from .blocks import BodyBlock, SpeakerBlock


class SitemapMixin:
    """Sitemap entries carry ``hreflang`` alternates for the page's translations."""

    def get_sitemap_urls(self, request=None):
        from .sitemaps import page_sitemap_urls

        return page_sitemap_urls(self, request)


class HomePage(SitemapMixin, Page):
    """The expo's front page: the current edition's countdown, key figures, featured
    exhibitors and products chosen by staff, latest news and upcoming events."""

    headline = models.CharField(_("Headline"), max_length=255, blank=True)
    intro = models.TextField(_("Introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [
        FieldPanel("headline"),
        FieldPanel("intro"),
        InlinePanel("featured_exhibitors", label=_("Featured exhibitors")),
        InlinePanel("featured_products", label=_("Featured products")),
        FieldPanel("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["expo.ExpoEditionPage", "expo.NewsIndexPage", "expo.EventIndexPage", "expo.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.home_page_context(page=self))
        return context


class HomeFeaturedExhibitor(Orderable):
    """An exhibitor staff put on the home page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_exhibitors")
    exhibitor = models.ForeignKey("exhibitors.Exhibitor", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("exhibitor")]


class HomeFeaturedProduct(Orderable):
    """A product staff put on the home page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("product")]


class ExpoEditionPage(RoutablePageMixin, SitemapMixin, Page):
    """One year's expo: dates, venue, floor plan, halls, exhibitors and events.

    Online booths are routes of this page (``booths/<exhibitor key>/``), built from the
    exhibitors' participation in this edition's year.
    """

    year = models.PositiveSmallIntegerField(_("Year"), db_index=True)
    starts_at = models.DateTimeField(_("Opens"))
    ends_at = models.DateTimeField(_("Closes"))
    venue = models.CharField(_("Venue"), max_length=255)
    address = models.CharField(_("Address"), max_length=255, blank=True)
    floor_plan = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Floor plan"),
    )
    intro = models.TextField(_("Introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("year"), FieldPanel("starts_at"), FieldPanel("ends_at")]),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("address"), FieldPanel("floor_plan")], heading=_("Venue")
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("venue")]
    parent_page_types = ["expo.HomePage"]
    subpage_types = ["expo.HallPage"]

    class Meta:
        verbose_name = _("expo edition")
        ordering = ["-year"]

    @property
    def is_current(self) -> bool:
        return self.ends_at >= timezone.now()

    @path("")
    def index_route(self, request):
        from . import selectors

        filters = selectors.EditionExhibitorFilters.from_query(request.GET)
        context = self.get_context(request)
        context.update(
            selectors.edition_page_context(edition=self, filters=filters, page_number=request.GET.get("page"))
        )
        return TemplateResponse(request, self.get_template(request), context)

    @path("booths/<str:key>/")
    def booth_route(self, request, key):
        from . import selectors

        booth = selectors.booth_get(edition=self, key=key, user=request.user)
        context = self.get_context(request)
        context.update(booth)
        return TemplateResponse(request, "expo/booth.html", context)


class HallPage(SitemapMixin, Page):
    """A hall of an edition: its theme and its booths (from the exhibitors' participation)."""

    code = models.CharField(_("Hall code"), max_length=16, help_text=_("As in booth numbers: A for A-1021"))
    theme = models.CharField(_("Theme"), max_length=255, blank=True)
    intro = models.TextField(_("Introduction"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Image"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("code"),
        FieldPanel("theme"),
        FieldPanel("intro"),
        FieldPanel("image"),
    ]
    parent_page_types = ["expo.ExpoEditionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("hall")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        edition = self.get_parent().specific
        context.update(edition=edition, booths=selectors.hall_booths(edition=edition, hall=self.code))
        return context


class NewsKind(models.TextChoices):
    NEWS = "news", _("News")
    NOTICE = "notice", _("Notice")
    POLICY = "policy", _("Policy")
    MARKET_REPORT = "market_report", _("Market report")


class NewsIndexPage(RoutablePageMixin, SitemapMixin, Page):
    """The news list with kind and tag filters, and its RSS feed."""

    intro = models.TextField(_("Introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["expo.HomePage"]
    subpage_types = ["expo.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")

    @path("")
    def index_route(self, request):
        from . import selectors

        context = self.get_context(request)
        context.update(
            selectors.news_list_context(
                index=self,
                kind=request.GET.get("kind", ""),
                tag=request.GET.get("tag", ""),
                page_number=request.GET.get("page"),
            )
        )
        return TemplateResponse(request, self.get_template(request), context)

    @path("feed/")
    def feed_route(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("expo.NewsPage", on_delete=models.CASCADE, related_name="tagged_items")


class NewsPage(SitemapMixin, Page):
    """A news article, notice, policy or market report."""

    kind = models.CharField(_("Kind"), max_length=16, choices=NewsKind.choices, default=NewsKind.NEWS)
    date = models.DateField(_("Date"), default=timezone.localdate)
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Lead image"),
    )
    intro = models.TextField(_("Summary"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("lead_image"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["expo.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news article")
        ordering = ["-date"]

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["related"] = selectors.related_news(page=self, limit=4)
        return context


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
        from . import selectors

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
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.event_context(event=self, user=request.user))
        return context

    @path("")
    def index_route(self, request):
        return self.serve_event(request)

    def serve_event(self, request, form=None, status=200):
        from .forms import EventRegistrationForm

        context = self.get_context(request)
        context["form"] = form or EventRegistrationForm(user=request.user)
        return TemplateResponse(request, self.get_template(request), context, status=status)

    @path("register/")
    def register_route(self, request):
        from django.contrib import messages

        from .forms import EventRegistrationForm
        from .services import event_register

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
        from .ics import event_ics_response

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


class StandardPage(SitemapMixin, Page):
    """A plain content page: about the expo, visiting, contact."""

    intro = models.TextField(_("Introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["expo.HomePage", "expo.StandardPage"]
    subpage_types = ["expo.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
