"""Oscar's shop, mounted beside Wagtail."""

from django.urls import path
from oscar.config import Shop


class ExpoShopConfig(Shop):
    """Oscar's URL tree with its home redirect replaced by the Wagtail home page.

    Oscar answers ``/`` with a redirect to its catalogue; here ``/`` belongs to the
    expo's Wagtail home page, while Oscar's other views (``/catalogue/``,
    ``/basket/``, ``/dashboard/`` …) keep their places.
    """

    def ready(self):
        super().ready()
        from config import checks  # noqa: F401 - registers the production checks

    def get_urls(self):
        from wagtail import views as wagtail_views

        urls = [pattern for pattern in super().get_urls() if getattr(pattern, "name", None) != "home"]
        return [path("", wagtail_views.serve, {"path": ""}, name="home"), *urls]
