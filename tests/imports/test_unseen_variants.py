"""Every form the formats allow imports to the same records as the plain sample.

The variants are generated from the samples (``variants.py``): expiry on every code,
codes in any case and width, full-width separators, padded values, other date forms,
BOM-UTF-8, GBK, GB18030, XLSX, optional columns left out, columns shuffled, header case.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from exhibitors.imports.engine import import_file

from .conftest import ROWS
from .variants import VARIANTS, dump, files

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def _import_all(paths) -> dict:
    reports = {kind: import_file(kind, path) for kind, path in paths}
    return reports


def _reference(variant: str, directory, today) -> dict:
    """What the plain form of ``variant`` stores, found inside a transaction that is rolled back."""
    stored = {}
    try:
        with transaction.atomic():
            reports = _import_all(files(variant, directory, today=today, reference=True))
            for kind, report in reports.items():
                assert (report.created, report.rejected) == (ROWS[kind], 0), (kind, report.errors)
            stored.update(dump())
            raise Rollback
    except Rollback:
        pass
    return stored


@pytest.mark.parametrize("variant", [v[0] for v in VARIANTS])
def test_a_variant_imports_the_same_records_as_the_plain_sample(variant, tmp_path):
    today = timezone.localdate()
    expected = _reference(variant, tmp_path / "reference", today)
    reports = _import_all(files(variant, tmp_path / "variant", today=today))
    for kind, report in reports.items():
        # The figures for the record: rows imported and rejected per variant file.
        print(
            f"variant {variant} {kind}: "
            f"imported {report.created + report.updated}, rejected {report.rejected}"
        )
        assert report.errors == [], (kind, [str(e) for e in report.errors])
        assert (report.created, report.rejected) == (ROWS[kind], 0), kind
    got = dump()
    for kind in expected:
        assert got[kind] == expected[kind], kind
    again = _import_all(files(variant, tmp_path / "variant", today=today))
    for kind, report in again.items():
        assert report.summary == f"created 0, updated 0, unchanged {ROWS[kind]}, rejected 0", kind


def test_the_expiry_variant_differs_from_the_plain_sample(tmp_path):
    """The comparison can fail: expiry dates do reach the stored certificates and claims."""
    today = timezone.localdate()
    plain = _reference("plain", tmp_path / "plain", today)
    dated = _reference("expiry-on-every-code", tmp_path / "dated", today)
    assert plain["products"] != dated["products"]
    assert plain["exhibitors"] != dated["exhibitors"]
    assert all(until is not None for row in dated["products"] for _code, until in row[-1])
