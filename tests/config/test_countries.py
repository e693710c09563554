"""One list of countries for the importer, the company forms and matchmaking."""

import pytest
from django.utils import translation

from config.countries import country_choices, country_name, is_country
from exhibitors.forms import CompanyRegisterForm
from exhibitors.imports.cells import CellError, country
from search.matching.markets import country_names


@pytest.mark.parametrize("code", ["CN", "cn", " kz ", "ＤＥ"])
def test_the_importer_takes_real_codes_in_any_form(code):
    assert is_country(country(code))


@pytest.mark.parametrize("code", ["XX", "ZZ", "EU", "C", "CHN", "12"])
def test_the_importer_refuses_codes_that_are_no_country(code):
    with pytest.raises(CellError, match="ISO 3166-1"):
        country(code)


def test_names_and_choices_follow_the_reader_language():
    assert country_name("KZ", "en") == "Kazakhstan" and country_name("KZ", "zh-hans") == "哈萨克斯坦"
    assert country_names("kz") == ("Kazakhstan", "哈萨克斯坦") and country_names("XX") == ()
    with translation.override("zh-hans"):
        assert country_choices()[0] == ("CN", "中国 (CN)")
    with translation.override("en"):
        labels = dict(country_choices())
    assert labels["DE"] == "Germany (DE)" and "XX" not in labels


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "valid"), [("cn", True), ("KZ", True), ("XX", False), ("China", False)])
def test_the_company_form_takes_a_country_from_the_list(value, valid):
    form = CompanyRegisterForm(
        data={
            "sides": ["exhibitor"],
            "key": "91411100MA00000001",
            "name_zh": "漯河测试食品",
            "country": value,
            "email": "new-owner@example.com",
            "password1": "a-long-pass-phrase-2026",
            "password2": "a-long-pass-phrase-2026",
        }
    )
    form.is_valid()
    assert ("country" not in form.errors) is valid, form.errors
    if valid:
        assert form.cleaned_data["country"] == value.upper()
