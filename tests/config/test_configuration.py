"""Configuration from the environment: bad values stop start-up with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV_PREFIXES = ("DJANGO_", "DATABASE_", "STRIPE_", "BANK_TRANSFER_", "EMAIL_", "EXPO_")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIXES)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "value",
    ["not-a-url", "mysqlx://u@h/db", "postgres://u@h:port/db", "postgres://postgres@127.0.0.1:5432/"],
)
def test_malformed_database_url_stops_with_one_line_naming_it(value):
    result = manage("check", DATABASE_URL=value)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_amount_is_named():
    result = manage("check", EXPO_REFUND_APPROVAL_ABOVE="a lot")
    assert result.returncode == 2
    assert "EXPO_REFUND_APPROVAL_ABOVE" in result.stderr and "Traceback" not in result.stderr


def test_bad_boolean_is_named():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode == 2
    assert "DJANGO_DEBUG" in result.stderr and "Traceback" not in result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    example = (ROOT / ".env.example").read_text()
    names = {line.split("=", 1)[0].lstrip("# ").strip() for line in example.splitlines() if "=" in line}
    read = set()
    for path in (ROOT / "config").rglob("*.py"):
        text = path.read_text()
        import re

        read |= set(
            re.findall(r"""(?:env\.\w+|require|database|url|boolean|email)\(\s*["']([A-Z_]+)["']""", text)
        )
    assert read, "no variables found"
    assert read <= names, f"missing from .env.example: {sorted(read - names)}"
