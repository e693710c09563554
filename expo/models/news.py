"""News, notices and policies, and their index."""

from __future__ import annotations

from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock
from .base import SitemapMixin


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
        from .. import selectors

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
        from ..feeds import NewsFeed

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
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context["related"] = selectors.related_news(page=self, limit=4)
        return context
