"""Browsing and search views replacing Oscar's haystack-based ones (same names and URLs)."""

from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from catalogue.models import Storage
from exhibitors.codes import Certification

from .selectors import SORTS, Category, ProductFilters, category_tree, product_browse, province_choices


class ProductListView(ListView):
    """A page of products with the category tree beside it."""

    template_name = "search/product_list.html"
    context_object_name = "products"
    paginate_by = 24
    category = None

    def get_queryset(self):
        self.filters = ProductFilters.from_query(self.request.GET)
        return product_browse(filters=self.filters, category=self.category)

    def paginate_queryset(self, queryset, page_size):
        # A page number past the end shows the last page instead of an error.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            category=self.category,
            categories=category_tree(),
            filters=self.filters,
            query=self.filters.q,
            sort=self.filters.sort,
            sorts=[
                ("newest", _("Newest")),
                ("price", _("Price: low to high")),
                ("-price", _("Price: high to low")),
                ("title", _("Name")),
            ],
            storages=Storage.choices,
            certifications=Certification.choices,
            provinces=province_choices(),
            page_query=urlencode(self.filters.as_query()),
            summary=self.get_summary(),
        )
        return context

    def get_summary(self):
        return _("All products")


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

    def get_summary(self):
        return self.category.display_name


class FacetedSearchView(ProductListView):
    """Product search; pages (news, events, editions) matching the words are listed beside."""

    def get_context_data(self, **kwargs):
        from wagtail.models import Locale

        from expo.selectors import page_search

        context = super().get_context_data(**kwargs)
        context["pages"] = page_search(query=context["query"], locale=Locale.get_active(), limit=8)
        return context

    def get_summary(self):
        query = self.request.GET.get("q", "").strip()
        return _("Products matching “%(q)s”") % {"q": query} if query else _("All products")


__all__ = ["CatalogueView", "FacetedSearchView", "ProductCategoryView", "SORTS"]
