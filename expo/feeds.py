"""RSS feed of an expo news index."""

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, index):
        super().__init__()
        self.index = index

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return self.index.title

    def link(self):
        return self.index.get_full_url(self.request)

    def description(self):
        return self.index.intro or self.index.title

    def items(self):
        from .models import NewsPage

        return NewsPage.objects.live().public().child_of(self.index).order_by("-date", "-id")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at or timezone.now()

    def item_categories(self, item):
        return [item.get_kind_display()]
