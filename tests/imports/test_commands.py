"""``import_resources``/``export_resources``: exit status, report lines, summary last (CONTRACTS.md)."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from exhibitors.models import Exhibitor

from .conftest import ORDER, ROWS, read_rows, sample, write_csv

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]


def run(*args) -> tuple[int, list[str]]:
    """The command as ``manage.py`` would end it: exit status and output lines."""
    out = StringIO()
    try:
        call_command(*args, stdout=out, stderr=StringIO())
        status = 0
    except SystemExit as exc:
        status = exc.code
    except CommandError as exc:
        status = exc.returncode
        out.write(f"CommandError: {exc}\n")
    return status, out.getvalue().splitlines()


def test_samples_import_in_order_with_the_summary_last():
    for kind, name in ORDER:
        status, lines = run("import_resources", kind, str(sample(name)))
        assert status == 0
        assert lines[-1] == f"created {ROWS[kind]}, updated 0, unchanged 0, rejected 0"
    status, lines = run("import_resources", "exhibitors", str(sample("exhibitors.csv")))
    assert (status, lines[-1]) == (0, "created 0, updated 0, unchanged 5, rejected 0")


def test_rejected_rows_exit_1_and_are_named_by_row_column_and_reason(tmp_path):
    rows = read_rows(sample("exhibitors.csv"))
    rows[2][0] = "bad/key"
    rows[4][6] = "no-such-slug"
    status, lines = run("import_resources", "exhibitors", str(write_csv(tmp_path / "e.csv", rows)))
    assert status == 1
    assert lines[-1] == "created 3, updated 0, unchanged 0, rejected 2"
    assert "rejected: row 3, column key, value 'bad/key': 'bad/key' is not a valid key" in "\n".join(lines)
    assert (
        "rejected: row 5, column categories, value 'no-such-slug': Unknown category slug 'no-such-slug'."
    ) in lines


def test_the_summary_stays_english_whatever_the_language(tmp_path, settings):
    from django.utils import translation

    rows = read_rows(sample("exhibitors.csv"))
    rows[1][0] = "bad key"
    with translation.override("zh-hans"):
        status, lines = run("import_resources", "exhibitors", str(write_csv(tmp_path / "e.csv", rows)))
    assert status == 1
    assert lines[-1] == "created 4, updated 0, unchanged 0, rejected 1"
    assert lines[0].startswith("rejected: row 2, column key, value 'bad key': 'bad key' is not a valid key")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stock", "exhibitors.csv"], "Unknown kind 'stock'"),
        (["exhibitors", "missing.csv"], "File not found"),
        (["products", "exhibitors.csv"], "Missing required column: exhibitor_key, sku, category, price"),
    ],
)
def test_bad_usage_exits_2(args, message):
    kind, name = args
    status, lines = run("import_resources", kind, str(sample(name)))
    assert status == 2
    assert message in lines[-1]


def test_wrong_encoding_and_oversized_files_exit_2(tmp_path):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(sample("buyers.csv").read_text(encoding="utf-8").encode("utf-16"))
    status, lines = run("import_resources", "buyers", str(utf16))
    assert status == 2 and "neither UTF-8 nor GB18030/GBK" in lines[-1]
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024 + 1)
    status, lines = run("import_resources", "buyers", str(huge))
    assert status == 2 and "too large" in lines[-1]


def test_atomic_option_writes_nothing_when_a_row_is_bad(tmp_path):
    rows = read_rows(sample("exhibitors.csv"))
    rows[5][0] = ""
    status, lines = run(
        "import_resources", "exhibitors", str(write_csv(tmp_path / "e.csv", rows)), "--atomic"
    )
    assert status == 1
    assert lines[-2].startswith("--atomic: 1 rejected row(s), so nothing was written")
    assert lines[-1] == "created 0, updated 0, unchanged 0, rejected 1"
    assert not Exhibitor.objects.exists()


def test_dry_run_option_writes_nothing():
    status, lines = run("import_resources", "exhibitors", str(sample("exhibitors.csv")), "--dry-run")
    assert (status, lines[-1]) == (0, "created 5, updated 0, unchanged 0, rejected 0")
    assert not Exhibitor.objects.exists()


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_command_writes_a_file_that_reimports_unchanged(tmp_path, suffix):
    for kind, name in ORDER:
        run("import_resources", kind, str(sample(name)))
    for kind, _name in ORDER:
        target = tmp_path / f"{kind}.{suffix}"
        status, lines = run("export_resources", kind, str(target))
        assert status == 0 and lines == [f"exported {ROWS[kind]} {kind} to {target}"]
        status, lines = run("import_resources", kind, str(target))
        assert (status, lines[-1]) == (0, f"created 0, updated 0, unchanged {ROWS[kind]}, rejected 0")


def test_export_command_refuses_unknown_suffix_and_kind(tmp_path):
    assert run("export_resources", "buyers", str(tmp_path / "b.ods"))[0] == 2
    assert run("export_resources", "sellers", str(tmp_path / "b.csv"))[0] == 2
    assert run("export_resources", "buyers", str(tmp_path / "no" / "such" / "b.csv"))[0] == 2


def test_manage_py_exits_2_on_bad_usage(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    for args, expected in [
        (["import_resources", "stock", str(sample("buyers.csv"))], "Unknown kind 'stock'"),
        (["import_resources", "buyers", str(tmp_path / "none.csv")], "File not found"),
    ]:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2, done.stderr
        assert expected in done.stderr.strip().splitlines()[-1]
