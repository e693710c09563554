"""``manage.py reindex [--backend NAME] [--kind KIND ...] [--if-empty]``: rebuild the search indexes.

``--if-empty`` rebuilds only when the indexes hold no document yet (a first start: the compose
file's web service runs it before serving); otherwise it says so and leaves the index alone.

Rebuilds from the database, with a progress bar per kind. Readers keep using the old
index until the new one is complete (Elasticsearch: a new index version behind the alias;
database: one transaction). Exit status 0 when done, 1 when the engine is unavailable,
2 on bad usage.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from search.backends import BACKEND_NAMES, SearchUnavailable, get_backend
from search.documents import KINDS
from search.indexing import drain, rebuild


class Command(BaseCommand):
    help = "Rebuild the search indexes (products, exhibitors, buyers, sourcing requests) from the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            choices=BACKEND_NAMES,
            help="which backend to rebuild (default: the one the settings choose)",
        )
        parser.add_argument(
            "--kind", action="append", choices=KINDS, help="rebuild only this kind (repeatable)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="rebuild only when the indexes hold no document yet (a first start)",
        )

    def handle(self, *args, backend=None, kind=None, if_empty=False, verbosity=1, **options):
        from tqdm import tqdm

        try:
            engine = get_backend(backend)
            if if_empty and any(engine.indexed_ids(name) for name in kind or KINDS):
                self.stdout.write(f"Search index already built ({engine.name}): nothing to do.")
                return
        except SearchUnavailable as exc:
            raise CommandError(f"Search backend unavailable: {exc}", returncode=1) from exc
        stream = getattr(self.stderr, "_out", sys.stderr)
        bars = []

        def progress(name, total):
            bar = tqdm(
                total=total,
                desc=name,
                unit="docs",
                file=stream,
                disable=verbosity == 0 or not getattr(stream, "isatty", lambda: False)(),
            )
            bars.append(bar)
            return bar.update

        try:
            report = rebuild(backend=engine, kinds=kind or KINDS, progress=progress)
            if backend is None or backend == get_backend().name:
                drain(backend=engine)  # what changed while rebuilding
        except SearchUnavailable as exc:
            raise CommandError(f"Search backend unavailable: {exc}", returncode=1) from exc
        finally:
            for bar in bars:
                bar.close()
        if verbosity:
            for name, figures in report.items():
                self.stdout.write(f"{name}: {figures['documents']} documents in {figures['seconds']} s")
            self.stdout.write(f"Search index rebuilt ({engine.name}).")
