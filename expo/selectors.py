"""Reads for the expo's pages. Each page runs a fixed number of queries, whatever the
number of exhibitors, products or articles (lists are paginated or limited, relations
prefetched)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.models import Page

from buyers.models import Buyer
from exhibitors.models import (
    Certificate,
    CompanyStatus,
    Exhibitor,
    Membership,
    Participation,
)
from exhibitors.selectors import counting_certificates

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
Order = get_model("order", "Order")

logger = logging.getLogger(__name__)

EXHIBITORS_PER_PAGE = 24
BOOTH_PRODUCTS = 24


def home_page_figures() -> dict[str, int]:
    """Key figures computed from the resource database and the shop, never typed in."""
    return {
        "exhibitors": Exhibitor.objects.filter(status=CompanyStatus.VERIFIED).count(),
        "buyers": Buyer.objects.filter(status=CompanyStatus.VERIFIED).count(),
        "products": Product.objects.filter(is_public=True).count(),
        "deals": Order.objects.count(),
    }


def top_categories() -> QuerySet:
    return Category.objects.filter(depth=1, is_public=True).order_by("path")


def _product_cards(qs: QuerySet) -> QuerySet:
    """Products with what a card shows (first image, stock record, exhibitor) prefetched."""
    return qs.prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order")),
        "stockrecords__partner__exhibitor",
    )


def _public_products() -> QuerySet:
    return Product.objects.filter(is_public=True, structure__in=["standalone", "parent"])


def home_page_products(*, limit: int) -> list:
    """The newest public products with their first image and exhibitor, in three queries."""
    return list(_product_cards(_public_products().order_by("-date_created", "-id"))[:limit])


def _live(model, locale) -> QuerySet:
    return model.objects.live().public().filter(locale=locale)


def current_edition(*, locale):
    """The edition that has not ended yet and starts first; else the latest one."""
    from .models import ExpoEditionPage

    editions = _live(ExpoEditionPage, locale)
    return (
        editions.filter(ends_at__gte=timezone.now()).order_by("starts_at").first()
        or editions.order_by("-starts_at").first()
    )


def home_page_context(*, page) -> dict:
    from .models import EventIndexPage, EventPage, NewsPage

    featured_exhibitors = [
        f.exhibitor
        for f in page.featured_exhibitors.select_related("exhibitor").all()
        if f.exhibitor.status == CompanyStatus.VERIFIED
    ]
    featured_ids = list(page.featured_products.values_list("product_id", flat=True))
    featured_products = list(_product_cards(_public_products().filter(id__in=featured_ids)))
    featured_products.sort(key=lambda product: featured_ids.index(product.id))
    return {
        "now_dt": timezone.now(),
        "figures": home_page_figures(),
        "categories": top_categories(),
        "edition": current_edition(locale=page.locale),
        "featured_exhibitors": featured_exhibitors,
        "featured_products": featured_products,
        "products": home_page_products(limit=8),
        "latest_news": list(
            _live(NewsPage, page.locale).order_by("-date", "-id").select_related("lead_image")[:4]
        ),
        "upcoming_events": list(
            _live(EventPage, page.locale).filter(ends_at__gte=timezone.now()).order_by("starts_at")[:4]
        ),
        "event_index": _live(EventIndexPage, page.locale).first(),
    }


@dataclass(frozen=True)
class EditionExhibitorFilters:
    hall: str = ""
    category: str = ""
    province: str = ""
    certificate: str = ""

    @classmethod
    def from_query(cls, query) -> EditionExhibitorFilters:
        return cls(
            **{
                name: query.get(name, "").strip()[:64]
                for name in ("hall", "category", "province", "certificate")
            }
        )


def _exhibiting_in(year: int) -> QuerySet[Participation]:
    """Who exhibits at the edition of ``year``: verified, not withdrawn."""
    return Participation.objects.filter(
        edition=year, withdrawn=False, exhibitor__status=CompanyStatus.VERIFIED
    )


def edition_booths(*, year: int, filters: EditionExhibitorFilters, category=None) -> QuerySet[Participation]:
    """The public booths of an edition's year, filtered as on the edition page (hall, the
    exhibitor's province, a category with its sub-categories, a certificate that counts), in
    hall and booth order. ``category``: the row of ``filters.category`` if the caller has read
    it already (an unknown slug filters nothing)."""
    participations = _exhibiting_in(year).select_related("exhibitor")
    if filters.hall:
        participations = participations.filter(hall__iexact=filters.hall)
    if filters.province:
        participations = participations.filter(exhibitor__province=filters.province)
    if filters.category:
        if category is None:
            category = Category.objects.filter(slug=filters.category).first()
        if category is not None:
            participations = participations.filter(
                exhibitor__categories__path__startswith=category.path
            ).distinct()
    if filters.certificate:
        participations = participations.filter(
            Q(exhibitor__certificates__code=filters.certificate.upper())
            & counting_certificates(prefix="exhibitor__certificates__")
        ).distinct()
    return participations.order_by("hall", "booth", "id")


def edition_is_public(*, year: int) -> bool:
    """Whether an expo edition of ``year`` is published (in any language)."""
    from .models import ExpoEditionPage

    return ExpoEditionPage.objects.live().public().filter(year=year).exists()


def edition_page_context(*, edition, filters: EditionExhibitorFilters, page_number) -> dict:
    from .models import EventPage, HallPage

    participations = edition_booths(year=edition.year, filters=filters)
    page = Paginator(participations, EXHIBITORS_PER_PAGE).get_page(page_number)
    provinces = (
        _exhibiting_in(edition.year)
        .exclude(exhibitor__province="")
        .order_by()
        .values_list("exhibitor__province", flat=True)
        .distinct()
    )
    return {
        "edition": edition,
        "halls": list(HallPage.objects.child_of(edition).live().public().order_by("code")),
        "booth_page": page,
        "filters": filters,
        "provinces": sorted(set(provinces)),
        "filter_categories": top_categories(),
        "certificate_codes": [code for code, _label in Certificate._meta.get_field("code").choices],
        "events": list(
            _live(EventPage, edition.locale)
            .filter(starts_at__gte=edition.starts_at - timedelta(days=1), starts_at__lte=edition.ends_at)
            .order_by("starts_at")
        ),
    }


def hall_booths(*, edition, hall: str) -> list[Participation]:
    return list(
        _exhibiting_in(edition.year)
        .filter(hall__iexact=hall)
        .select_related("exhibitor")
        .order_by("booth", "id")
    )


def prices_visible(request, exhibitor) -> bool:
    """Whether the reader of ``request`` sees ``exhibitor``'s prices: always, unless it shows
    them to logged-in buyers only (``can_see_prices`` is asked once per request)."""
    if exhibitor is None or not exhibitor.prices_for_buyers_only:
        return True
    if request is None:
        return False
    if not hasattr(request, "_can_see_prices"):
        request._can_see_prices = can_see_prices(request.user)
    return request._can_see_prices


def can_see_prices(user) -> bool:
    """Booth prices are for logged-in buyers (and staff)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or Membership.objects.filter(user=user, buyer__isnull=False).exists()


def booth_get(*, edition, key: str, user) -> dict:
    """An exhibitor's online booth at an edition; unverified or withdrawn booths are not public."""
    participation = (
        _exhibiting_in(edition.year)
        .filter(exhibitor__key=key)
        .select_related("exhibitor")
        .prefetch_related("exhibitor__photos", "exhibitor__categories")
        .first()
    )
    if participation is None:
        raise Http404("No such booth at this edition")
    exhibitor = participation.exhibitor
    certificates = Certificate.objects.filter(counting_certificates(), exhibitor=exhibitor)
    products = _product_cards(
        _public_products()
        .filter(stockrecords__partner_id=exhibitor.partner_id)
        .order_by("-date_created", "-id")
    )[:BOOTH_PRODUCTS]
    from exhibitors.selectors import can_see_contacts

    return {
        "booth": participation,
        "company": exhibitor,
        "certificates": list(certificates),
        "products": list(products),
        "show_prices": can_see_prices(user),
        "show_contacts": can_see_contacts(user=user, company=exhibitor),
    }


def booth_url(*, exhibitor: Exhibitor, edition_year: int, locale=None) -> str | None:
    from .models import ExpoEditionPage

    editions = ExpoEditionPage.objects.live().filter(year=edition_year)
    if locale is not None:
        editions = editions.filter(locale=locale)
    edition = editions.first()
    return edition.url + edition.reverse_subpage("booth_route", args=[exhibitor.key]) if edition else None


def exhibitors_by_query(*, category: str = "", province: str = "", limit: int = 8) -> list[Exhibitor]:
    qs = Exhibitor.objects.filter(status=CompanyStatus.VERIFIED)
    if category:
        node = Category.objects.filter(slug=category).first()
        if node is None:
            return []
        qs = qs.filter(categories__path__startswith=node.path).distinct()
    if province:
        qs = qs.filter(province=province)
    return list(qs.order_by("name_zh", "id")[:limit])


def products_by_query(*, category: str = "", storage: str = "", limit: int = 8) -> list:
    qs = _public_products()
    if category:
        node = Category.objects.filter(slug=category).first()
        if node is None:
            return []
        qs = qs.filter(categories__path__startswith=node.path).distinct()
    if storage:
        qs = qs.filter(storage=storage)
    return list(_product_cards(qs.order_by("-date_created", "-id"))[:limit])


def news_list_context(*, index, kind: str, tag: str, page_number) -> dict:
    from .models import NewsKind, NewsPage

    qs = (
        NewsPage.objects.live().public().child_of(index).select_related("lead_image").order_by("-date", "-id")
    )
    if kind in NewsKind.values:
        qs = qs.filter(kind=kind)
    if tag:
        qs = qs.filter(tags__name=tag[:100])
    return {
        "articles": Paginator(qs, 12).get_page(page_number),
        "kind": kind,
        "tag": tag,
        "kinds": NewsKind.choices,
    }


def related_news(*, page, limit: int) -> list:
    """Articles sharing the most tags with ``page``, then the same kind, newest first."""
    from .models import NewsPage

    tag_ids = list(page.tags.values_list("id", flat=True))
    qs = _live(NewsPage, page.locale).exclude(pk=page.pk)
    if tag_ids:
        qs = qs.annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids)))
        qs = qs.order_by("-shared", "-date")
    else:
        qs = qs.filter(kind=page.kind).order_by("-date")
    return list(qs[:limit])


def event_list_context(*, index) -> dict:
    from .models import EventPage

    events = EventPage.objects.live().public().child_of(index)
    now = timezone.now()
    return {
        "upcoming": list(events.filter(ends_at__gte=now).order_by("starts_at")),
        "past": list(events.filter(ends_at__lt=now).order_by("-starts_at")[:20]),
    }


def event_counts(*, event) -> dict[str, int]:
    from .models import EventRegistration, RegistrationStatus

    rows = (
        EventRegistration.objects.filter(event_key=event.translation_key)
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = {status: 0 for status in RegistrationStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def event_context(*, event, user) -> dict:
    event = event.source_event()
    counts = event_counts(event=event)
    places_left = None if event.capacity is None else max(0, event.capacity - counts["confirmed"])
    return {
        "source_event": event,
        "registration_counts": counts,
        "places_left": places_left,
        "is_past": event.ends_at < timezone.now(),
    }


def page_search(*, query: str, locale, limit: int = 20) -> list[Page]:
    """Wagtail's search over the live pages of one language."""
    # Engines give operators to quotes, tildes and stars; people mean words.
    query = re.sub(r"[^\w\s]", " ", query)[:200].strip()
    if not query:
        return []
    try:
        return list(Page.objects.live().public().filter(locale=locale).specific().search(query)[:limit])
    except DatabaseError:
        logger.warning("Page search failed for %r", query, exc_info=True)
        return []
