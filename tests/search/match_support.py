"""The staff sample files (tests/data/samples, copied from the formats) imported the way staff
import them, for matchmaking tests; certificates judged on a fixed day."""

import json
from datetime import date
from io import StringIO

from django.core.management import call_command

# Every sample certificate is valid on this day (the earliest expires on 2026-12-31).
AS_OF = date(2026, 12, 1)

HALAL_IMPORTER = "KZ-BIN-990011223344"
WUHAN_CHAIN = "91420100MA44Y0001A"
SHENZHEN_SHOP = "91440300MA44Y0003C"
ZHENGZHOU_CATERING = "91410100MA44Y0004D"
MEAT = "91411100MA44X0001A"
LATIAO = "91411100MA44X0002B"
FLOUR = "91410100MA44X0003C"
ALMATY_DAIRY = "KZ-BIN-120340056789"
FROZEN = "91411100MA44X0005E"


def import_samples() -> None:
    """The four sample files imported with ``manage.py import_resources``. Certificates count
    by their dates on ``AS_OF`` (the import judged them on the real today)."""
    from benchmarks.relevance_match import import_samples as import_sample_files
    from exhibitors.models import Certificate, CertificateStatus

    import_sample_files()
    Certificate.objects.update(status=CertificateStatus.VALID)


def match_json(kind: str, key: str, *args: str) -> dict:
    out = StringIO()
    call_command("match", kind, key, "--json", "--as-of", AS_OF.isoformat(), *args, stdout=out)
    return json.loads(out.getvalue())


def keys(answer: dict, kind: str | None = None) -> list[str]:
    return [r["key"] for r in answer["results"] if kind is None or r["kind"] == kind]
