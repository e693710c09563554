"""The mobile commerce API: ``/api/v1/``, with tokens for apps (see ``mobile.urls``)."""

from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "mobile"
    verbose_name = "Mobile API"
