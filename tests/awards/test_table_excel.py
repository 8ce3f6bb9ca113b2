"""Reading and checking a scoring table's criteria from a workbook, the template, and the shared parsers."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from awards import table_excel
from awards.errors import AwardsError
from awards.table_content import (
    ContentRow,
    check_content,
    content_groups,
    parse_group_number,
    parse_kind,
    parse_points,
    points_text,
    roman,
)

pytestmark = pytest.mark.django_db

HEADINGS = ["Nhóm", "Tên nhóm", "Mã tiêu chí", "Nội dung tiêu chí", "Điểm chuẩn", "Loại"]


def workbook(rows: list[list], *, headings=HEADINGS, above: list[list] = (), sheet_title: str = "Sheet") -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for row in [*above, headings, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def read_and_check(rows: list[list], **kwargs) -> table_excel.SheetCheck:
    return table_excel.check_sheet_rows(table_excel.read_criteria_sheet(workbook(rows, **kwargs)))


# --- the shared parsers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "text"), [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL"), (49, "XLIX"), (99, "XCIX")]
)
def test_roman_numerals_go_both_ways(number, text):
    assert roman(number) == text
    assert parse_group_number(text) == number
    assert parse_group_number(text.lower() + ".") == number


@pytest.mark.parametrize("value", ["0", "100", "IIII", "1.5", "A", "-1"])
def test_a_group_number_must_be_1_to_99(value):
    with pytest.raises(ValidationError):
        parse_group_number(value)


@pytest.mark.parametrize(
    ("value", "points"),
    [("10", Decimal("10")), ("2,5", Decimal("2.5")), (" 0.25 ", Decimal("0.25")), (7.5, Decimal("7.5"))],
)
def test_points_are_read_with_a_decimal_point_or_comma(value, points):
    assert parse_points(value) == points


@pytest.mark.parametrize("value", ["", "mười", "0", "-1", "1.005", "100000", "NaN", "Infinity", "1,000.5.2"])
def test_maximum_points_must_be_a_positive_number_with_two_decimals_at_most(value):
    with pytest.raises(ValidationError):
        parse_points(value)


def test_a_grade_may_start_at_zero_but_not_below():
    assert parse_points("0", allow_zero=True) == Decimal("0")
    with pytest.raises(ValidationError):
        parse_points("-0.5", allow_zero=True)


def test_points_are_shown_without_trailing_zeros():
    assert [points_text(Decimal(v)) for v in ("20.00", "2.50", "0.25", "100")] == ["20", "2.5", "0.25", "100"]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("", "standard"),
        ("Tiêu chí", "standard"),
        ("ĐIỂM CỘNG", "bonus"),
        ("điểm  trừ", "deduction"),
        ("bonus", "bonus"),
    ],
)
def test_kinds_are_read_from_their_vietnamese_names(value, kind):
    assert parse_kind(value) == kind


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError):
        parse_kind("Điểm thưởng")


def _row(number, group, title, code, points=Decimal("1"), kind="standard") -> ContentRow:
    return ContentRow(number, group, title, code, f"Tiêu chí {code}", points, kind)


def test_rows_are_grouped_by_number_in_order_and_titled_by_their_first_title():
    rows = [_row(1, 2, "Hai", "2.1"), _row(2, 1, "", "1.1"), _row(3, 1, "Một", "1.2"), _row(4, 2, "Hai", "2.2")]
    check_content(rows)
    assert [row.errors for row in rows] == [{}, {}, {}, {}]
    groups = content_groups(rows)
    assert [(g.title, [c.code for c in g.criteria]) for g in groups] == [
        ("Một", ["1.1", "1.2"]),
        ("Hai", ["2.1", "2.2"]),
    ]


def test_cross_row_mistakes_are_put_on_the_row_that_makes_them():
    rows = [_row(2, 1, "Một", "1.1"), _row(3, 1, "Khác", "1.2"), _row(4, 2, "", "1.1"), _row(5, 2, "", "2.2")]
    check_content(rows)
    assert list(rows[0].errors) == []
    assert list(rows[1].errors) == ["group_title"]  # another title for group 1
    assert sorted(rows[2].errors) == ["code", "group_title"]  # 1.1 again; group 2 has no title
    assert "2" in rows[2].errors["code"][0]  # the row the code was first used in
    assert list(rows[3].errors) == []


# --- reading a workbook -----------------------------------------------------------------------------------


def test_a_workbook_is_read_whatever_the_column_order_and_cell_types():
    headings = ["Điểm chuẩn", "mã tiêu chí", " Nội  dung tiêu chí ", "NHÓM", "Tên nhóm"]  # no "Loại" column
    rows = [[10, "1.1", "Báo cáo đúng hạn", 1, "Báo cáo"], ["2,5", 1.2, "Báo cáo\u00a0đầy đủ", "I.", None]]
    check = read_and_check(rows, headings=headings)
    assert check.is_valid
    assert [(r.number, r.group, r.code, r.text, r.max_points, r.kind) for r in check.rows] == [
        (2, 1, "1.1", "Báo cáo đúng hạn", Decimal("10"), "standard"),
        (3, 1, "1.2", "Báo cáo đầy đủ", Decimal("2.5"), "standard"),
    ]


def test_the_heading_row_may_sit_under_a_title_and_empty_rows_are_skipped():
    rows = [[1, "Báo cáo", "1.1", "Đúng hạn", 2, None], [None] * 6, [1, None, "1.2", "Đầy đủ", 3, "Điểm trừ"]]
    check = read_and_check(rows, above=[["BẢNG TIÊU CHÍ CHẤM ĐIỂM THI ĐUA NĂM 2024"], []])
    assert check.is_valid
    assert [(row.number, row.kind) for row in check.rows] == [(4, "standard"), (6, "deduction")]


def test_the_criteria_sheet_is_preferred_to_the_first_one():
    book = Workbook()
    book.active.append(["Ghi chú"])
    sheet = book.create_sheet("Tiêu chí")
    sheet.append(HEADINGS)
    sheet.append([1, "Báo cáo", "1.1", "Đúng hạn", 2, None])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert [row.get("code") for row in table_excel.read_criteria_sheet(buffer)] == ["1.1"]


def test_each_bad_row_gets_its_excel_row_number_and_reasons():
    rows = [
        [1, "Báo cáo", "1.1", "Đúng hạn", 2, None],
        [1, None, "", "Không có mã", "hai", None],
        ["X1", None, "1.3", "", -1, "Khác"],
        [1, None, "1.1", "Trùng mã", 1, None],
    ]
    check = read_and_check(rows)
    assert not check.is_valid
    assert {row.number: sorted(row.errors) for row in check.bad_rows} == {
        3: ["code", "max_points"],
        4: ["group", "kind", "max_points", "text"],
        5: ["code"],
    }


@pytest.mark.parametrize(
    "content",
    [
        workbook([[1, "Báo cáo", "1.1", "Đúng hạn", 2, None]], headings=["STT", "Nội dung", "Điểm"]),
        workbook([]),
        io.BytesIO(b"PK\x03\x04 not really a zip"),
    ],
)
def test_a_sheet_without_headings_or_rows_or_not_a_workbook_is_refused(content):
    with pytest.raises(AwardsError) as raised:
        table_excel.read_criteria_sheet(content)
    assert raised.value.field == "file"


def test_a_sheet_longer_than_a_table_can_hold_is_refused():
    rows = [[1, "Nhóm", f"1.{n}", "Tiêu chí", 1, None] for n in range(table_excel.MAX_CRITERIA + 1)]
    with pytest.raises(AwardsError):
        table_excel.read_criteria_sheet(workbook(rows))


def test_the_rows_survive_the_session_as_json():
    rows = table_excel.read_criteria_sheet(workbook([[1, "Báo cáo", "1.1", "Đúng hạn", 2.5, "Điểm cộng"]]))
    again = [table_excel.SheetRow.from_json(row.as_json()) for row in rows]
    assert again == rows


def test_the_template_reads_back_as_two_valid_criteria():
    content = table_excel.template_workbook()
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Tiêu chí", "Hướng dẫn"]
    assert [cell.value for cell in book["Tiêu chí"][1]] == HEADINGS
    check = table_excel.check_sheet_rows(table_excel.read_criteria_sheet(io.BytesIO(content)))
    assert check.is_valid
    assert [(row.group, row.kind) for row in check.rows] == [(1, "standard"), (2, "bonus")]
