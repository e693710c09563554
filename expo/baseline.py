"""The records every database must hold: locales, the page tree's root, the home page,
the default site, the category taxonomy, the shipping country and the Celery beat schedules.

Migrations create them. A test that flushes the database (browser tests against a live
server) removes them; :func:`ensure_baseline` puts them back, changing nothing that exists.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import transaction
from wagtail.models import Locale, Page, Site


@transaction.atomic
def ensure_baseline() -> None:
    zh, _ = Locale.objects.get_or_create(language_code="zh-hans")
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=zh, live=True))
    HomePage = apps.get_model("expo", "HomePage")
    home = HomePage.objects.filter(locale=zh).first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="中国（漯河）食品博览会", slug="home", locale=zh, headline="永不落幕的食博会", live=True
            )
        )
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    # Data migrations whose functions are idempotent: the taxonomy and the beat schedules.
    importlib.import_module("catalogue.migrations.0034_category_taxonomy").create_taxonomy(apps, None)
    importlib.import_module("exhibitors.migrations.0003_certificate_schedule").schedule(apps, None)
    importlib.import_module("payments.migrations.0002_reconcile_schedule").schedule(apps, None)
    importlib.import_module("buyers.migrations.0004_match_digest_schedule").schedule(apps, None)
    importlib.import_module("search.migrations.0003_index_schedule").schedule(apps, None)
    importlib.import_module("negotiation.migrations.0002_periodic_schedule").schedule(apps, None)
    importlib.import_module("stats.migrations.0002_schedule").schedule(apps, None)
    importlib.import_module("shipping.migrations.0004_shipping_country").add_china(apps, None)
    from .roles import schedule_deferred_tasks, schedule_publishing, setup_roles

    setup_roles(apps)
    schedule_publishing(apps)
    schedule_deferred_tasks(apps)
