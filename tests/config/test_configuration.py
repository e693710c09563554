"""Configuration from the environment: bad values stop start-up with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "expo.example.com",
    "DATABASE_URL": "sqlite:////tmp/foodexpo-check.sqlite3",
    "STRIPE_SECRET_KEY": "sk_live_example",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_example",
    "STRIPE_WEBHOOK_SECRET": "whsec_example",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "STRIPE_"))}
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


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "STRIPE_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_secret(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert missing in lines[0]


def test_bad_boolean_is_named():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode == 2
    assert "DJANGO_DEBUG" in result.stderr and "Traceback" not in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


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
