"""``manage.py import_resources KIND FILE``: load a staff spreadsheet (see ../shared/formats).

Exit status: 0 all rows imported, 1 some rows rejected, 2 bad usage. The last line printed
is the summary ``created N, updated N, unchanged N, rejected N``.
"""

import sys

from django.core.management.base import BaseCommand, CommandError, no_translations

from exhibitors.imports.engine import import_file
from exhibitors.imports.kinds import KINDS
from exhibitors.imports.reader import ImportFileError


class Command(BaseCommand):
    help = "Import exhibitors, products, buyers or sourcing requests from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"one of: {', '.join(KINDS)}")
        parser.add_argument("file", help="a .csv (UTF-8 or GB18030/GBK) or .xlsx file")
        parser.add_argument(
            "--atomic", action="store_true", help="all or nothing: one rejected row and nothing is written"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and report, but write nothing"
        )

    @no_translations
    def handle(self, *args, kind, file, atomic, dry_run, verbosity, **options):
        if kind not in KINDS:
            raise CommandError(f"Unknown kind '{kind}'; use one of: {', '.join(KINDS)}.", returncode=2)
        bar = self._progress_bar(verbosity)
        try:
            report = import_file(kind, file, atomic=atomic, dry_run=dry_run, progress=bar.update_to)
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        finally:
            bar.close()
        if report.headline:
            self.stdout.write(report.headline)
        for warning in report.warnings if verbosity >= 1 else []:
            self.stdout.write(f"warning: {warning}")
        for error in report.errors:
            self.stdout.write(f"rejected: {error}")
        if report.rolled_back:
            would = report.not_written
            self.stdout.write(
                f"--atomic: {report.rejected} rejected row(s), so nothing was written "
                f"(would have created {would['created']}, updated {would['updated']}, "
                f"left {would['unchanged']} unchanged)."
            )
        elif dry_run and verbosity >= 1:
            self.stdout.write("--dry-run: nothing was written.")
        self.stdout.write(report.summary)
        self.stdout.flush()
        if report.rejected:
            # Not a CommandError: that would print after the summary, which must stay last.
            sys.exit(1)

    def _progress_bar(self, verbosity: int):
        from tqdm import tqdm

        stream = getattr(self.stderr, "_out", sys.stderr)
        disable = verbosity == 0 or not (hasattr(stream, "isatty") and stream.isatty())
        bar = tqdm(total=None, unit="rows", file=stream, disable=disable, leave=False)

        def update_to(done: int, total: int | None) -> None:
            if total is not None and total != bar.total:
                bar.total = max(total, done)
            bar.update(done - bar.n)

        bar.update_to = update_to
        return bar
