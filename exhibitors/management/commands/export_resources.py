"""``manage.py export_resources KIND FILE``: write every record in the import format.

The format follows the suffix (.csv, UTF-8 with BOM, or .xlsx); importing the file again
changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from exhibitors.imports.engine import export_file, export_format
from exhibitors.imports.kinds import KINDS
from exhibitors.imports.reader import ImportFileError


class Command(BaseCommand):
    help = "Export exhibitors, products, buyers or sourcing requests to a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"one of: {', '.join(KINDS)}")
        parser.add_argument("file", help="the file to write: .csv or .xlsx")

    @no_translations
    def handle(self, *args, kind, file, verbosity, **options):
        if kind not in KINDS:
            raise CommandError(f"Unknown kind '{kind}'; use one of: {', '.join(KINDS)}.", returncode=2)
        try:
            export_format(file)
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if not Path(file).resolve().parent.is_dir():
            raise CommandError(f"No such folder: {Path(file).parent}", returncode=2)
        try:
            count = export_file(kind, file)
        except OSError as exc:
            raise CommandError(f"Cannot write {file}: {exc.strerror}", returncode=2) from exc
        if verbosity >= 1:
            self.stdout.write(f"exported {count} {kind} to {file}")
