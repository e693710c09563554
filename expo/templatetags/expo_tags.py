"""Template tags for the site chrome: the language switch and ``hreflang`` links."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page

register = template.Library()


def _page_translations(page: Page) -> dict[str, str]:
    """URLs of a Wagtail page in every content language; the nearest fallback otherwise."""
    urls: dict[str, str] = {}
    translations = {p.locale.language_code: p for p in page.get_translations(inclusive=True).live()}
    for code, _name in settings.LANGUAGES:
        target = translations.get(code)
        if target is None:
            # No translation yet: the same page, served under the other language's prefix.
            locale_url = translate_url(page.url or "/", code)
            urls[code] = locale_url
        else:
            urls[code] = target.get_url() or "/"
    return urls


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One entry per language: code, name, absolute path, whether it is the current one."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")
    if isinstance(page, Page) and Locale.objects.exists():
        urls = _page_translations(page)
    else:
        path = request.get_full_path()
        urls = {code: translate_url(path, code) for code, _name in settings.LANGUAGES}
    current = get_language()
    return [
        {"code": code, "name": name, "url": urls[code], "current": code == current}
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag
def top_category_links():
    from expo.selectors import top_categories

    return top_categories()


@register.simple_tag
def booth_links(company) -> list[tuple]:
    """(participation, booth URL or None) for each edition the exhibitor took part in,
    with one query for the editions' pages in the reader's language."""
    from expo.models import ExpoEditionPage

    participations = [p for p in company.participations.all() if not p.withdrawn]
    years = {p.edition for p in participations}
    locale = Locale.get_active()
    editions = {
        edition.year: edition
        for edition in ExpoEditionPage.objects.live().filter(year__in=years, locale=locale)
    }
    links = []
    for participation in participations:
        edition = editions.get(participation.edition)
        url = None
        if edition is not None and company.is_verified:
            url = edition.url + edition.reverse_subpage("booth_route", args=[company.key])
        links.append((participation, url))
    return links


@register.simple_tag(takes_context=True)
def price_visible(context, stockrecord) -> bool:
    """False when the exhibitor shows prices to logged-in buyers only and the reader is not one."""
    from expo.selectors import prices_visible

    exhibitor = getattr(getattr(stockrecord, "partner", None), "exhibitor", None)
    return prices_visible(context.get("request"), exhibitor)


@register.filter
def country_label(code: str) -> str:
    """A country code as its name in the reader's language (``KZ`` → 哈萨克斯坦 / Kazakhstan)."""
    from config.countries import country_name

    return country_name(code, get_language() or settings.LANGUAGE_CODE) if code else ""
