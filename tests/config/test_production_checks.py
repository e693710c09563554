"""Production refuses demo and missing values: each one is a system check error naming it."""

import os
import subprocess
import sys

import pytest

from .test_configuration import ENV_PREFIXES, ROOT, manage

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "expo.luohe-foodexpo.cn",
    "DATABASE_URL": "sqlite:////tmp/foodexpo-check.sqlite3",
    "STRIPE_SECRET_KEY": "sk_live_0123456789",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_0123456789",
    "STRIPE_WEBHOOK_SECRET": "whsec_0123456789",
    "BANK_TRANSFER_BENEFICIARY": "漯河食品博览会有限公司",
    "BANK_TRANSFER_BANK": "中国银行漯河分行",
    "BANK_TRANSFER_ACCOUNT_NUMBER": "2468 1357 0000 1111",
    "EMAIL_URL": "smtp://mailer:secret@smtp.luohe-foodexpo.cn:587/?tls=True",
    "DJANGO_DEFAULT_FROM_EMAIL": "service@luohe-foodexpo.cn",
}


def test_production_with_every_setting_passes_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_with_an_empty_environment_fails_check_deploy_naming_every_setting():
    result = manage(
        "check",
        "--deploy",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=PRODUCTION_ENV["DATABASE_URL"],
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for variable in (
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "BANK_TRANSFER_BENEFICIARY",
        "BANK_TRANSFER_BANK",
        "BANK_TRANSFER_ACCOUNT_NUMBER",
        "EMAIL_URL",
        "DJANGO_DEFAULT_FROM_EMAIL",
    ):
        assert variable in result.stderr, variable


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "BANK_TRANSFER_ACCOUNT_NUMBER",
        "EMAIL_URL",
        "DJANGO_DEFAULT_FROM_EMAIL",
    ],
)
def test_one_missing_setting_is_one_error_naming_it(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "SystemCheckError" in result.stderr and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("?: (expo.E")]
    assert len(errors) == 1, result.stderr
    assert missing in result.stderr


def test_the_example_sender_address_is_refused():
    result = manage("check", **{**PRODUCTION_ENV, "DJANGO_DEFAULT_FROM_EMAIL": "noreply@foodexpo.example"})
    assert result.returncode == 1
    assert "DJANGO_DEFAULT_FROM_EMAIL" in result.stderr


def test_the_wsgi_server_refuses_to_start_without_the_settings():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIXES)}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": PRODUCTION_ENV["DATABASE_URL"],
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "STRIPE_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr
    served = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode == 0, served.stderr


def test_the_demo_account_exists_only_in_demo_settings(settings):
    from config.settings import base

    assert not base.BANK_TRANSFER_ACCOUNT.get("demo")
    assert "demo_values" not in (ROOT / "config" / "settings" / "production.py").read_text()
    assert settings.BANK_TRANSFER_ACCOUNT.get("demo") is True
