"""A scoring table's criteria in Excel: the .xlsx template, and reading and checking an uploaded sheet.

The column headings are Vietnamese and fixed whatever the interface language: they are the file
format the reader matches (in any case, with or without extra spaces). The rows of a sheet are
parsed by the criteria editor's own parsers (``forms_scoring_tables``), so that a bad cell gets the
same message in both places.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.text import nfc

from .errors import AwardsError
from .forms_scoring_tables import (
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

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Formatted but empty rows are skipped; past this many rows of any kind the sheet is refused, so that a
# crafted file cannot keep the reader busy.
MAX_SCANNED_ROWS = 5_000
HEADER_SEARCH_ROWS = 10  # the heading row may sit under a title or two
SHEET_CRITERIA = "Tiêu chí"
SHEET_GUIDE = "Hướng dẫn"


@dataclass(frozen=True)
class Column:
    field: str
    heading: str  # fixed Vietnamese: the file format
    width: int
    required: bool
    help: Any  # lazy text, shown on the import page and in the guide sheet


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


def _key(text: str) -> str:
    return " ".join(nfc(text).split()).casefold()


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    """One non-empty row of the uploaded sheet: its number in Excel and each column's text.

    Text only, so that the rows can wait in the session as JSON between the preview and the
    confirmation, and be checked again exactly as on the preview.
    """

    number: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "values": dict(self.values)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SheetRow:
        values = data.get("values") or {}
        return cls(number=int(data["number"]), values={name: str(values.get(name) or "") for name in FIELDS})


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    return " ".join(nfc(str(value)).replace("\xa0", " ").split())


def _column_positions(header: Sequence[Any]) -> dict[str, int] | None:
    titles = [_key(_cell_text(cell)) for cell in header]
    positions = {
        column.field: titles.index(_key(column.heading)) for column in COLUMNS if _key(column.heading) in titles
    }
    if all(column.field in positions for column in COLUMNS if column.required):
        return positions
    return None


def _missing_headings_error() -> AwardsError:
    headings = ", ".join(f"“{column.heading}”" for column in COLUMNS if column.required)
    return AwardsError(
        _("The sheet has no row with the template's column headings (%(columns)s); use the template.")
        % {"columns": headings},
        field="file",
    )


def _too_many_error() -> AwardsError:
    return AwardsError(
        _("The sheet has more than %(count)s criteria; a table cannot hold more.") % {"count": MAX_CRITERIA},
        field="file",
    )


def _read(source: IO[bytes]) -> list[SheetRow]:
    workbook = load_workbook(source, read_only=True, data_only=True)
    try:
        sheet = workbook[SHEET_CRITERIA] if SHEET_CRITERIA in workbook.sheetnames else workbook.worksheets[0]
        positions = None
        rows: list[SheetRow] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_SCANNED_ROWS or len(rows) > MAX_CRITERIA:
                raise _too_many_error()
            if positions is None:
                if number > HEADER_SEARCH_ROWS:
                    raise _missing_headings_error()
                positions = _column_positions(values)
                continue
            texts = {name: _cell_text(values[i]) if i < len(values) else "" for name, i in positions.items()}
            if any(texts.values()):
                rows.append(SheetRow(number=number, values={name: texts.get(name, "") for name in FIELDS}))
    finally:
        workbook.close()
    if positions is None:
        raise _missing_headings_error()
    if len(rows) > MAX_CRITERIA:
        raise _too_many_error()
    return rows


def read_criteria_sheet(source: IO[bytes]) -> list[SheetRow]:
    """The non-empty rows under the heading row of the workbook's "Tiêu chí" sheet (or its first sheet)."""
    try:
        rows = _read(source)
    except AwardsError:
        raise
    except Exception as error:  # a damaged or foreign file makes openpyxl raise almost anything
        raise AwardsError(_("The file could not be read as an Excel workbook (.xlsx)."), field="file") from error
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
    errors: dict[str, list[str]] = {}
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

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")


def template_workbook() -> bytes:
    """The criteria sheet with its headings and two example rows, and a guide sheet."""
    workbook = Workbook()
    workbook.properties.title = _("Scoring table template")
    workbook.properties.creator = _("Justice sector emulation")
    sheet = workbook.active
    sheet.title = SHEET_CRITERIA
    sheet.append([column.heading for column in COLUMNS])
    for row in EXAMPLE_ROWS:
        sheet.append(list(row))
    for position, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=position).font = BOLD
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    for row in sheet.iter_rows(min_row=2, max_row=1 + len(EXAMPLE_ROWS)):
        row[FIELDS.index("text")].alignment = WRAP
    sheet.freeze_panes = "A2"
    letter = get_column_letter(FIELDS.index("kind") + 1)
    kinds = DataValidation(
        type="list",
        formula1='"{}"'.format(",".join(KIND_NAMES.values())),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
    )
    kinds.error = _("Write Tiêu chí, Điểm cộng or Điểm trừ.")
    kinds.add(f"{letter}2:{letter}{MAX_CRITERIA + 1}")
    sheet.add_data_validation(kinds)

    guide = workbook.create_sheet(SHEET_GUIDE)
    guide.append([_("How to fill in the “Tiêu chí” sheet")])
    guide["A1"].font = TITLE
    guide.append(
        [_("One criterion a row, under the headings; do not change the headings. Replace the two example rows.")]
    )
    guide.append([_("Nothing is saved until every row is valid; the import replaces the table's criteria.")])
    guide.append([])
    guide.append([_("Column"), _("Required"), _("What to write")])
    for cell in guide[guide.max_row]:
        cell.font = BOLD
    for column in COLUMNS:
        guide.append([column.heading, _("yes") if column.required else _("no"), str(column.help)])
        guide.cell(row=guide.max_row, column=3).alignment = WRAP
    for letter, width in zip("ABC", (22, 12, 90), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
