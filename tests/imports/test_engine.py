"""Importing and exporting the staff spreadsheets through the engine (../shared/formats)."""

import datetime as dt
import os
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from buyers.models import Buyer, SourcingRequest
from catalogue.models import ProductPriceTier
from exhibitors.imports.engine import export_file, import_file
from exhibitors.imports.reader import MAX_FILE_BYTES, ImportFileError
from exhibitors.models import Certificate, CertificateStatus, CompanyStatus, Exhibitor, Participation

from .conftest import ORDER, ROWS, as_xlsx, read_rows, sample, write_csv

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

EXHIBITOR_HEADER = ["key", "name_zh", "name_en", "categories", "certifications", "edition", "booth"]
KEY_RULE = "use 1-64 letters, digits, '-', '_' or '.' (no '/', no spaces)."
REAL_DATE = "(YYYY-MM-DD: month 01-12, a day that the month has)."
PRODUCT_HEADER = ["exhibitor_key", "sku", "title_zh", "title_en", "category", "price", "certifications"]


def messages(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]


@pytest.mark.parametrize("variant", ["utf8", "gb18030", "xlsx"])
def test_every_sample_imports_in_order(samples_in, variant):
    for kind, path in samples_in(variant):
        report = import_file(kind, path)
        assert report.errors == [], (kind, report.errors)
        assert (report.created, report.rejected) == (ROWS[kind], 0), kind
        assert report.summary == f"created {ROWS[kind]}, updated 0, unchanged 0, rejected 0"

    meat = Exhibitor.objects.get(key="91411100MA44X0001A")
    assert meat.name_zh == "漯河示例肉业有限公司" and meat.status == CompanyStatus.VERIFIED
    assert meat.verified_at is not None
    assert meat.partner.code == "91411100ma44x0001a" and meat.partner.name == "漯河示例肉业有限公司"
    assert set(meat.categories.values_list("slug", flat=True)) == {"meat", "meat-ham-sausage"}
    assert meat.certificates.get(code="SC").valid_until == dt.date(2028, 3, 31)
    assert meat.certificates.get(code="HACCP").valid_until is None
    assert list(meat.participations.values_list("edition", "hall", "booth")) == [(2026, "A", "A-1021")]
    assert Participation.objects.get(exhibitor__key="KZ-BIN-120340056789").hall == "INT"
    assert not Participation.objects.filter(exhibitor__key="91411100MA44X0005E").exists()

    record = StockRecord.objects.get(partner=meat.partner, partner_sku="HS-270")
    assert (record.price, record.price_currency, record.num_in_stock) == (Decimal("48.00"), "CNY", 12000)
    product = record.product
    assert product.upc == "91411100MA44X0001A/HS-270"
    assert product.title == "王中王火腿肠 270g" and product.title_en == "Premium ham sausage 270g"
    assert product.slug == "premium-ham-sausage-270g"
    assert product.product_class.slug == "food" and product.is_public
    assert product.is_discountable and product.code is None and product.date_created is not None
    assert record.date_created is not None and record.num_allocated == 0
    assert list(product.categories.values_list("slug", flat=True)) == ["meat-ham-sausage"]
    assert list(product.price_tiers.values_list("min_quantity", "unit_price")) == [
        (200, Decimal("45.00")),
        (1000, Decimal("42.50")),
    ]
    assert (product.moq, product.unit, product.storage, product.shelf_life_days) == (50, "箱", "ambient", 180)
    assert product.certifications == ["SC", "HACCP"] and product.sample_available is True
    flour = StockRecord.objects.get(partner_sku="FL-25")
    assert flour.num_in_stock is None  # empty stock: not sold online
    milk = StockRecord.objects.get(partner_sku="UHT-1L")
    assert (milk.price, milk.price_currency) == (Decimal("1.10"), "USD")

    importer = Buyer.objects.get(key="KZ-BIN-990011223344")
    assert importer.buyer_type == "importer" and importer.name_zh == ""
    assert set(importer.interests.values_list("slug", flat=True)) == {"snacks", "dairy", "frozen"}
    assert importer.keywords == ["halal snacks", "dumplings"]
    assert importer.target_markets == ["Kazakhstan", "Uzbekistan"]
    assert importer.required_certifications == ["HALAL"]
    assert importer.annual_volume_cny == Decimal("25000000")

    request = SourcingRequest.objects.get(buyer=importer, reference="KZ-77")
    assert request.category.slug == "frozen" and request.storage == "frozen"
    assert request.target_price is None and request.currency == "USD"
    assert request.deliver_by == dt.date(2027, 2, 1) and request.status == "open"
    assert request.required_certifications == ["HALAL"]


def test_importing_the_same_files_again_changes_nothing(imported_samples):
    stamps = dict(Exhibitor.objects.values_list("key", "updated_at"))
    for kind, name in ORDER:
        report = import_file(kind, sample(name))
        assert report.summary == f"created 0, updated 0, unchanged {ROWS[kind]}, rejected 0"
    assert dict(Exhibitor.objects.values_list("key", "updated_at")) == stamps
    assert Partner.objects.count() == ROWS["exhibitors"]
    assert StockRecord.objects.count() == Product.objects.count() == ROWS["products"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_reimports_unchanged(imported_samples, tmp_path, fmt):
    for kind, _name in ORDER:
        target = tmp_path / f"{kind}.{fmt}"
        assert export_file(kind, target) == ROWS[kind]
        report = import_file(kind, target)
        assert report.errors == [] and report.warnings == []
        assert report.summary == f"created 0, updated 0, unchanged {ROWS[kind]}, rejected 0"


def test_csv_export_is_excel_friendly_with_every_column_in_contract_order(imported_samples, tmp_path):
    target = tmp_path / "products.csv"
    export_file("products", target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    header = read_rows(target)[0]
    assert header == [
        "exhibitor_key", "sku", "title_zh", "title_en", "category", "description_zh", "description_en",
        "price", "currency", "unit", "moq", "price_tiers", "stock", "shelf_life_days", "storage",
        "origin", "net_content", "certifications", "sample_available",
    ]  # fmt: skip
    exported = read_rows(tmp_path / "products.csv")
    assert ["91411100MA44X0001A", "HS-270"] == exported[2][:2]
    export_file("exhibitors", tmp_path / "exhibitors.csv")
    exhibitor_header = read_rows(tmp_path / "exhibitors.csv")[0]
    assert exhibitor_header[-3:] == ["edition", "booth", "status"]


def test_a_changed_row_updates_in_place(imported_samples, tmp_path):
    rows = read_rows(sample("products.csv"))
    rows[1][7] = "49.50"  # price of HS-270
    rows[1][11] = "500:44.00"  # its tiers
    report = import_file("products", write_csv(tmp_path / "p.csv", rows))
    assert report.summary == "created 0, updated 1, unchanged 5, rejected 0"
    record = StockRecord.objects.get(partner_sku="HS-270")
    assert record.price == Decimal("49.50")
    assert list(record.product.price_tiers.values_list("min_quantity", "unit_price")) == [
        (500, Decimal("44.00"))
    ]
    assert ProductPriceTier.objects.count() == 4  # the others' tiers are untouched


def test_a_left_out_column_leaves_the_field_alone(imported_samples, tmp_path):
    path = write_csv(tmp_path / "e.csv", [["key", "name_en"], ["91411100MA44X0001A", "Luohe Meat (renamed)"]])
    report = import_file("exhibitors", path)
    assert report.summary == "created 0, updated 1, unchanged 0, rejected 0"
    meat = Exhibitor.objects.get(key="91411100MA44X0001A")
    assert meat.name_en == "Luohe Meat (renamed)" and meat.name_zh == "漯河示例肉业有限公司"
    assert meat.website == "https://meat.example.cn" and meat.categories.count() == 2


@pytest.mark.parametrize("variant", ["random", "utf16", "utf16-no-bom"])
def test_a_file_in_an_unknown_encoding_gets_one_clear_message(tmp_path, variant):
    path = tmp_path / "bad.csv"
    if variant == "random":
        path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))
    else:
        encoding = "utf-16" if variant == "utf16" else "utf-16-le"
        path.write_bytes(sample("buyers.csv").read_text(encoding="utf-8").encode(encoding))
    with pytest.raises(ImportFileError, match="neither UTF-8 nor GB18030/GBK"):
        import_file("buyers", path)
    assert not Buyer.objects.exists()


def test_a_file_over_50_mb_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as stream:
        stream.write(b"key,name_en\n")
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    assert os.path.getsize(path) == MAX_FILE_BYTES + 1
    with pytest.raises(ImportFileError, match="too large: 52428801 bytes, the limit is 50 MB"):
        import_file("exhibitors", path)


def test_a_missing_required_column_is_named(tmp_path):
    path = write_csv(
        tmp_path / "p.csv", [["exhibitor_key", "sku", "title_en", "category"], ["A", "B", "C", "meat"]]
    )
    with pytest.raises(ImportFileError, match="Missing required column: price"):
        import_file("products", path)


def test_a_file_without_either_name_column_is_refused(tmp_path):
    path = write_csv(tmp_path / "e.csv", [["key", "city"], ["A", "B"]])
    with pytest.raises(ImportFileError, match="name_zh or name_en"):
        import_file("exhibitors", path)


def test_extra_columns_are_ignored_with_a_warning(tmp_path):
    path = write_csv(
        tmp_path / "e.csv", [["key", "name_en", "fax", "Notes"], ["EX-1", "Example", "123", "x"]]
    )
    report = import_file("exhibitors", path)
    assert report.summary == "created 1, updated 0, unchanged 0, rejected 0"
    assert [(w.row, w.message) for w in report.warnings] == [
        (1, "Ignored columns that the exhibitors format does not have: fax, Notes.")
    ]


def test_each_bad_row_is_named_with_its_column_and_the_good_rows_still_import(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        [
            EXHIBITOR_HEADER,
            ["9141/0001 A", "坏键公司", "", "", "", "", ""],
            ["EX-SLUG", "未知类目", "", "no-such-slug", "", "", ""],
            ["EX-DATE", "日期错误", "", "", "SC:31/05/2027", "", ""],
            ["EX-DAY", "日期不存在", "", "", "SC:2027-02-30", "", ""],
            ["", "无键", "", "", "", "", ""],
            ["EX-NONAME", "", "", "meat", "", "", ""],
            ["EX-CODE", "未知证书", "", "", "XYZ", "", ""],
            ["EX-GOOD", "好公司", "Good Co", "meat", "SC:2027-05-31", "2026", "A-1021"],
            ["EX-GOOD", "重复", "", "", "", "", ""],
            ["EX-BOOTH", "展位太多", "", "", "", "2026", "A-1;B-2"],
        ],
    )
    report = import_file("exhibitors", path)
    assert report.summary == "created 1, updated 0, unchanged 0, rejected 9"
    assert messages(report) == [
        (2, "key", "'9141/0001 A' is not a valid key: " + KEY_RULE),
        (3, "categories", "Unknown category slug 'no-such-slug'."),
        (4, "certifications", "'31/05/2027' is not a date: write it as YYYY-MM-DD, e.g. 2027-05-31."),
        (5, "certifications", "'2027-02-30' is not a real date " + REAL_DATE),
        (6, "key", "Required, but the cell is empty."),
        (7, "name_zh", "Needs name_zh or name_en; these cells are empty."),
        (
            8,
            "certifications",
            "Unknown certification code 'XYZ'; use one of: BRCGS, FDA, GREEN_FOOD, HACCP, "
            "HALAL, IFS, ISO22000, ISO9001, KOSHER, ORGANIC, SC.",
        ),
        (10, "key", "Duplicate: row 9 has the same key; only the first one is imported."),
        (11, "booth", "2 booths for 1 editions; list one edition per booth, in the same order."),
    ]
    assert list(Exhibitor.objects.values_list("key", flat=True)) == ["EX-GOOD"]
    assert Partner.objects.count() == 1  # nothing half-written for the bad rows


def test_bad_product_cells_are_rejected_per_row(imported_samples, tmp_path):
    header = ["exhibitor_key", "sku", "title_en", "category", "price", "stock", "sample_available", "storage"]
    path = write_csv(
        tmp_path / "p.csv",
        [
            header,
            ["NO-SUCH-EXHIBITOR", "A-1", "Thing", "snacks", "1.00", "", "", ""],
            ["91411100MA44X0002B", "A/2", "Thing", "snacks", "1.00", "", "", ""],
            ["91411100MA44X0002B", "A-3", "Thing", "snacks", "1,000.00", "", "", ""],
            ["91411100MA44X0002B", "A-4", "Thing", "snacks", "1.005", "", "", ""],
            ["91411100MA44X0002B", "A-5", "Thing", "snacks", "", "", "", ""],
            ["91411100MA44X0002B", "A-6", "Thing", "snacks", "2", "-1", "maybe", "warm"],
            ["91411100MA44X0002B", "A-7", "Thing", "snacks", "2", "", "是", "FROZEN"],
        ],
    )
    report = import_file("products", path)
    assert report.summary == "created 1, updated 0, unchanged 0, rejected 6"
    assert messages(report) == [
        (2, "exhibitor_key", "No exhibitor has the key 'NO-SUCH-EXHIBITOR'; import the exhibitors first."),
        (
            3,
            "sku",
            "'A/2' is not a valid key: use 1-64 letters, digits, '-', '_' or '.' (no '/', no spaces).",
        ),
        (4, "price", "'1,000.00' is not a number: use '.' for decimals and no thousands separators."),
        (5, "price", "'1.005' has more than 2 decimal places."),
        (6, "price", "Required, but the cell is empty."),
        (7, "stock", "'-1' is not a whole number from 0 to 2147483647."),
        (7, "storage", "Unknown storage code 'warm'; use one of: ambient, chilled, frozen."),
        (7, "sample_available", "'maybe' is not yes or no."),
    ]
    product = StockRecord.objects.get(partner_sku="A-7").product
    assert product.sample_available is True and product.storage == "frozen"


def test_unknown_codes_and_slugs_in_buyers_and_requests(imported_samples, tmp_path):
    buyers = write_csv(
        tmp_path / "b.csv",
        [
            ["key", "name_en", "buyer_type", "interests", "required_certifications", "status"],
            ["B-1", "One", "Retail_Chain", "snacks；dairy", "sc; halal", "pending"],
            ["B-2", "Two", "wholesaler", "", "", ""],
            ["B-3", "Three", "", "cakes", "", ""],
        ],
    )
    report = import_file("buyers", buyers)
    assert report.rejected == 2
    assert [e.column for e in report.errors] == ["buyer_type", "interests"]
    one = Buyer.objects.get(key="B-1")
    assert one.buyer_type == "retail_chain" and one.status == CompanyStatus.PENDING
    assert one.required_certifications == ["SC", "HALAL"]
    assert set(one.interests.values_list("slug", flat=True)) == {"snacks", "dairy"}
    requests = write_csv(
        tmp_path / "r.csv",
        [
            ["buyer_key", "reference", "title", "deliver_by", "status"],
            ["NOBODY", "R-1", "Want", "", ""],
            ["B-1", "R-1", "Want", "2027/13/01", ""],
            ["B-1", "R-2", "Want", "", "done"],
            ["B-1", "R-3", "", "", ""],
            ["B-1", "R-4", "Want", "2027-01-31", "CLOSED"],
        ],
    )
    report = import_file("requests", requests)
    assert report.summary == "created 1, updated 0, unchanged 0, rejected 4"
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "buyer_key"),
        (3, "deliver_by"),
        (4, "status"),
        (5, "title"),
    ]
    assert "'2027/13/01' is not a real date" in report.errors[1].message
    assert SourcingRequest.objects.get(reference="R-4").status == "closed"


def test_duplicate_product_in_one_file_names_the_first_row(imported_samples, tmp_path):
    rows = read_rows(sample("products.csv"))
    path = write_csv(tmp_path / "p.csv", [*rows, rows[3]])
    report = import_file("products", path)
    assert report.summary == "created 0, updated 0, unchanged 6, rejected 1"
    assert messages(report) == [
        (8, "sku", "Duplicate: row 4 has the same exhibitor_key + sku; only the first one is imported.")
    ]


def test_atomic_writes_nothing_when_a_row_is_bad(tmp_path):
    rows = read_rows(sample("exhibitors.csv"))
    rows[3][0] = "bad key"
    report = import_file("exhibitors", write_csv(tmp_path / "e.csv", rows), atomic=True)
    assert report.rolled_back
    assert report.summary == "created 0, updated 0, unchanged 0, rejected 1"
    assert report.not_written == {"created": 4, "updated": 0, "unchanged": 0}
    assert not Exhibitor.objects.exists() and not Partner.objects.exists()


def test_atomic_imports_a_clean_file(tmp_path):
    report = import_file("exhibitors", sample("exhibitors.csv"), atomic=True)
    assert report.summary == "created 5, updated 0, unchanged 0, rejected 0" and not report.rolled_back
    assert Exhibitor.objects.count() == 5


def test_dry_run_reports_the_same_summary_and_writes_nothing(imported_samples, tmp_path):
    rows = read_rows(sample("buyers.csv"))
    rows[1][2] = "Wuhan Example Supermarkets (new name)"
    rows.append(["NEW-BUYER", "新买家", "", "CN", "", "", "", "", "", "", "", "", "", "", ""])
    rows.append(["bad/key", "坏", "", "", "", "", "", "", "", "", "", "", "", "", ""])
    path = write_csv(tmp_path / "b.csv", rows)
    dry = import_file("buyers", path, dry_run=True)
    assert dry.summary == "created 1, updated 1, unchanged 3, rejected 1"
    assert not Buyer.objects.filter(key="NEW-BUYER").exists()
    assert Buyer.objects.get(key="91420100MA44Y0001A").name_en == "Wuhan Example Supermarkets"
    assert import_file("buyers", path).summary == dry.summary


def test_product_claims_only_certificates_its_exhibitor_holds_validly(tmp_path):
    exhibitors = write_csv(
        tmp_path / "e.csv",
        [
            EXHIBITOR_HEADER,
            ["EX-1", "证书公司", "", "snacks", "SC:2099-12-31;HALAL:2020-01-01;HACCP", "", ""],
        ],
    )
    import_file("exhibitors", exhibitors)
    certificates = dict(Certificate.objects.values_list("code", "status"))
    assert certificates == {
        "SC": CertificateStatus.VALID,
        "HALAL": CertificateStatus.EXPIRED,  # its date is past
        "HACCP": CertificateStatus.VALID,
    }
    products = write_csv(
        tmp_path / "p.csv",
        [PRODUCT_HEADER, ["EX-1", "P-1", "", "Halal snack", "snacks", "9.90", "sc;HALAL;ORGANIC"]],
    )
    report = import_file("products", products)
    assert report.summary == "created 1, updated 0, unchanged 0, rejected 0"
    assert [(w.row, w.column, w.message) for w in report.warnings] == [
        (
            2,
            "certifications",
            "HALAL is not claimed: the exhibitor's HALAL certificate expired on 2020-01-01.",
        ),
        (2, "certifications", "ORGANIC is not claimed: the exhibitor holds no ORGANIC certificate."),
    ]
    assert StockRecord.objects.get(partner_sku="P-1").product.certifications == ["SC"]
    again = import_file("products", products)
    assert again.summary == "created 0, updated 0, unchanged 1, rejected 0"


def test_renewing_a_certificate_makes_it_valid_again(tmp_path):
    import_file(
        "exhibitors",
        write_csv(tmp_path / "a.csv", [EXHIBITOR_HEADER, ["EX-1", "公司", "", "", "SC:2020-01-01", "", ""]]),
    )
    assert Certificate.objects.get().status == CertificateStatus.EXPIRED
    report = import_file(
        "exhibitors",
        write_csv(tmp_path / "b.csv", [EXHIBITOR_HEADER, ["EX-1", "公司", "", "", "SC:2099-01-01", "", ""]]),
    )
    assert report.summary == "created 0, updated 1, unchanged 0, rejected 0"
    certificate = Certificate.objects.get()
    assert (certificate.valid_until, certificate.status) == (dt.date(2099, 1, 1), CertificateStatus.VALID)


def test_editions_pair_with_booths_and_the_hall_comes_from_the_booth(tmp_path):
    path = write_csv(
        tmp_path / "e.csv", [EXHIBITOR_HEADER, ["EX-1", "公司", "", "", "", "2024；2025;2026", "A-1021;B2"]]
    )
    import_file("exhibitors", path)
    assert list(Participation.objects.order_by("edition").values_list("edition", "booth", "hall")) == [
        (2024, "A-1021", "A"),
        (2025, "B2", ""),
        (2026, "", ""),
    ]


def test_status_pending_is_kept_and_default_is_verified(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        [["key", "name_zh", "status"], ["EX-P", "待审", "Pending"], ["EX-V", "已审", ""]],
    )
    import_file("exhibitors", path)
    assert dict(Exhibitor.objects.values_list("key", "status")) == {"EX-P": "pending", "EX-V": "verified"}
    assert Exhibitor.objects.get(key="EX-P").verified_at is None


def test_xlsx_with_typed_cells_and_blank_rows(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["key", "name_en", "edition", "booth", "certifications"])
    sheet.append(["EX-X", "Typed", 2026, "C-1", "SC:2099-01-31"])
    sheet.append([None, None, None, None, None])
    sheet.append(["EX-Y", "Dated", 2025.0, None, None])
    workbook.save(tmp_path / "typed.xlsx")
    report = import_file("exhibitors", tmp_path / "typed.xlsx")
    assert report.summary == "created 2, updated 0, unchanged 0, rejected 0"
    assert Participation.objects.get(exhibitor__key="EX-Y").edition == 2025


def test_an_xlsx_error_names_the_spreadsheet_row(tmp_path):
    rows = read_rows(sample("exhibitors.csv"))
    rows[4][0] = "not valid"
    path = as_xlsx(write_csv(tmp_path / "e.csv", rows), tmp_path / "e.xlsx")
    report = import_file("exhibitors", path)
    assert [(e.row, e.column) for e in report.errors] == [(5, "key")]


def test_an_uploaded_stream_imports_like_a_path(tmp_path):
    with sample("exhibitors.csv").open("rb") as stream:
        report = import_file("exhibitors", stream)
    assert report.created == 5


def test_progress_is_reported(tmp_path):
    calls = []
    import_file(
        "exhibitors", sample("exhibitors.csv"), progress=lambda done, total: calls.append((done, total))
    )
    assert calls[-1] == (5, 5)


def test_a_row_the_database_refuses_is_rejected_alone(tmp_path, mocker):
    from django.db import IntegrityError

    from exhibitors.imports.kinds import ExhibitorKind

    apply = ExhibitorKind.apply

    def refuse_boom(self, rows):
        if any(row.identity == ("BOOM",) for row in rows):
            raise IntegrityError("simulated constraint violation")
        return apply(self, rows)

    mocker.patch.object(ExhibitorKind, "apply", refuse_boom)
    path = write_csv(
        tmp_path / "e.csv", [["key", "name_en"], ["OK-1", "One"], ["BOOM", "Boom"], ["OK-2", "Two"]]
    )
    report = import_file("exhibitors", path)
    assert report.summary == "created 2, updated 0, unchanged 0, rejected 1"
    assert messages(report) == [(3, "key", "The database refused this row: simulated constraint violation")]
    assert sorted(Exhibitor.objects.values_list("key", flat=True)) == ["OK-1", "OK-2"]
