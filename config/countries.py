"""Countries: one list (ISO 3166-1 alpha-2, from babel's CLDR data) for the importer, the
company forms and matchmaking; names in the reader's language."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from django import forms
from django.conf import settings
from django.utils.translation import get_language, to_locale

# CLDR territories with two letters that are not countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    territories = Locale.parse("en").territories
    return frozenset(
        code for code in territories if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    )


def is_country(code: str) -> bool:
    return (code or "").strip().upper() in country_codes()


@lru_cache(maxsize=1024)
def country_name(code: str, language: str = "en") -> str:
    """``KZ`` → Kazakhstan (en) or 哈萨克斯坦 (zh); the code itself when unknown."""
    code = (code or "").strip().upper()
    locale = "zh" if (language or "").lower().startswith("zh") else "en"
    return Locale.parse(locale).territories.get(code, code)


def country_choices() -> list[tuple[str, str]]:
    """(code, "name (CODE)") pairs sorted by name in the reader's language; China first."""
    language = to_locale(get_language() or settings.LANGUAGE_CODE)
    rows = sorted((country_name(code, language), code) for code in country_codes())
    choices = [(code, f"{name} ({code})") for name, code in rows]
    china = next(choice for choice in choices if choice[0] == "CN")
    return [china, *(choice for choice in choices if choice[0] != "CN")]


class CountryField(forms.ChoiceField):
    """A country from the one list; accepts the code in any case and with spaces around it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", country_choices)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).strip().upper()
