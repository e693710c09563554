"""Wagtail page types of the expo site, one module per section: home, editions and halls,
news, events, standard pages."""

from .base import SitemapMixin
from .deferred import DeferredTask
from .editions import ExpoEditionPage, HallPage
from .events import EventIndexPage, EventKind, EventPage, EventRegistration, RegistrationStatus
from .home import HomeFeaturedExhibitor, HomeFeaturedProduct, HomePage
from .news import NewsIndexPage, NewsKind, NewsPage, NewsPageTag
from .standard import StandardPage

__all__ = [
    "DeferredTask",
    "EventIndexPage",
    "EventKind",
    "EventPage",
    "EventRegistration",
    "ExpoEditionPage",
    "HallPage",
    "HomeFeaturedExhibitor",
    "HomeFeaturedProduct",
    "HomePage",
    "NewsIndexPage",
    "NewsKind",
    "NewsPage",
    "NewsPageTag",
    "RegistrationStatus",
    "SitemapMixin",
    "StandardPage",
]
