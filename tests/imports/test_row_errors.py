"""A bad cell rejects its row only, named by row, column and value; the claim dates of products."""

import datetime as dt

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.claims import claim_q, claims
from exhibitors.imports.cells import CellError, certification_pairs, currency, parse_date
from exhibitors.imports.engine import import_file

from .conftest import read_rows, sample, write_csv

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "2028-06-30",
        "2028/6/30",
        "2028.06.30",
        "20280630",
        "2028年6月30日",
        "２０２８－０６－３０",
        " 2028-6-30 ",
    ],
)
def test_every_allowed_date_form_reads_as_the_same_day(text):
    assert parse_date(text) == dt.date(2028, 6, 30)


@pytest.mark.parametrize("text", ["30/06/2028", "2028-06", "next year", "2028-02-30"])
def test_other_dates_are_refused(text):
    with pytest.raises(CellError):
        parse_date(text)


@pytest.mark.parametrize(
    "cell",
    [
        "SC:2028-06-30;HACCP",
        "sc：2028/6/30；haccp",
        "Sc : 20280630 , Haccp",
        "ＳＣ：２０２８年６月３０日、ＨＡＣＣＰ",
        "\u3000SC 2028-06-30\u3000HACCP ",
    ],
)
def test_certification_cells_in_any_form(cell):
    assert certification_pairs(cell) == {"SC": dt.date(2028, 6, 30), "HACCP": None}


def test_a_code_written_with_a_space_is_one_code():
    assert certification_pairs("iso 22000; Green Food:2029-01-01") == {
        "ISO22000": None,
        "GREEN_FOOD": dt.date(2029, 1, 1),
    }


def test_one_code_with_two_dates_is_refused():
    with pytest.raises(CellError, match="SC is given twice"):
        certification_pairs("SC:2028-01-01;SC:2029-01-01")


def test_a_currency_outside_the_setting_is_refused_by_name(settings):
    settings.EXPO_CURRENCIES = ["CNY", "USD"]
    assert currency(" usd ") == "USD"
    with pytest.raises(CellError, match="Currency 'EUR' is not supported; use one of: CNY, USD."):
        currency("EUR")
    with pytest.raises(CellError, match="three-letter"):
        currency("RMB yuan")


def _exhibitors(tmp_path):
    report = import_file("exhibitors", sample("exhibitors.csv"))
    assert report.rejected == 0


def test_one_bad_cell_rejects_only_its_row_naming_row_column_and_value(tmp_path):
    _exhibitors(tmp_path)
    rows = read_rows(sample("products.csv"))
    column = rows[0].index("certifications")
    rows[3][column] = "SC:2028-06-30;XYZ:2029-01-01"
    report = import_file("products", write_csv(tmp_path / "p.csv", rows))
    assert report.summary == "created 5, updated 0, unchanged 0, rejected 1"
    assert report.headline is None
    [error] = report.errors
    assert (error.row, error.column, error.value) == (4, "certifications", "SC:2028-06-30;XYZ:2029-01-01")
    assert str(error).startswith(
        "row 4, column certifications, value 'SC:2028-06-30;XYZ:2029-01-01': Unknown certification code 'XYZ'"
    )
    assert not StockRecord.objects.filter(partner_sku=rows[3][1]).exists()


def test_a_file_where_every_row_fails_says_so_in_one_line_first(tmp_path):
    from exhibitors.management.commands.import_resources import Command

    _exhibitors(tmp_path)
    rows = read_rows(sample("products.csv"))
    column = rows[0].index("certifications")
    for row in rows[1:]:
        row[column] = "XYZ:2028-06-30"
    path = write_csv(tmp_path / "p.csv", rows)
    report = import_file("products", path)
    assert report.summary == "created 0, updated 0, unchanged 0, rejected 6"
    assert report.headline == (
        "No row could be imported: all 6 rows have errors; first: row 2, column certifications, "
        "value 'XYZ:2028-06-30': Unknown certification code 'XYZ'; use one of: BRCGS, FDA, "
        "GREEN_FOOD, HACCP, HALAL, IFS, ISO22000, ISO9001, KOSHER, ORGANIC, SC."
    )
    from io import StringIO

    out = StringIO()
    with pytest.raises(SystemExit) as exit_status:
        Command(stdout=out).run_from_argv(["manage.py", "import_resources", "products", str(path)])
    assert exit_status.value.code == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == report.headline
    assert lines[-1] == report.summary


def test_a_row_priced_in_an_unsupported_currency_is_rejected(tmp_path, settings):
    settings.EXPO_CURRENCIES = ["CNY", "USD"]
    _exhibitors(tmp_path)
    rows = read_rows(sample("products.csv"))
    column = rows[0].index("currency")
    rows[2][column] = "EUR"
    rows[4][column] = "rmb"
    report = import_file("products", write_csv(tmp_path / "p.csv", rows))
    assert report.summary == "created 4, updated 0, unchanged 0, rejected 2"
    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (3, "currency", "EUR"),
        (5, "currency", "rmb"),
    ]
    assert "Currency 'EUR' is not supported; use one of: CNY, USD." in report.errors[0].message


def _one_product(tmp_path, company_cells: str, product_cells: str):
    import_file(
        "exhibitors",
        write_csv(
            tmp_path / "e.csv",
            [["key", "name_zh", "certifications"], ["EX-1", "公司", company_cells]],
        ),
    )
    report = import_file(
        "products",
        write_csv(
            tmp_path / "p.csv",
            [
                ["exhibitor_key", "sku", "title_zh", "category", "price", "certifications"],
                ["EX-1", "P-1", "产品", "snacks", "9.90", product_cells],
            ],
        ),
    )
    assert report.rejected == 0, report.errors
    return report, StockRecord.objects.get(partner_sku="P-1").product


def test_a_product_claim_ends_at_the_earlier_of_its_date_and_the_company_certificate(tmp_path):
    from search.documents import products

    today = timezone.localdate()
    company_sc, company_haccp = today + dt.timedelta(days=400), today + dt.timedelta(days=100)
    product_sc, product_haccp = today + dt.timedelta(days=200), today + dt.timedelta(days=300)
    _report, product = _one_product(
        tmp_path,
        f"SC:{company_sc};HACCP:{company_haccp}",
        f"SC:{product_sc};haccp：{product_haccp:%Y年%m月%d日}",
    )
    assert product.certifications == ["SC", "HACCP"]
    assert product.certification_expiry == {"SC": product_sc.isoformat(), "HACCP": product_haccp.isoformat()}
    [document] = products([product.id])
    assert {c["code"]: c["valid_until"] for c in document["certificates"]} == {
        "SC": product_sc,  # the product's date is earlier
        "HACCP": company_haccp,  # the company's is
    }
    day_after = product_sc + dt.timedelta(days=1)
    assert claims(product.certifications, product.certification_expiry, "SC", day=product_sc)
    assert not claims(product.certifications, product.certification_expiry, "SC", day=day_after)
    covered = Product.objects.filter(pk=product.pk)
    assert covered.filter(claim_q("SC", day=product_sc)).exists()
    assert not covered.filter(claim_q("SC", day=day_after)).exists()
    assert covered.filter(claim_q("HACCP", day=day_after)).exists()


def test_a_product_claim_already_ended_is_not_claimed(tmp_path):
    today = timezone.localdate()
    report, product = _one_product(
        tmp_path, f"SC:{today + dt.timedelta(days=400)};HALAL", f"SC:{today - dt.timedelta(days=1)};HALAL"
    )
    assert product.certifications == ["HALAL"]
    assert product.certification_expiry == {}
    assert [(w.column, w.message) for w in report.warnings] == [
        (
            "certifications",
            f"SC is not claimed: the product's claim ended on {today - dt.timedelta(days=1)}.",
        )
    ]


def test_product_expiries_export_and_reimport_unchanged(tmp_path):
    from exhibitors.imports.engine import export_file

    today = timezone.localdate()
    until = today + dt.timedelta(days=200)
    _one_product(tmp_path, "SC;HACCP", f"sc:{until:%Y/%m/%d};HACCP")
    target = tmp_path / "out.csv"
    export_file("products", target)
    exported = read_rows(target)
    assert exported[1][exported[0].index("certifications")] == f"SC:{until.isoformat()};HACCP"
    assert import_file("products", target).summary == "created 0, updated 0, unchanged 1, rejected 0"


@pytest.mark.parametrize("cell", ["NONE", "none", "无", "-", "ＮＯＮＥ", " 无 "])
def test_a_product_cell_saying_none_claims_no_certificate(tmp_path, cell):
    from search.documents import products

    today = timezone.localdate()
    _report, product = _one_product(tmp_path, "SC;HALAL", cell)
    assert product.claims_none and product.certifications == []
    [document] = products([product.id])
    assert document["certificates"] == []
    assert not claims(product.certifications, product.certification_expiry, "HALAL", day=today, none=True)
    assert not Product.objects.filter(pk=product.pk).filter(claim_q("HALAL", day=today)).exists()


def test_an_empty_product_cell_still_claims_every_company_certificate(tmp_path):
    today = timezone.localdate()
    _report, product = _one_product(tmp_path, "SC;HALAL", "")
    assert not product.claims_none and product.certifications == []
    assert Product.objects.filter(pk=product.pk).filter(claim_q("HALAL", day=today)).exists()


def test_a_product_naming_only_codes_its_company_lacks_claims_nothing_not_all(tmp_path):
    today = timezone.localdate()
    report, product = _one_product(tmp_path, "SC;HALAL", "KOSHER")
    assert product.claims_none and product.certifications == []
    assert not Product.objects.filter(pk=product.pk).filter(claim_q("HALAL", day=today)).exists()
    assert [w.message for w in report.warnings] == [
        "KOSHER is not claimed: the exhibitor holds no KOSHER certificate."
    ]


def test_a_product_claiming_nothing_exports_none_and_reimports_unchanged(tmp_path):
    from exhibitors.imports.engine import export_file

    _one_product(tmp_path, "SC", "无")
    target = tmp_path / "out.csv"
    export_file("products", target)
    exported = read_rows(target)
    assert exported[1][exported[0].index("certifications")] == "NONE"
    assert import_file("products", target).summary == "created 0, updated 0, unchanged 1, rejected 0"
    # an empty cell on the next import gives the product back every certificate
    rows = read_rows(target)
    rows[1][rows[0].index("certifications")] = ""
    import_file("products", write_csv(tmp_path / "again.csv", rows))
    assert not StockRecord.objects.get(partner_sku="P-1").product.claims_none
