"""Expo editions and their halls."""

from __future__ import annotations

from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock
from .base import SitemapMixin


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
        from .. import selectors

        filters = selectors.EditionExhibitorFilters.from_query(request.GET)
        context = self.get_context(request)
        context.update(
            selectors.edition_page_context(edition=self, filters=filters, page_number=request.GET.get("page"))
        )
        return TemplateResponse(request, self.get_template(request), context)

    @path("booths/<str:key>/")
    def booth_route(self, request, key):
        from .. import selectors

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
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        edition = self.get_parent().specific
        context.update(edition=edition, booths=selectors.hall_booths(edition=edition, hall=self.code))
        return context
