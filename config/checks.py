"""System checks that keep demo and missing values out of production.

``config.settings.production`` sets ``EXPO_PRODUCTION``; then every value real money and
real mail depend on must be set. Each error names the environment variable to set, so
``manage.py check`` (and ``migrate``, ``runserver``) and the WSGI/ASGI entry points
(:func:`refuse_to_start_on_errors`) stop with a line an operator can act on.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

TAG = "expo_production"

# Settings value → the environment variable that fills it (.env.example lists them).
REQUIRED_VALUES = {
    "SECRET_KEY": "DJANGO_SECRET_KEY",
    "ALLOWED_HOSTS": "DJANGO_ALLOWED_HOSTS",
    "STRIPE_SECRET_KEY": "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY": "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_WEBHOOK_SECRET": "STRIPE_WEBHOOK_SECRET",
}
BANK_FIELDS = {
    "beneficiary": "BANK_TRANSFER_BENEFICIARY",
    "bank": "BANK_TRANSFER_BANK",
    "account_number": "BANK_TRANSFER_ACCOUNT_NUMBER",
}
NON_DELIVERING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
EXAMPLE_DOMAINS = (".example", "example.com", "example.org", "localhost")


def _value(name: str):
    from config.env import UNSET_SECRET_KEY

    try:
        value = getattr(settings, name, None)
    except ImproperlyConfigured:  # Django refuses to hand out an empty SECRET_KEY
        return None
    return None if value == UNSET_SECRET_KEY else value


def _missing(setting: str, variable: str, what: str, number: int) -> checks.Error:
    return checks.Error(
        f"{setting} is not set: production needs {what}.",
        hint=f"Set the environment variable {variable} (see .env.example).",
        id=f"expo.E{number:03d}",
    )


@checks.register(TAG, checks.Tags.security)
def production_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not getattr(settings, "EXPO_PRODUCTION", False):
        return []
    errors: list[checks.CheckMessage] = []
    for number, (setting, variable) in enumerate(REQUIRED_VALUES.items(), start=1):
        value = _value(setting)
        if isinstance(value, str):
            value = value.strip()
        if not value:
            errors.append(_missing(setting, variable, "a real value", number))

    account = getattr(settings, "BANK_TRANSFER_ACCOUNT", None) or {}
    if account.get("demo"):
        errors.append(
            checks.Error(
                "BANK_TRANSFER_ACCOUNT is the demo account: buyers would transfer money to it.",
                hint="Set BANK_TRANSFER_BENEFICIARY, BANK_TRANSFER_BANK and BANK_TRANSFER_ACCOUNT_NUMBER.",
                id="expo.E010",
            )
        )
    else:
        for offset, (field, variable) in enumerate(BANK_FIELDS.items()):
            if not str(account.get(field) or "").strip():
                errors.append(
                    _missing(
                        f"BANK_TRANSFER_ACCOUNT[{field!r}]",
                        variable,
                        "the account buyers pay to",
                        11 + offset,
                    )
                )

    if settings.EMAIL_BACKEND in NON_DELIVERING_EMAIL_BACKENDS:
        errors.append(
            checks.Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: order, payment and negotiation e-mails would "
                "never reach anyone.",
                hint="Set the environment variable EMAIL_URL, e.g. smtp://user:password@host:587/?tls=True.",
                id="expo.E020",
            )
        )
    sender = (settings.DEFAULT_FROM_EMAIL or "").strip().lower()
    if not sender or sender.endswith(EXAMPLE_DOMAINS):
        errors.append(
            checks.Error(
                f"DEFAULT_FROM_EMAIL is {sender or 'empty'}: mail would go out from an address nobody owns.",
                hint="Set the environment variable DJANGO_DEFAULT_FROM_EMAIL to the expo's own address.",
                id="expo.E021",
            )
        )
    return errors


def refuse_to_start_on_errors() -> None:
    """Stop a WSGI/ASGI server on the errors above (gunicorn does not run system checks)."""
    errors = [message for message in checks.run_checks(tags=[TAG]) if message.is_serious()]
    if errors:
        for message in errors:
            sys.stderr.write(f"Configuration error: {message.msg} {message.hint}\n")
        raise SystemExit(2)
