"""The home page and what it features."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from ..blocks import BodyBlock
from .base import SitemapMixin


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
        from .. import selectors

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
