"""Plain content pages (about, contact, terms)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock
from .base import SitemapMixin


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
