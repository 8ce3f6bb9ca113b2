"""A scoring table's criteria in Excel: the .xlsx template, and reading and checking an uploaded sheet.

The column headings are Vietnamese and fixed whatever the interface language: they are the file
format the reader matches (in any case, with or without extra spaces). The rows of a sheet are
parsed by the criteria editor's own parsers (``awards.table_content``), so that a bad cell gets the
same message in both places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import xlsx
from core.xlsx import TITLE, WRAP, new_workbook

from .errors import AwardsError
from .table_content import (
    CODE_MAX,
    CODE_REQUIRED,
    CODE_TOO_LONG,
    GROUP_TITLE_MAX,
    KIND_NAMES,
    MAX_CRITERIA,
    TEXT_REQUIRED,
    TITLE_TOO_LONG,
    ContentRow,
    check_content,
    parse_group_number,
    parse_kind,
    parse_points,
)

# Formatted but empty rows are skipped; past this many rows of any kind the sheet is refused, so that a
# crafted file cannot keep the reader busy.
MAX_SCANNED_ROWS = 5_000
HEADER_SEARCH_ROWS = 10  # the heading row may sit under a title or two
SHEET_CRITERIA = "Tiêu chí"
SHEET_GUIDE = "Hướng dẫn"

Column = xlsx.Column

COLUMNS: tuple[Column, ...] = (
    Column(
        "group",
        "Nhóm",
        8,
        True,
        gettext_lazy("The group's number, 1, 2, 3 … or I, II, III …; rows of a group need not be next to each other."),
    ),
    Column(
        "group_title",
        "Tên nhóm",
        40,
        False,
        gettext_lazy("The group's title, on at least one of its rows; other rows of the group may leave it empty."),
    ),
    Column("code", "Mã tiêu chí", 12, True, gettext_lazy("e.g. 1.1; each code once in the table.")),
    Column("text", "Nội dung tiêu chí", 70, True, gettext_lazy("What the unit is scored on.")),
    Column("max_points", "Điểm chuẩn", 12, True, gettext_lazy("The maximum points, above 0, e.g. 10 or 2,5.")),
    Column(
        "kind",
        "Loại",
        14,
        False,
        gettext_lazy("Tiêu chí, Điểm cộng or Điểm trừ; empty means Tiêu chí. Only criteria count in the maximum."),
    ),
)
FIELDS = tuple(column.field for column in COLUMNS)

EXAMPLE_ROWS = (
    (1, "Thực hiện chế độ báo cáo", "1.1", "Gửi báo cáo công tác tư pháp đúng thời hạn", 2, KIND_NAMES["standard"]),
    (2, "Điểm cộng", "2.1", "Có mô hình hay, cách làm mới được Bộ Tư pháp ghi nhận", 5, KIND_NAMES["bonus"]),
)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


class SheetRow(xlsx.SheetRow):
    """One non-empty row of the criteria sheet, as text (see ``core.xlsx.SheetRow``)."""

    field_names = FIELDS


CRITERIA_SHEET = xlsx.SheetFormat(
    SHEET_CRITERIA, COLUMNS, SheetRow, MAX_CRITERIA, MAX_SCANNED_ROWS, header_rows=HEADER_SEARCH_ROWS
)


def read_criteria_sheet(source: IO[bytes]) -> list[SheetRow]:
    """The non-empty rows under the heading row of the workbook's "Tiêu chí" sheet (or its first sheet)."""
    try:
        rows = xlsx.read_rows(source, CRITERIA_SHEET)
    except xlsx.MissingHeadings as error:
        headings = ", ".join(f"“{column.heading}”" for column in COLUMNS if column.required)
        raise AwardsError(
            _("The sheet has no row with the template's column headings (%(columns)s); use the template.")
            % {"columns": headings},
            field="file",
        ) from error
    except xlsx.TooManyRows as error:
        raise AwardsError(
            _("The sheet has more than %(count)s criteria; a table cannot hold more.") % {"count": MAX_CRITERIA},
            field="file",
        ) from error
    except xlsx.UnreadableWorkbook as error:
        raise AwardsError(error.message, field="file") from error
    if not rows:
        raise AwardsError(_("The sheet has no criteria under its headings."), field="file")
    return rows


# ---------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------


def _parse(row: SheetRow, name: str, parser, errors: dict[str, list[str]]):
    try:
        return parser(row.get(name))
    except ValidationError as error:
        errors.setdefault(name, []).extend(str(message) for message in error.messages)
        return None


def parse_sheet_row(row: SheetRow) -> ContentRow:
    errors: dict[str, list[str]] = {name: [message] for name, message in row.formula_errors().items()}
    group = _parse(row, "group", parse_group_number, errors)
    points = _parse(row, "max_points", parse_points, errors)
    kind = _parse(row, "kind", parse_kind, errors)
    title, code, text = row.get("group_title"), row.get("code"), row.get("text")
    if len(title) > GROUP_TITLE_MAX:
        errors.setdefault("group_title", []).append(str(TITLE_TOO_LONG) % {"limit_value": GROUP_TITLE_MAX})
        title = ""
    if not code:
        errors.setdefault("code", []).append(str(CODE_REQUIRED))
    elif len(code) > CODE_MAX:
        errors.setdefault("code", []).append(str(CODE_TOO_LONG) % {"limit_value": CODE_MAX})
    if not text:
        errors.setdefault("text", []).append(str(TEXT_REQUIRED))
    return ContentRow(
        number=row.number,
        group=group,
        group_title=title,
        code=code,
        text=text,
        max_points=points,
        kind=kind or "",
        errors=errors,
    )


@dataclass
class SheetCheck:
    rows: list[ContentRow]

    @property
    def bad_rows(self) -> list[ContentRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.bad_rows


def check_sheet_rows(sheet_rows: Sequence[SheetRow]) -> SheetCheck:
    """Every row as understood, with every reason it cannot be imported; saves nothing."""
    rows = [parse_sheet_row(row) for row in sheet_rows]
    check_content(rows)
    return SheetCheck(rows=rows)


# ---------------------------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------------------------


def template_workbook() -> bytes:
    """The criteria sheet with its headings and two example rows, and a guide sheet."""
    workbook = new_workbook()
    xlsx.set_properties(workbook, _("Scoring table template"))
    sheet = workbook.active
    sheet.title = SHEET_CRITERIA
    xlsx.heading_row(sheet, COLUMNS)
    for row in EXAMPLE_ROWS:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=2, max_row=1 + len(EXAMPLE_ROWS)):
        row[FIELDS.index("text")].alignment = WRAP
    xlsx.list_check(
        sheet,
        position=FIELDS.index("kind") + 1,
        formula='"{}"'.format(",".join(KIND_NAMES.values())),
        error=_("Write Tiêu chí, Điểm cộng or Điểm trừ."),
        last_row=MAX_CRITERIA + 1,
    )

    guide = workbook.create_sheet(SHEET_GUIDE)
    guide.append([_("How to fill in the “Tiêu chí” sheet")])
    guide["A1"].font = TITLE
    guide.append(
        [_("One criterion a row, under the headings; do not change the headings. Replace the two example rows.")]
    )
    guide.append([_("Nothing is saved until every row is valid; the import replaces the table's criteria.")])
    guide.append([])
    xlsx.column_guide(guide, COLUMNS)
    xlsx.set_widths(guide, (22, 12, 90))
    return xlsx.workbook_bytes(workbook)
