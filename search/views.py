"""Product search and browsing (replacing Oscar's haystack views, same names and URLs) and the
exhibitor directory search. Every page works when the search engine is down: products then
come straight from the catalogue tables, without facets, and the page says so."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from catalogue.models import Storage
from exhibitors.codes import CERTIFICATION_CODES, Certification
from stats.services import log_search

from . import text
from .backends import CompanyQuery, SearchUnavailable
from .page_parts import (
    PRODUCT_SORT_LABELS,
    active_filters,
    decorate_hits,
    facet_groups,
    understood_chips,
    url_with,
)
from .selectors import (
    SORTS,
    Category,
    ProductFilters,
    category_by_slug,
    category_tree,
    company_search,
    edition_choices,
    page_number,
    product_browse_page,
    product_search,
    province_choices,
    suggestions_for,
)


class ProductListView(TemplateView):
    """Products with facets, sorting and highlighted matches; the category tree beside them."""

    template_name = "search/product_list.html"
    category = None
    per_page = 24

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = ProductFilters.from_query(self.request.GET)
        notices = list(filters.notices)
        category = self.category
        if filters.category:
            chosen = category_by_slug(filters.category)
            if chosen is None:
                notices.append(_("Unknown category “%(value)s”: ignored.") % {"value": filters.category[:64]})
                filters = replace(filters, category="")
            else:
                category = chosen
        page = page_number(self.request.GET.get("page"))
        query = filters.to_query(
            category_id=category.pk if category else None, page=page, per_page=self.per_page
        )
        try:
            found = product_search(query=query)
        except SearchUnavailable:
            found = product_browse_page(filters=filters, category=self.category or category, page=page)
        for objects, highlights in ((found.objects, found.highlights), (found.more, {})):
            decorate_hits(
                objects,
                highlights,
                title_of=lambda p: p.display_title,
                snippet_of=lambda p: p.display_description,
            )
        categories = category_tree()
        params = filters.as_query()
        sort = filters.effective_sort
        context.update(
            category=category,
            categories=categories,
            filters=filters,
            query=filters.q,
            terms=text.query_terms(filters.q),
            sort=sort,
            sorts=[(k, label) for k, label in PRODUCT_SORT_LABELS if k != "relevance" or filters.q],
            storages=Storage.choices,
            certifications=Certification.choices,
            provinces=province_choices(),
            notices=notices,
            found=found,
            products=found.objects,
            search_unavailable=found.unavailable,
            facet_groups=self.facet_groups(found.facets, params, categories, category),
            active_filters=self.active_filters(filters, params, category),
            understood=self.understood_chips(found, filters, params),
            did_you_mean=found.results.did_you_mean if found.results else "",
            more_in=found.more_category.display_name if found.more_category else "",
            page_query=urlencode({k: v for k, v in params.items()}),
            summary=self.get_summary(category),
        )
        if not found.total and filters.q and not found.unavailable:
            context["help"] = suggestions_for(filters.q)
        return context

    def get_summary(self, category):
        return category.display_name if category else _("All products")

    facet_groups = staticmethod(facet_groups)
    understood_chips = staticmethod(understood_chips)
    active_filters = staticmethod(active_filters)


class CatalogueView(ProductListView):
    pass


class ProductCategoryView(ProductListView):
    """Products of a category and its descendants; old slugs redirect to the current URL."""

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"], is_public=True)
        expected = self.category.get_absolute_url()
        if request.path != expected:
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{expected}?{query}" if query else expected)
        return super().get(request, *args, **kwargs)


class FacetedSearchView(ProductListView):
    """Product search; pages (news, events, editions) matching the words are listed beside."""

    def get_context_data(self, **kwargs):
        from wagtail.models import Locale

        from expo.selectors import page_search

        context = super().get_context_data(**kwargs)
        if context["query"]:
            context["pages"] = page_search(query=context["query"], locale=Locale.get_active(), limit=8)
        log_search(
            query=context["query"],
            result_count=context["found"].total,
            source="page",
            unavailable=context["search_unavailable"],
        )
        return context

    def get_summary(self, category):
        query = text.clean_query(self.request.GET.get("q", ""))
        if query and text.query_terms(query):
            return _("Products matching “%(q)s”") % {"q": query}
        return super().get_summary(category)


class ExhibitorSearchView(TemplateView):
    """The exhibitor directory: search by name, products and categories; filter by category,
    certificate, province and expo edition."""

    template_name = "search/exhibitor_list.html"
    per_page = 24

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        notices = []
        raw_q = get.get("q", "")
        q = text.clean_query(raw_q)
        if len(" ".join(raw_q.split())) > text.MAX_QUERY_LENGTH:
            notices.append(
                _("Your search was shortened to its first %(count)s characters.")
                % {"count": text.MAX_QUERY_LENGTH}
            )
        if q and not text.query_terms(q):
            notices.append(_("Your search has no letters or characters to look for; showing everything."))
            q = ""
        category = None
        if get.get("category"):
            category = category_by_slug(get["category"])
            if category is None:
                notices.append(_("Unknown category “%(value)s”: ignored.") % {"value": get["category"][:64]})
        certification = get.get("certification", "").strip().upper()[:32]
        if certification and certification not in CERTIFICATION_CODES:
            notices.append(_("Unknown certificate “%(value)s”: ignored.") % {"value": certification})
            certification = ""
        edition = None
        if get.get("edition"):
            try:
                edition = int(get["edition"])
            except ValueError:
                notices.append(
                    _("“%(value)s” is not a valid number: ignored.") % {"value": get["edition"][:32]}
                )
        province = get.get("province", "").strip()[:64]
        sort = get.get("sort", "")
        sort = sort if sort in ("relevance", "name", "newest") else ("relevance" if q else "name")
        params = {
            "q": q,
            "category": category.slug if category else "",
            "certification": certification,
            "province": province,
            "edition": edition or "",
            "sort": get.get("sort", "") if get.get("sort") == sort else "",
        }
        params = {k: str(v) for k, v in params.items() if v not in ("", None)}
        query = CompanyQuery(
            q=q,
            kind="exhibitor",
            category=category.pk if category else None,
            certification=certification,
            province=province,
            edition=edition,
            sort=sort,
            page=page_number(get.get("page")),
            per_page=self.per_page,
        )
        try:
            found = company_search(query=query)
            unavailable = False
        except SearchUnavailable:
            found, unavailable = None, True
        log_search(
            query=q,
            result_count=found.total if found else 0,
            source="page",
            kind="exhibitor",
            unavailable=unavailable,
        )
        if found is not None:
            decorate_hits(
                found.objects,
                found.highlights,
                title_of=lambda c: c.display_name,
                snippet_of=lambda c: c.display_description,
            )
        categories = category_tree()
        groups = []
        if found is not None and found.facets:
            names = {c.pk: c for c in categories}
            certificates = dict(Certification.choices)
            for name, label, values in (
                (
                    "category",
                    _("Category"),
                    [
                        (names[pk].slug, names[pk].display_name, n)
                        for pk, n in found.facets.get("category", [])
                        if pk in names
                    ],
                ),
                (
                    "certification",
                    _("Certificate"),
                    [(c, certificates.get(c, c), n) for c, n in found.facets.get("certification", [])],
                ),
                ("province", _("Province"), [(p, p, n) for p, n in found.facets.get("province", [])]),
                ("edition", _("Expo edition"), [(e, str(e), n) for e, n in found.facets.get("edition", [])]),
            ):
                items = [
                    {
                        "label": shown,
                        "count": n,
                        "url": url_with(params, **{name: value}),
                        "active": params.get(name) == str(value),
                    }
                    for value, shown, n in values
                ]
                if items:
                    groups.append({"name": name, "label": label, "items": items})
        context.update(
            query=q,
            category=category,
            categories=categories,
            certification=certification,
            province=province,
            edition=edition,
            certifications=Certification.choices,
            provinces=province_choices(),
            editions=edition_choices(),
            sort=sort,
            sorts=[
                (k, label)
                for k, label in (
                    ("relevance", gettext_lazy("Best match")),
                    ("name", gettext_lazy("Name")),
                    ("newest", gettext_lazy("Newest")),
                )
                if k != "relevance" or q
            ],
            found=found,
            exhibitors=found.objects if found else [],
            search_unavailable=unavailable,
            facet_groups=groups,
            notices=notices,
            page_query=urlencode(params),
            active_filters=[
                {"label": label, "url": url_with(params, **{name: ""})}
                for name, label in (
                    ("category", category.display_name if category else ""),
                    ("certification", dict(Certification.choices).get(certification, certification)),
                    ("province", province),
                    ("edition", str(edition) if edition else ""),
                )
                if params.get(name)
            ],
        )
        return context


__all__ = ["CatalogueView", "ExhibitorSearchView", "FacetedSearchView", "ProductCategoryView", "SORTS"]
