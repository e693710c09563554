"""``/sitemap.xml``: the pages of every language, each with its translations as alternates."""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class TranslatedSitemap(Sitemap):
    """Wagtail's sitemap lists only the default language's tree; this one lists them all."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_any_tree = Q()
        for root in roots:
            in_any_tree |= Q(path__startswith=root.path)
        return (
            Page.objects.live().public().filter(in_any_tree).order_by("path").defer_streamfields().specific()
        )


def page_sitemap_urls(page: Page, request=None) -> list[dict]:
    """One sitemap entry for ``page`` with ``hreflang`` alternates for its live translations."""
    translations = page.get_translations(inclusive=True).live().public().select_related("locale")
    alternates = [
        {"location": other.get_full_url(request), "lang_code": other.locale.language_code}
        for other in translations
    ]
    return [
        {
            "location": page.get_full_url(request),
            "lastmod": page.last_published_at or page.latest_revision_created_at,
            "alternates": alternates if len(alternates) > 1 else [],
        }
    ]
