"""Reading and checking the unit import sheet, and importing its rows (regions/excel.py, services.units_import)."""

import io
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from regions import excel, selectors, services
from regions.errors import RegionsError
from regions.models import Province, Unit, UnitName
from tests.regions.factories import make_unit

pytestmark = pytest.mark.django_db

HEADINGS = (
    "Tên đơn vị",
    "Tên viết tắt",
    "Loại đơn vị",
    "Tỉnh/thành phố",
    "Đơn vị cấp trên",
    "Hoạt động từ ngày",
    "Hoạt động đến ngày",
)


# Workbooks are made in code: the repository holds no binary fixtures. test_excel_views.py uses these too.


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, headings: Sequence[str] | None = HEADINGS, title: str = "") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title
    if headings is not None:
        sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def open_workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def sheet_values(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def read(rows: Sequence[Sequence[Any]], **kwargs) -> list[excel.SheetRow]:
    return excel.read_unit_sheet(io.BytesIO(xlsx_bytes(rows, **kwargs)))


def check(rows: Sequence[Sequence[Any]], **kwargs) -> excel.ImportCheck:
    return excel.check_unit_rows(read(rows), **kwargs)


def errors_of(result: excel.ImportCheck, number: int) -> list[str]:
    return next(row.errors for row in result.rows if row.number == number)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# ---------------------------------------------------------------------------------------------
# Reading the sheet
# ---------------------------------------------------------------------------------------------


EXCEL_DATETIME = datetime(2018, 3, 19, 8, 30)  # noqa: DTZ001 - Excel cells hold naive date-times


def test_a_date_cell_and_a_dd_mm_yyyy_text_give_the_same_date():
    rows = read(
        [
            ["Sở Tư pháp tỉnh A", "", "so_tu_phap", "", "", EXCEL_DATETIME, date(2025, 6, 30)],
            ["Sở Tư pháp tỉnh B", "", "so_tu_phap", "", "", "19/03/2018", "30/6/2025"],
        ]
    )
    assert rows[0].values["active_from"] == rows[1].values["active_from"] == "19/03/2018"
    result = excel.check_unit_rows(rows)
    assert [(r.active_from, r.active_to) for r in result.rows] == [(date(2018, 3, 19), date(2025, 6, 30))] * 2
    assert result.is_valid


def test_columns_are_found_by_their_heading_in_any_order():
    rows = read([["so_tu_phap", "Sở Tư pháp tỉnh Lâm Đồng"]], headings=["Loại đơn vị", "  tên   ĐƠN VỊ "])
    assert rows[0].values == {
        "name": "Sở Tư pháp tỉnh Lâm Đồng",
        "short_name": "",
        "kind": "so_tu_phap",
        "province": "",
        "parent": "",
        "active_from": "",
        "active_to": "",
    }


def test_empty_rows_are_skipped_and_rows_keep_their_excel_numbers():
    rows = read([["Sở Tư pháp tỉnh A", "", "so_tu_phap"], [], [None, "  "], ["Sở Tư pháp tỉnh B", "", "so_tu_phap"]])
    assert [row.number for row in rows] == [2, 5]


def test_names_are_normalised_to_nfc_with_single_spaces():
    rows = read([[nfd("Sở  Tư pháp\xa0tỉnh Đồng Nai "), "", nfd("Sở Tư pháp"), nfd("tỉnh Đồng Nai")]])
    assert rows[0].values["name"] == "Sở Tư pháp tỉnh Đồng Nai"
    assert unicodedata.is_normalized("NFC", rows[0].values["name"])
    result = excel.check_unit_rows(rows)
    assert result.is_valid
    assert result.rows[0].kind == Unit.Kind.SO_TU_PHAP
    assert result.rows[0].province.name == "tỉnh Đồng Nai"


def test_a_sheet_without_the_required_headings_is_refused():
    with pytest.raises(RegionsError) as caught:
        read([["Sở Tư pháp tỉnh A", "so_tu_phap"]], headings=["Tên", "Loại"])
    assert "Tên đơn vị" in caught.value.message and "Loại đơn vị" in caught.value.message
    assert caught.value.field == "file"


def test_a_sheet_with_headings_only_is_refused():
    with pytest.raises(RegionsError):
        read([])


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(RegionsError) as caught:
        excel.read_unit_sheet(io.BytesIO(b"Ten don vi;Loai\nSo Tu phap;so_tu_phap\n"))
    assert caught.value.field == "file"


def test_more_than_5000_rows_are_refused():
    with pytest.raises(RegionsError):
        read([[f"Sở Tư pháp số {n}", "", "so_tu_phap"] for n in range(excel.MAX_ROWS + 1)])


def test_5000_rows_are_read():
    assert len(read([[f"Sở Tư pháp số {n}", "", "so_tu_phap"] for n in range(excel.MAX_ROWS)])) == excel.MAX_ROWS


def test_the_rows_survive_a_trip_through_the_session_as_json():
    rows = read([["Sở Tư pháp tỉnh A", "STP A", "so_tu_phap", "tỉnh Lâm Đồng", "", date(2010, 1, 1)]])
    assert [excel.SheetRow.from_json(row.as_json()) for row in rows] == rows


@pytest.mark.parametrize(
    ("text", "day"),
    [("19/03/2018", date(2018, 3, 19)), ("1/7/2025", date(2025, 7, 1)), ("01-07-2025", date(2025, 7, 1)),
     ("01.07.2025", date(2025, 7, 1)), ("2025-07-01", date(2025, 7, 1)), ("", None)],
)  # fmt: skip
def test_dates_are_read_day_first(text, day):
    assert excel.parse_day(text) == day


@pytest.mark.parametrize("text", ["31/02/2018", "2018", "19/03/18", "ngày 19 tháng 3", "03/19/2018", "45000"])
def test_malformed_dates_are_refused(text):
    with pytest.raises(ValueError):
        excel.parse_day(text)


# ---------------------------------------------------------------------------------------------
# Checking the rows: every reason a row cannot be imported
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["so_tu_phap", "Sở Tư pháp", "sở tư pháp", "STP", "Department of Justice (Sở Tư pháp)"]
)
def test_a_kind_may_be_written_as_its_code_or_its_name(text):
    assert check([["Sở Tư pháp tỉnh A", "", text]]).rows[0].kind == Unit.Kind.SO_TU_PHAP


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Cục THADS", Unit.Kind.CUC_THADS),
        ("Cục Thi hành án dân sự", Unit.Kind.CUC_THADS),
        ("Thi hành án dân sự tỉnh, thành phố", Unit.Kind.THADS_TINH),
        ("phong_thads_khu_vuc", Unit.Kind.PHONG_THADS_KHU_VUC),
        ("Khác", Unit.Kind.OTHER),
    ],
)
def test_each_kind_is_understood(text, code):
    assert excel.kind_code(text) == code


def test_a_missing_name_is_reported():
    result = check([["", "STP A", "so_tu_phap"]])
    assert errors_of(result, 2) == ["Hãy nhập tên đơn vị."]
    assert not result.is_valid


def test_a_missing_or_unknown_kind_is_reported():
    result = check([["Sở Tư pháp tỉnh A", "", ""], ["Sở Tư pháp tỉnh B", "", "Sở Tài chính"]])
    assert errors_of(result, 2) == ["Hãy nhập loại đơn vị."]
    assert errors_of(result, 3) == [
        "Không rõ loại đơn vị “Sở Tài chính”: hãy dùng tên hoặc mã trong trang “Hướng dẫn”."
    ]


def test_an_unknown_province_is_reported():
    result = check([["Sở Tư pháp tỉnh A", "", "so_tu_phap", "tỉnh Không Có"]])
    assert errors_of(result, 2) == ["Không rõ tỉnh/thành phố “tỉnh Không Có”."]


def test_a_province_may_be_written_without_tinh_or_by_its_code():
    result = check([["Sở Tư pháp A", "", "so_tu_phap", "Lâm Đồng"], ["Sở Tư pháp B", "", "so_tu_phap", "lam-dong"]])
    assert [row.province.name for row in result.rows] == ["tỉnh Lâm Đồng", "tỉnh Lâm Đồng"]


def test_a_province_name_used_before_and_after_the_merger_is_chosen_by_the_start_date():
    result = check(
        [
            ["Cục THADS thành phố Cần Thơ", "", "cuc_thads", "thành phố Cần Thơ", "", "01/01/2010", "30/06/2025"],
            ["THADS thành phố Cần Thơ", "", "thads_tinh", "thành phố Cần Thơ", "", "01/07/2025"],
        ]
    )
    old, new = (row.province for row in result.rows)
    assert old.valid_to == date(2025, 6, 30) and new.valid_from == date(2025, 7, 1)
    assert result.is_valid


def test_a_province_not_in_force_on_the_start_date_is_reported():
    result = check([["THADS tỉnh Quảng Bình", "", "thads_tinh", "tỉnh Quảng Bình", "", "01/07/2025"]])
    assert errors_of(result, 2) == ["tỉnh Quảng Bình không còn hoặc chưa có hiệu lực vào ngày bắt đầu 01/07/2025."]


def test_an_unknown_parent_is_reported():
    result = check([["Chi cục THADS huyện X", "", "chi_cuc_thads", "", "Cục THADS tỉnh Không Có"]])
    assert errors_of(result, 2) == [
        "Không rõ đơn vị cấp trên “Cục THADS tỉnh Không Có”: đây không phải đơn vị đã có, cũng không phải một dòng "
        "của tệp này."
    ]


def test_a_parent_may_be_a_later_row_of_the_same_file():
    result = check(
        [
            ["Chi cục THADS huyện Mai Sơn", "", "chi_cuc_thads", "tỉnh Sơn La", "Cục THADS tỉnh Sơn La"],
            ["Cục THADS tỉnh Sơn La", "", "cuc_thads", "tỉnh Sơn La"],
        ]
    )
    assert result.is_valid
    assert result.rows[0].parent_number == 3 and result.rows[0].parent_unit is None


def test_a_parent_may_be_an_existing_unit_named_in_another_normal_form():
    cuc = make_unit("Cục Thi hành án dân sự tỉnh Sơn La", Unit.Kind.CUC_THADS)
    result = check(
        [["Chi cục THADS huyện Mai Sơn", "", "chi_cuc_thads", "", nfd("cục thi hành án dân sự tỉnh Sơn La")]]
    )
    assert result.is_valid
    assert result.rows[0].parent_unit == cuc


def test_a_parent_is_matched_by_its_current_name_only():
    cuc = make_unit("Cục THADS tỉnh Quảng Bình", Unit.Kind.CUC_THADS, active_from=date(2010, 1, 1))
    services.unit_rename(unit=cuc, name="Cục THADS tỉnh Quảng Bình (tên mới)", effective=date(2020, 1, 1))
    result = check([["Chi cục THADS huyện X", "", "chi_cuc_thads", "", "Cục THADS tỉnh Quảng Bình"]])
    assert "Không rõ đơn vị cấp trên" in errors_of(result, 2)[0]


def test_a_chi_cuc_without_a_parent_or_under_another_kind_is_reported():
    make_unit("Sở Tư pháp tỉnh Sơn La")
    result = check(
        [
            ["Chi cục THADS huyện A", "", "chi_cuc_thads"],
            ["Chi cục THADS huyện B", "", "chi_cuc_thads", "", "Sở Tư pháp tỉnh Sơn La"],
            ["Chi cục THADS huyện C", "", "chi_cuc_thads", "", "Chi cục THADS huyện A"],
        ]
    )
    assert errors_of(result, 2) == ["Chi cục Thi hành án dân sự phải trực thuộc một Cục Thi hành án dân sự."]
    assert errors_of(result, 3) == ["Đơn vị cấp trên của đơn vị này phải là Cục Thi hành án dân sự."]
    assert errors_of(result, 4) == ["Đơn vị cấp trên của đơn vị này phải là Cục Thi hành án dân sự."]


def test_a_unit_cannot_be_its_own_parent_nor_under_its_own_sub_unit():
    result = check(
        [
            ["Sở Tư pháp tỉnh A", "", "so_tu_phap", "", "Sở Tư pháp tỉnh A"],
            ["Đơn vị B", "", "other", "", "Đơn vị C"],
            ["Đơn vị C", "", "other", "", "Đơn vị B"],
            ["Đơn vị D", "", "other", "", "Đơn vị B"],
        ]
    )
    assert errors_of(result, 2) == ["Đơn vị không thể là đơn vị cấp trên của chính mình."]
    assert errors_of(result, 3) == ["Không thể đặt đơn vị trực thuộc một đơn vị cấp dưới của chính nó."]
    assert errors_of(result, 4) == ["Không thể đặt đơn vị trực thuộc một đơn vị cấp dưới của chính nó."]
    assert errors_of(result, 5) == []


def test_an_end_date_before_the_start_date_is_reported():
    result = check([["Sở Tư pháp tỉnh A", "", "so_tu_phap", "", "", date(2020, 1, 1), "31/12/2019"]])
    assert errors_of(result, 2) == ["Ngày kết thúc không được trước ngày bắt đầu."]


def test_a_malformed_date_is_reported_with_its_column():
    result = check([["Sở Tư pháp tỉnh A", "", "so_tu_phap", "", "", "31/02/2018", "sắp tới"]])
    assert errors_of(result, 2) == [
        "Hoạt động từ ngày: “31/02/2018” không phải là ngày; hãy viết theo dạng dd/mm/yyyy.",
        "Hoạt động đến ngày: “sắp tới” không phải là ngày; hãy viết theo dạng dd/mm/yyyy.",
    ]


def test_a_name_twice_in_the_file_is_reported_on_both_rows():
    result = check([["Sở Tư pháp tỉnh A", "", "so_tu_phap"], ["Sở Tư pháp tỉnh B", "", "so_tu_phap"],
                    ["sở tư pháp  tỉnh A", "", "so_tu_phap"]])  # fmt: skip
    assert errors_of(result, 2) == ["Tên này cũng có ở dòng 4 của tệp."]
    assert errors_of(result, 4) == ["Tên này cũng có ở dòng 2 của tệp."]
    assert errors_of(result, 3) == []


def test_the_current_name_of_an_existing_unit_is_reported():
    make_unit("Sở Tư pháp tỉnh Lâm Đồng")
    result = check([["Sở Tư pháp tỉnh Lâm Đồng", "", "so_tu_phap"]])
    assert errors_of(result, 2) == ["Đã có đơn vị tên “Sở Tư pháp tỉnh Lâm Đồng”."]


def test_every_reason_of_a_bad_row_is_listed():
    make_unit("Sở Tư pháp tỉnh A")
    result = check([["Sở Tư pháp tỉnh A", "", "so_tu_phap", "tỉnh Không Có", "Không Có", "ngày mai", "01/01/2000"]])
    assert len(errors_of(result, 2)) == 4
    assert [row.number for row in result.bad_rows] == [2]


def test_a_check_reads_the_database_in_a_bounded_number_of_queries(django_assert_num_queries):
    make_unit("Cục THADS tỉnh Sơn La", Unit.Kind.CUC_THADS)
    rows = read(
        [[f"Chi cục THADS số {n}", "", "chi_cuc_thads", "tỉnh Sơn La", "Cục THADS tỉnh Sơn La"] for n in range(200)]
    )
    with django_assert_num_queries(2):
        assert excel.check_unit_rows(rows).is_valid


# ---------------------------------------------------------------------------------------------
# Importing (services.units_import)
# ---------------------------------------------------------------------------------------------


def test_an_import_creates_parents_first_with_their_name_history():
    result = check(
        [
            ["Chi cục THADS huyện Mai Sơn", "CC Mai Sơn", "chi_cuc_thads", "tỉnh Sơn La", "Cục THADS tỉnh Sơn La",
             "01/01/2010"],
            ["Cục THADS tỉnh Sơn La", "", "cuc_thads", "tỉnh Sơn La", "", date(2005, 1, 1)],
        ]
    )  # fmt: skip
    chi_cuc, cuc = services.units_import(rows=result.import_rows())
    assert chi_cuc.parent == cuc
    assert cuc.pk < chi_cuc.pk
    assert chi_cuc.province == Province.objects.get(name="tỉnh Sơn La")
    assert list(chi_cuc.names.values_list("name", "short_name", "valid_from")) == [
        ("Chi cục THADS huyện Mai Sơn", "CC Mai Sơn", date(2010, 1, 1))
    ]
    assert selectors.unit_name_on(cuc, date(2018, 1, 1)) == "Cục THADS tỉnh Sơn La"


def test_an_import_with_a_name_taken_meanwhile_saves_nothing():
    result = check([["Sở Tư pháp tỉnh A", "", "so_tu_phap"], ["Sở Tư pháp tỉnh B", "", "so_tu_phap"]])
    make_unit("Sở Tư pháp tỉnh B")
    with pytest.raises(RegionsError) as caught:
        services.units_import(rows=result.import_rows())
    assert caught.value.message == "Dòng 3: Đã có đơn vị tên “Sở Tư pháp tỉnh B”."
    assert not Unit.objects.filter(name="Sở Tư pháp tỉnh A").exists()


def test_an_import_stops_at_a_broken_rule_and_saves_nothing():
    rows = [
        services.UnitImportRow(number=2, name="Cục THADS tỉnh A", kind=Unit.Kind.CUC_THADS),
        services.UnitImportRow(number=3, name="Chi cục THADS huyện B", kind=Unit.Kind.CHI_CUC_THADS),
    ]
    with pytest.raises(RegionsError) as caught:
        services.units_import(rows=rows)
    assert caught.value.message == "Dòng 3: Chi cục Thi hành án dân sự phải trực thuộc một Cục Thi hành án dân sự."
    assert not UnitName.objects.filter(name="Cục THADS tỉnh A").exists()


def test_an_import_refuses_rows_that_name_each_other_as_parent():
    rows = [
        services.UnitImportRow(number=2, name="Đơn vị A", kind=Unit.Kind.OTHER, parent_number=3),
        services.UnitImportRow(number=3, name="Đơn vị B", kind=Unit.Kind.OTHER, parent_number=2),
    ]
    with pytest.raises(RegionsError):
        services.units_import(rows=rows)
    assert not Unit.objects.filter(name__startswith="Đơn vị").exists()


def test_an_invalid_check_gives_no_rows_to_import():
    with pytest.raises(RegionsError):
        check([["", "", "so_tu_phap"]]).import_rows()
