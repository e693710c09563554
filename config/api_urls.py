"""The JSON API under ``/api/``, documented by its OpenAPI schema."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from catalogue.api import CategoryListView
from config.api import ApiNotFoundView, ApiRootView
from search.api import ExhibitorSearchView, ProductSearchView
from search.api_match import MatchView

urlpatterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-docs",
    ),
    path("categories/", CategoryListView.as_view(), name="api-categories"),
    path("match/<str:kind>/<path:key>/", MatchView.as_view(), name="api-match"),
    path("products/", ProductSearchView.as_view(), name="api-products"),
    path("exhibitors/", ExhibitorSearchView.as_view(), name="api-exhibitors"),
    path("v1/", include("mobile.urls")),
    # Last: what no endpoint above takes. Only addresses ending in "/", so that Django still
    # redirects "/api/products" to "/api/products/".
    re_path(r"^[\s\S]*/$", ApiNotFoundView.as_view(), name="api-not-found"),
]
