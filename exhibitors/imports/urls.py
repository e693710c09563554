"""Staff import/export pages; mounted under the Wagtail admin at ``/admin/resources/``."""

from django.urls import path

from . import views

app_name = "resource_imports"

urlpatterns = [
    path("", views.ResourceImportView.as_view(), name="import"),
    path("export/<slug:kind>/<slug:fmt>/", views.ResourceExportView.as_view(), name="export"),
    path("<slug:token>/", views.ResourceImportPreviewView.as_view(), name="preview"),
    path("<slug:token>/result/", views.ResourceImportResultView.as_view(), name="result"),
    path("<slug:token>/cancel/", views.ResourceImportCancelView.as_view(), name="cancel"),
]
