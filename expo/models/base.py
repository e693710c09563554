"""What every expo page shares."""

from __future__ import annotations


class SitemapMixin:
    """Sitemap entries carry ``hreflang`` alternates for the page's translations."""

    def get_sitemap_urls(self, request=None):
        from ..sitemaps import page_sitemap_urls

        return page_sitemap_urls(self, request)
