"""Sample spreadsheets (copies of ../shared/formats/samples) and ways to re-encode them."""

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
ORDER = [
    ("exhibitors", "exhibitors.csv"),
    ("buyers", "buyers.csv"),
    ("products", "products.csv"),
    ("requests", "sourcing_requests.csv"),
]
ROWS = {"exhibitors": 5, "buyers": 4, "products": 6, "requests": 3}


def sample(name: str) -> Path:
    return SAMPLES / name


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def as_gb18030(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_text(encoding="utf-8").encode("gb18030"))
    return target


def _typed(value: str):
    """What Excel would store: numbers as numbers, the rest as text."""
    if value.isdigit() and not value.startswith("0") and len(value) < 15:
        return int(value)
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value or None
    return float(number) if "." in value and number.is_finite() else value


def as_xlsx(source: Path, target: Path, *, typed: bool = False) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for index, row in enumerate(read_rows(source)):
        sheet.append([_typed(cell) if typed and index else cell for cell in row])
    workbook.save(target)
    return target


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; the site's default language is Chinese."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def samples_in(tmp_path):
    """The four samples in one encoding or format: ``utf8``, ``gb18030`` or ``xlsx``."""

    def make(variant: str) -> list[tuple[str, Path]]:
        files = []
        for kind, name in ORDER:
            source = sample(name)
            if variant == "utf8":
                files.append((kind, source))
            elif variant == "gb18030":
                files.append((kind, as_gb18030(source, tmp_path / f"gbk-{name}")))
            else:
                files.append((kind, as_xlsx(source, tmp_path / f"{name}.xlsx", typed=True)))
        return files

    return make


@pytest.fixture
def imported_samples(db):
    """All four samples imported, in the order the formats need."""
    from exhibitors.imports.engine import import_file

    return {kind: import_file(kind, sample(name)) for kind, name in ORDER}
