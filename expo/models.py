"""Wagtail page types of the expo site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from .blocks import BodyBlock


class SitemapMixin:
    """Sitemap entries carry ``hreflang`` alternates for the page's translations."""

    def get_sitemap_urls(self, request=None):
        from .sitemaps import page_sitemap_urls

        return page_sitemap_urls(self, request)


class HomePage(SitemapMixin, Page):
    """The expo's front page: headline, key figures, categories and products to browse."""

    headline = models.CharField(_("Headline"), max_length=255, blank=True)
    intro = models.TextField(_("Introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [FieldPanel("headline"), FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["expo.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_page_figures, home_page_products, top_categories

        context = super().get_context(request, *args, **kwargs)
        context["figures"] = home_page_figures()
        context["categories"] = top_categories()
        context["products"] = home_page_products(limit=8)
        return context


class StandardPage(SitemapMixin, Page):
    """A plain content page: about the expo, visiting, contact."""

    intro = models.TextField(_("Introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["expo.HomePage", "expo.StandardPage"]
    subpage_types = ["expo.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
