"""``manage.py load_demo [--scale N]``: realistic bilingual demo data, idempotent."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from expo.demo.loader import (
    DEMO_MEMBER_PASSWORD,
    DEMO_MEMBERS,
    DEMO_STAFF_EMAIL,
    DEMO_STAFF_PASSWORD,
    demo_members,
    demo_staff_user,
    load_companies_and_products,
)
from expo.demo.pages import load_pages
from expo.demo.site import load_site


class Command(BaseCommand):
    help = (
        "Load demo pages, exhibitors, products and buyers; --scale N multiplies the companies and products."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="multiply the data set N times (100: 30,000 products)"
        )

    def handle(self, *args, scale: int, **options):
        if scale < 1 or scale > 10_000:
            raise CommandError("--scale must be between 1 and 10000")
        started = time.monotonic()
        quiet = options["verbosity"] == 0

        def progress(items, label, total):
            return tqdm(items, desc=label, total=total, unit="batch", disable=quiet or total <= 1)

        load_pages()
        demo_staff_user()
        summary = load_companies_and_products(scale=scale, progress=progress)
        demo_members()
        load_site()
        from search.indexing import rebuild_or_warn

        search_note = rebuild_or_warn()  # bulk inserts send no signals: index everything
        with connection.cursor() as cursor:
            # Fresh statistics after bulk inserts (the search tables' too), or the planner guesses badly.
            cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        if not quiet:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data ready in {elapsed:.1f} s: created {summary.exhibitors} exhibitors, "
                    f"{summary.products} products, {summary.buyers} buyers."
                )
            )
            self.stdout.write(search_note)
            self.stdout.write(f"Staff login (both admins): {DEMO_STAFF_EMAIL} / {DEMO_STAFF_PASSWORD}")
            for email, (side, _index) in DEMO_MEMBERS.items():
                self.stdout.write(f"Demo {side} login: {email} / {DEMO_MEMBER_PASSWORD}")
