"""``GET /api/products/`` and ``GET /api/exhibitors/``: search with facet counts (CONTRACTS.md).

Every parameter is checked before the engine is asked: an unknown category, certificate or
storage, a malformed number, a query over 200 characters or a page past the end answer a
4xx ``{"error", "detail"}`` naming the parameter; an engine that is down answers 503
``{"error": "search_unavailable"}``. Query syntax and special characters are only ever
text to look for.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils import timezone, translation
from drf_spectacular.utils import extend_schema
from oscar.core.loading import get_model
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.claims import claimed_codes
from catalogue.models import Storage
from config.api import reader_language
from config.faults import RETRY_AFTER_SECONDS
from stats.services import log_search

from . import text
from .api_schema import EXHIBITOR_HIT, PRODUCT_HIT, ExhibitorParams, ProductParams, search_responses
from .backends import PRICE_RANGES_BY_KEY, CompanyQuery, ProductQuery, SearchUnavailable
from .selectors import SearchPage, company_search, literal_words, product_search

Category = get_model("catalogue", "Category")


def _page_url(request, page: int | None) -> str | None:
    if page is None:
        return None
    params = request.query_params.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(request.path + "?" + urlencode(params, doseq=True))


def _envelope(request, found: SearchPage, facets: dict, results: list[dict], terms: list[str]) -> dict:
    return {
        "count": found.total,
        "next": _page_url(request, found.page + 1 if found.has_next else None),
        "previous": _page_url(request, min(found.page - 1, found.pages) if found.has_previous else None),
        "facets": facets,
        "results": results,
        "terms": terms,
        "backend": found.results.backend if found.results else "",
        "understood": found.results.understood.chips if found.results and found.results.understood else [],
        "did_you_mean": found.results.did_you_mean if found.results else "",
    }


def _check_page(found: SearchPage) -> None:
    if found.page > 1 and found.page > found.pages:
        raise NotFound(
            f"Invalid page {found.page}: there are {found.pages} page(s) of {found.total} result(s)."
        )


def _unavailable(exc: SearchUnavailable) -> Response:
    return Response(
        {"error": "search_unavailable", "detail": "Search is unavailable right now; please try again later."},
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _category_facet(facets: dict) -> list[dict]:
    ids = [pk for pk, _n in facets.get("category", [])]
    names = {c.pk: c for c in Category.objects.filter(pk__in=ids)}
    return [
        {"value": names[pk].slug, "label": names[pk].display_name, "count": n}
        for pk, n in facets.get("category", [])
        if pk in names
    ]


def _certificate_facet(facets: dict) -> list[dict]:
    from exhibitors.codes import Certification

    labels = dict(Certification.choices)
    return [
        {"value": code, "label": str(labels.get(code, code)), "count": n}
        for code, n in facets.get("certification", [])
    ]


def _plain_facet(values) -> list[dict]:
    return [{"value": value, "label": str(value), "count": n} for value, n in values]


def _highlight(found: SearchPage, pk: int, english: bool) -> dict:
    marks = found.highlights.get(pk) or {}
    first, second = ("en", "zh") if english else ("zh", "en")
    title = marks.get(f"title_{first}") or marks.get(f"title_{second}") or ""
    snippet = marks.get(f"snippet_{first}") or marks.get(f"snippet_{second}") or ""
    return {"title": title if "<mark>" in title else "", "snippet": snippet if "<mark>" in snippet else ""}


class ProductSearchView(APIView):
    """Full-text product search (Chinese and English) with facet counts.

    Facets count within the current results: category (children of the chosen one),
    certification (valid today, covering the product), storage, province, price range
    (CNY) and minimum order ("at most").
    """

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[ProductParams],
        responses=search_responses("ProductSearch", PRODUCT_HIT, more=True),
    )
    def get(self, request):
        params = ProductParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        q = text.clean_query(data.get("q", ""))
        terms = text.query_terms(q)
        sort = data.get("sort") or ("relevance" if terms else "newest")
        category = data.get("category")
        query = ProductQuery(
            q=q,
            category=category.pk if category else None,
            certification=data.get("certification", ""),
            storage=data.get("storage", ""),
            province=data.get("province", "").strip(),
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            max_moq=data.get("max_moq"),
            sort=sort,
            page=data["page"],
            per_page=data["page_size"],
            literal=literal_words(data.get("literal", "")),
        )
        language = reader_language(request)
        with translation.override(language):
            try:
                found = product_search(query=query, clamp=False, details=True)
            except SearchUnavailable as exc:
                return _unavailable(exc)
            _check_page(found)
            log_search(query=q, result_count=found.total, source="api")
            english = language.startswith("en")
            results = [self.hit(request, product, found, english) for product in found.objects]
            facets = found.facets
            storages = dict(Storage.choices)
            body = _envelope(
                request,
                found,
                {
                    "category": _category_facet(facets),
                    "certification": _certificate_facet(facets),
                    "storage": [
                        {"value": code, "label": str(storages.get(code, code)), "count": n}
                        for code, n in facets.get("storage", [])
                    ],
                    "province": _plain_facet(facets.get("province", [])),
                    "price": [
                        {
                            "value": key,
                            "label": key,
                            "min": str(PRICE_RANGES_BY_KEY[key][0]),
                            "max": str(PRICE_RANGES_BY_KEY[key][1]) if PRICE_RANGES_BY_KEY[key][1] else None,
                            "count": n,
                        }
                        for key, n in facets.get("price", [])
                    ],
                    "moq": [
                        {"value": step, "label": f"<= {step}", "count": n}
                        for step, n in facets.get("moq", [])
                    ],
                },
                results,
                terms,
            )
            body["more"] = [self.hit(request, product, found, english) for product in found.more]
        return Response(body)

    @staticmethod
    def hit(request, product, found: SearchPage, english: bool) -> dict:
        from expo.selectors import prices_visible

        stockrecord = product.stockrecords.all()[0] if product.stockrecords.all() else None
        exhibitor = getattr(getattr(stockrecord, "partner", None), "exhibitor", None)
        certificates = claimed_codes(
            product, exhibitor.certificates.all() if exhibitor else [], day=timezone.localdate()
        )
        visible = prices_visible(request, exhibitor)
        categories = product.categories.all()
        sku = stockrecord.partner_sku if stockrecord else ""
        key = f"{exhibitor.key}/{sku}" if exhibitor and sku else (product.upc or str(product.pk))
        return {
            "id": product.pk,  # the product's id in /api/v1/ (detail, basket)
            "key": key,
            "sku": sku,
            "exhibitor_key": exhibitor.key if exhibitor else "",
            "exhibitor": exhibitor.display_name if exhibitor else "",
            "title": product.display_title,
            "title_zh": product.title,
            "title_en": product.title_en,
            "url": request.build_absolute_uri(product.get_absolute_url()),
            "category": categories[0].slug if categories else None,
            "price": str(stockrecord.price)
            if stockrecord and visible and stockrecord.price is not None
            else None,
            "currency": stockrecord.price_currency if stockrecord else "",
            "unit": product.unit,
            "moq": product.moq,
            "storage": product.storage,
            "certifications": certificates,
            "highlight": _highlight(found, product.pk, english),
        }


class ExhibitorSearchView(APIView):
    """The exhibitor directory: verified exhibitors by name, products and categories, with
    facet counts for category, certification (valid today), province and expo edition."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[ExhibitorParams],
        responses=search_responses("ExhibitorSearch", EXHIBITOR_HIT),
    )
    def get(self, request):
        from django.urls import reverse

        params = ExhibitorParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        q = text.clean_query(data.get("q", ""))
        terms = text.query_terms(q)
        category = data.get("category")
        query = CompanyQuery(
            q=q,
            kind="exhibitor",
            category=category.pk if category else None,
            certification=data.get("certification", ""),
            province=data.get("province", "").strip(),
            edition=data.get("edition"),
            sort=data.get("sort") or ("relevance" if terms else "name"),
            page=data["page"],
            per_page=data["page_size"],
            literal=literal_words(data.get("literal", "")),
        )
        language = reader_language(request)
        with translation.override(language):
            try:
                found = company_search(query=query, clamp=False)
            except SearchUnavailable as exc:
                return _unavailable(exc)
            _check_page(found)
            log_search(query=q, result_count=found.total, source="api", kind="exhibitor")
            english = language.startswith("en")
            results = []
            for company in found.objects:
                url = reverse("directory:exhibitor-detail", kwargs={"key": company.key})
                results.append(
                    {
                        "key": company.key,
                        "name": company.display_name,
                        "name_zh": company.name_zh,
                        "name_en": company.name_en,
                        "url": request.build_absolute_uri(url),
                        "country": company.country,
                        "province": company.province,
                        "city": company.city,
                        "categories": [c.slug for c in company.categories.all()],
                        "certifications": sorted(
                            c.code for c in company.certificates.all() if c.is_valid_on()
                        ),
                        "editions": sorted(
                            {p.edition for p in company.participations.all() if not p.withdrawn}, reverse=True
                        ),
                        "highlight": _highlight(found, company.pk, english),
                    }
                )
            facets = found.facets
            body = _envelope(
                request,
                found,
                {
                    "category": _category_facet(facets),
                    "certification": _certificate_facet(facets),
                    "province": _plain_facet(facets.get("province", [])),
                    "edition": _plain_facet(facets.get("edition", [])),
                },
                results,
                terms,
            )
        return Response(body)


__all__ = ["ExhibitorSearchView", "ProductSearchView"]
