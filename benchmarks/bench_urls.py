"""The project's URLs plus Oscar's stock catalogue view (haystack, simple engine) at
``/oscar-catalogue/``, for comparison only."""

from django.urls import path
from oscar.apps.search.views.catalogue import CatalogueView as OscarCatalogueView

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("oscar-catalogue/", OscarCatalogueView.as_view(), name="oscar-catalogue"),
    *project_urlpatterns,
]
