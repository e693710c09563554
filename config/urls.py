"""URL map: Chinese at ``/``, English under ``/en/``; admins, API and webhooks unprefixed.

| path                 | what                                        |
|----------------------|---------------------------------------------|
| ``/admin/``          | Wagtail admin (staff)                       |
| ``/dashboard/``      | Oscar dashboard (staff; part of the shop)   |
| ``/catalogue/`` …    | Oscar shop: catalogue, basket, checkout, accounts |
| ``/api/``            | JSON API, schema at ``/api/schema/``        |
| ``/sitemap.xml``     | sitemap of the Wagtail pages                |
| ``/sw.js``           | the service worker (scope: the whole site)  |
| ``/manifest.webmanifest``, ``/offline/`` | web app manifest, offline page (per language) |
| everything else      | Wagtail pages                               |
"""

from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from buyers.urls import public_urlpatterns as buyer_public_urls
from config import api_urls
from exhibitors.urls import public_urlpatterns as exhibitor_public_urls
from expo.sitemaps import TranslatedSitemap
from pwa import views as pwa_views

public_company_urls = exhibitor_public_urls + buyer_public_urls
# An outage of the database, broker or search engine answers 503, not 500 (config/faults.py).
handler500 = "config.faults.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include(api_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("payments/", include("payments.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap}}, name="sitemap"),
    path("sw.js", pwa_views.service_worker, name="service-worker"),
]

urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("manifest.webmanifest", pwa_views.manifest, name="web-manifest"),
    path("offline/", pwa_views.offline, name="offline"),
    path("company/", include("exhibitors.urls")),
    path("", include((public_company_urls, "directory"))),
    path("", include(apps.get_app_config("oscar").urls[0])),
    # Wagtail's catch-all comes last.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
