"""The currencies the platform trades in: one setting (``EXPO_CURRENCIES``), read by the
importer, the product form, the basket and Stripe through these functions.

Codes are ISO 4217, checked against babel's list of currencies, never free text.
"""

from __future__ import annotations

from babel.numbers import get_currency_name, list_currencies
from django.conf import settings
from django.utils.translation import get_language, to_locale


def supported_currencies() -> list[str]:
    """The configured codes, upper case, in the order the setting gives them."""
    return [code.strip().upper() for code in settings.EXPO_CURRENCIES if code.strip()]


def is_supported(code: str) -> bool:
    return (code or "").strip().upper() in supported_currencies()


def unknown_iso_codes(codes: list[str]) -> list[str]:
    """Codes that are not ISO 4217 at all (used by the configuration check)."""
    known = list_currencies()
    return [code for code in codes if code.strip().upper() not in known]


def currency_choices() -> list[tuple[str, str]]:
    """(code, "CODE · name") pairs in the reader's language, for form fields."""
    locale = to_locale(get_language() or settings.LANGUAGE_CODE).replace("zh_Hans", "zh_Hans_CN")
    choices = []
    for code in supported_currencies():
        try:
            name = get_currency_name(code, locale=locale)
        except (ValueError, LookupError):
            name = get_currency_name(code, locale="en")
        choices.append((code, f"{code} · {name}"))
    return choices
