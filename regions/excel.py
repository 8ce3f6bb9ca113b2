"""Excel in and out: the unit import template, reading and checking its rows, and the unit and roster exports.

The import file's column headings are Vietnamese and fixed whatever the interface language: they are
the file format the reader matches. The rest of each workbook (guidance, export headings) goes
through gettext.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter, quote_sheetname

from core import xlsx
from core.xlsx import BOLD, EXCEL_DATE_FORMAT, TITLE, bold_row, cells, day_cell, new_workbook, set_widths

from .errors import RegionsError
from .models import Province, Region, RegionMembership, RegionTerm, Unit, UnitKind
from .selectors import unit_name_key, units_by_name_key
from .services import UnitImportRow
from .terms import role_label

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Formatted but empty rows are skipped; past this many rows of any kind a sheet is refused, so that a
# crafted file cannot keep the reader busy.
MAX_SCANNED_ROWS = 50_000

SHEET_UNITS = "Đơn vị"
SHEET_GUIDE = "Hướng dẫn"

ImportColumn = xlsx.Column

IMPORT_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "name",
        "Tên đơn vị",
        50,
        True,
        gettext_lazy(
            "The unit's full name. It must differ from the current name of every existing unit and from the other rows."
        ),
    ),
    ImportColumn("short_name", "Tên viết tắt", 24, False, gettext_lazy("A short name, e.g. “STP Lâm Đồng”.")),
    ImportColumn(
        "kind",
        "Loại đơn vị",
        36,
        True,
        gettext_lazy("One of the kinds listed on the “Hướng dẫn” sheet: its name (e.g. Sở Tư pháp) or its code."),
    ),
    ImportColumn(
        "province",
        "Tỉnh/thành phố",
        26,
        False,
        gettext_lazy("A province or city listed on the “Hướng dẫn” sheet, e.g. tỉnh Lâm Đồng."),
    ),
    ImportColumn(
        "parent",
        "Đơn vị cấp trên",
        50,
        False,
        gettext_lazy(
            "Required for a Chi cục THADS: the current name of its Cục THADS, an existing unit or another row of "
            "the file."
        ),
    ),
    ImportColumn(
        "active_from", "Hoạt động từ ngày", 20, False, gettext_lazy("A date cell, or a date written dd/mm/yyyy.")
    ),
    ImportColumn(
        "active_to",
        "Hoạt động đến ngày",
        20,
        False,
        gettext_lazy("A date cell, or a date written dd/mm/yyyy; not before the start date. Empty while it exists."),
    ),
)
FIELDS = tuple(column.field for column in IMPORT_COLUMNS)

# The kind names the template offers (as the Vietnamese interface shows them); the codes are accepted too.
KIND_NAMES: dict[str, str] = {
    UnitKind.SO_TU_PHAP: "Sở Tư pháp",
    UnitKind.CUC_THADS: "Cục Thi hành án dân sự",
    UnitKind.CHI_CUC_THADS: "Chi cục Thi hành án dân sự",
    UnitKind.THADS_TINH: "Thi hành án dân sự tỉnh, thành phố",
    UnitKind.PHONG_THADS_KHU_VUC: "Phòng Thi hành án dân sự khu vực",
    UnitKind.OTHER: "Khác",
}
KIND_SHORT_NAMES: dict[str, str] = {
    "STP": UnitKind.SO_TU_PHAP,
    "Cục THADS": UnitKind.CUC_THADS,
    "Chi cục THADS": UnitKind.CHI_CUC_THADS,
    "THADS tỉnh": UnitKind.THADS_TINH,
    "Thi hành án dân sự tỉnh": UnitKind.THADS_TINH,
    "Phòng THADS khu vực": UnitKind.PHONG_THADS_KHU_VUC,
}
# The kind a unit's parent must have; a Chi cục must have one.
PARENT_KIND: dict[str, str] = {
    UnitKind.CHI_CUC_THADS: UnitKind.CUC_THADS,
    UnitKind.PHONG_THADS_KHU_VUC: UnitKind.THADS_TINH,
}
PROVINCE_PREFIXES = ("thành phố ", "tỉnh ", "tp. ", "tp ")
NAME_MAX, SHORT_NAME_MAX = 255, 100

_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

EXAMPLE_ROW = (
    "Chi cục Thi hành án dân sự huyện Mai Sơn",
    "Chi cục THADS Mai Sơn",
    KIND_NAMES[UnitKind.CHI_CUC_THADS],
    "tỉnh Sơn La",
    "Cục Thi hành án dân sự tỉnh Sơn La",
    date(2010, 1, 1),
    date(2025, 6, 30),
)


# ---------------------------------------------------------------------------------------------
# Reading the uploaded sheet
# ---------------------------------------------------------------------------------------------


def _key(value: str) -> str:
    return unit_name_key(value)


class SheetRow(xlsx.SheetRow):
    """One non-empty row of the uploaded sheet: its number in Excel and each column's text.

    Dates read from date cells are already written dd/mm/yyyy, so that the row can wait in the
    session as JSON and be checked again on confirmation exactly as on the preview.
    """

    field_names = FIELDS


UNIT_SHEET = xlsx.SheetFormat(SHEET_UNITS, IMPORT_COLUMNS, SheetRow, MAX_ROWS, MAX_SCANNED_ROWS)


def read_unit_sheet(source: IO[bytes]) -> list[SheetRow]:
    """The non-empty rows under the heading row of the uploaded workbook's first sheet (or its "Đơn vị" sheet)."""
    return read_sheet_rows(source, UNIT_SHEET, empty=_("The sheet has no unit rows under its headings."))


def read_sheet_rows(source: IO[bytes], sheet: xlsx.SheetFormat, *, empty: str) -> list[xlsx.SheetRow]:
    """The rows of an uploaded sheet of ``sheet``'s format, or a RegionsError on the file field saying what is
    wrong with it (missing headings, too many rows, not a workbook; ``empty`` when no row is under the headings)."""
    try:
        rows = xlsx.read_rows(source, sheet)
    except xlsx.MissingHeadings as error:
        raise RegionsError(
            _("The first row of the sheet must hold the column headings of the template; missing: %(columns)s.")
            % {"columns": ", ".join(column.heading for column in error.missing)},
            field="file",
        ) from error
    except xlsx.TooManyRows as error:
        raise RegionsError(
            _("The sheet has more than %(count)s rows; split it into several files.") % {"count": sheet.max_rows},
            field="file",
        ) from error
    except xlsx.UnreadableWorkbook as error:
        raise RegionsError(error.message, field="file") from error
    if not rows:
        raise RegionsError(empty, field="file")
    return rows


# ---------------------------------------------------------------------------------------------
# Checking the rows
# ---------------------------------------------------------------------------------------------


@dataclass
class RowCheck:
    """A row as understood, with every reason it cannot be imported."""

    number: int
    name: str
    short_name: str
    kind: str  # the code; empty when not understood
    kind_text: str
    province: Province | None
    province_text: str
    parent_text: str
    active_from: date | None
    active_to: date | None
    active_from_text: str
    active_to_text: str
    parent_unit: Unit | None = None
    parent_number: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        """The errors, as the import preview lists them (``includes/import_check.html``)."""
        return self.errors

    @property
    def kind_label(self) -> str:
        return str(UnitKind(self.kind).label) if self.kind else self.kind_text

    def as_import_row(self) -> UnitImportRow:
        return UnitImportRow(
            number=self.number,
            name=self.name,
            kind=self.kind,
            short_name=self.short_name,
            province=self.province,
            parent=self.parent_unit,
            parent_number=self.parent_number,
            active_from=self.active_from,
            active_to=self.active_to,
        )


@dataclass
class ImportCheck:
    rows: list[RowCheck]

    @property
    def bad_rows(self) -> list[RowCheck]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.bad_rows

    def import_rows(self) -> list[UnitImportRow]:
        if not self.is_valid:
            raise RegionsError(_("The file has rows with errors: nothing was imported."), field="file")
        return [row.as_import_row() for row in self.rows]


def parse_day(text: str) -> date | None:
    """A date written dd/mm/yyyy (or d-m-yyyy, d.m.yyyy, yyyy-mm-dd); ``None`` for empty text.

    Raises ``ValueError`` for anything else.
    """
    text = text.strip()
    if not text:
        return None
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DAY.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(text)
    return date(year, month, day)


def kind_aliases() -> dict[str, str]:
    """Each accepted spelling of a kind (by its key): code, Vietnamese name, label in either language, short form."""
    aliases = {_key(name): code for name, code in KIND_SHORT_NAMES.items()}
    with translation.override(None):
        source_labels = {code: str(UnitKind(code).label) for code in UnitKind.values}
    for code in UnitKind.values:
        for name in (code, KIND_NAMES[code], str(UnitKind(code).label), source_labels[code]):
            aliases[_key(name)] = code
    return aliases


def kind_code(text: str, aliases: dict[str, str] | None = None) -> str | None:
    """The kind code meant by ``text``, or ``None``."""
    return (aliases or kind_aliases()).get(_key(text))


def _bare_province_name(name: str) -> str:
    lowered = _key(name)
    for prefix in PROVINCE_PREFIXES:
        if lowered.startswith(prefix):
            return lowered.removeprefix(prefix)
    return lowered


def _province_index(provinces: Iterable[Province]) -> dict[str, list[Province]]:
    index: dict[str, list[Province]] = {}
    for province in provinces:
        for alias in {_key(province.name), _key(province.code), _bare_province_name(province.name)}:
            index.setdefault(alias, []).append(province)
    return index


def _find_province(text: str, index: dict[str, list[Province]], day: date) -> tuple[Province | None, str]:
    """The province meant by ``text`` (the one in force on ``day`` when a name was used twice), or an error."""
    candidates = index.get(_key(text)) or index.get(_bare_province_name(text)) or []
    if len(candidates) > 1:
        candidates = [province for province in candidates if province.is_valid_on(day)]
    if not candidates:
        return None, _("Unknown province or city “%(value)s”.") % {"value": text}
    if len(candidates) > 1:
        return None, _("“%(value)s” could mean several provinces; write it as on the “Hướng dẫn” sheet.") % {
            "value": text
        }
    return candidates[0], ""


def _parse_row(row: SheetRow, provinces: dict[str, list[Province]], kinds: dict[str, str], today: date) -> RowCheck:
    errors: list[str] = list(row.formula_errors().values())
    name, short_name = row.get("name"), row.get("short_name")
    if not name:
        errors.append(_("Enter the unit's name."))
    elif len(name) > NAME_MAX:
        errors.append(_("The name is longer than %(count)s characters.") % {"count": NAME_MAX})
    if len(short_name) > SHORT_NAME_MAX:
        errors.append(_("The short name is longer than %(count)s characters.") % {"count": SHORT_NAME_MAX})
    kind_text = row.get("kind")
    kind = kind_code(kind_text, kinds) if kind_text else None
    if not kind_text:
        errors.append(_("Enter the unit's kind."))
    elif kind is None:
        errors.append(
            _("Unknown unit kind “%(value)s”: use a name or a code listed on the “Hướng dẫn” sheet.")
            % {"value": kind_text}
        )
    days: dict[str, date | None] = {}
    for column in IMPORT_COLUMNS[5:]:
        try:
            days[column.field] = parse_day(row.get(column.field))
        except ValueError:
            days[column.field] = None
            errors.append(
                _("%(column)s: “%(value)s” is not a date; write it dd/mm/yyyy.")
                % {"column": column.heading, "value": row.get(column.field)}
            )
    active_from, active_to = days["active_from"], days["active_to"]
    if active_from and active_to and active_to < active_from:
        errors.append(_("The end date cannot be before the start date."))
    province = None
    if province_text := row.get("province"):
        province, error = _find_province(province_text, provinces, active_from or today)
        if error:
            errors.append(error)
        elif active_from and not province.is_valid_on(active_from):
            errors.append(
                _("%(province)s is not in force on the start date %(day)s.")
                % {"province": province.name, "day": date_format(active_from, "SHORT_DATE_FORMAT")}
            )
    return RowCheck(
        number=row.number,
        name=name,
        short_name=short_name,
        kind=kind or "",
        kind_text=kind_text,
        province=province,
        province_text=province_text,
        parent_text=row.get("parent"),
        active_from=active_from,
        active_to=active_to,
        active_from_text=row.get("active_from"),
        active_to_text=row.get("active_to"),
        errors=errors,
    )


def _check_names(rows: list[RowCheck], existing: dict[str, list[Unit]]) -> dict[str, list[RowCheck]]:
    in_file: dict[str, list[RowCheck]] = {}
    for row in rows:
        if row.name:
            in_file.setdefault(_key(row.name), []).append(row)
    for key, same in in_file.items():
        for row in same:
            others = [str(other.number) for other in same if other is not row]
            if others:
                row.errors.append(_("The same name is in row %(rows)s of this file.") % {"rows": ", ".join(others)})
            if key in existing:
                row.errors.append(_("A unit named “%(name)s” already exists.") % {"name": row.name})
    return in_file


def _resolve_parent(row: RowCheck, in_file: dict[str, list[RowCheck]], existing: dict[str, list[Unit]]) -> str | None:
    """Links the row to its parent; returns the parent's kind ("" if unknown), or ``None`` when there is none."""
    key = _key(row.parent_text)
    if key in in_file:
        parent = in_file[key][0]
        if parent is row:
            row.errors.append(_("A unit cannot be its own parent."))
            return ""
        row.parent_number = parent.number
        return parent.kind
    units = existing.get(key, [])
    if len(units) > 1:
        row.errors.append(
            _("Several existing units are named “%(name)s”; the parent unit cannot be chosen.")
            % {"name": row.parent_text}
        )
        return ""
    if not units:
        row.errors.append(
            _("Unknown parent unit “%(name)s”: it is neither an existing unit nor a row of this file.")
            % {"name": row.parent_text}
        )
        return ""
    row.parent_unit = units[0]
    return units[0].kind


def _check_parents(rows: list[RowCheck], in_file: dict[str, list[RowCheck]], existing: dict[str, list[Unit]]) -> None:
    for row in rows:
        parent_kind = _resolve_parent(row, in_file, existing) if row.parent_text else None
        expected = PARENT_KIND.get(row.kind)
        if parent_kind is None and row.kind == UnitKind.CHI_CUC_THADS:
            row.errors.append(_("A Chi cục THADS must belong to a Cục THADS."))
        elif parent_kind and expected and parent_kind != expected:
            row.errors.append(_("The parent of this unit must be a %(kind)s.") % {"kind": UnitKind(expected).label})
    _check_parent_loops(rows)


def _check_parent_loops(rows: list[RowCheck]) -> None:
    by_number = {row.number: row for row in rows}
    in_loop: set[int] = set()
    for row in rows:
        seen: list[int] = []
        current: RowCheck | None = row
        while current is not None and current.number not in seen:
            seen.append(current.number)
            current = by_number.get(current.parent_number) if current.parent_number is not None else None
        if current is not None and current.number == row.number:
            in_loop.add(row.number)
    for number in sorted(in_loop):
        by_number[number].errors.append(_("A unit cannot be placed under one of its own sub-units."))


def check_unit_rows(
    sheet_rows: Sequence[SheetRow],
    *,
    provinces: Iterable[Province] | None = None,
    existing: dict[str, list[Unit]] | None = None,
    today: date | None = None,
) -> ImportCheck:
    """Every row as understood, with all the reasons it cannot be imported; saves nothing.

    Reads the provinces and the existing units' names in two queries unless they are given.
    """
    index = _province_index(Province.objects.all() if provinces is None else provinces)
    existing = units_by_name_key() if existing is None else existing
    today = today or timezone.localdate()
    kinds = kind_aliases()
    rows = [_parse_row(row, index, kinds, today) for row in sheet_rows]
    in_file = _check_names(rows, existing)
    _check_parents(rows, in_file, existing)
    return ImportCheck(rows=rows)


# ---------------------------------------------------------------------------------------------
# Writing workbooks
# ---------------------------------------------------------------------------------------------


def import_template(provinces: Sequence[Province]) -> bytes:
    """The unit import template: the heading row to fill, and a guide sheet with the allowed values."""
    workbook = new_workbook()
    xlsx.set_properties(workbook, _("Unit import template"))
    sheet = workbook.active
    sheet.title = SHEET_UNITS
    xlsx.heading_row(sheet, IMPORT_COLUMNS)
    for position, column in enumerate(IMPORT_COLUMNS, start=1):
        if column.field.startswith("active_"):
            sheet.column_dimensions[get_column_letter(position)].number_format = EXCEL_DATE_FORMAT

    guide = workbook.create_sheet(SHEET_GUIDE)
    kinds_range, provinces_range = _write_guide(guide, provinces)
    last = MAX_ROWS + 1
    for field_name, source in (("kind", kinds_range), ("province", provinces_range)):
        # The codes (so_tu_phap ...) and other spellings are accepted too.
        xlsx.list_check(
            sheet,
            position=FIELDS.index(field_name) + 1,
            formula=f"{quote_sheetname(SHEET_GUIDE)}!{source}",
            error=_("This value is not in the list on the “Hướng dẫn” sheet."),
            last_row=last,
        )
    return xlsx.workbook_bytes(workbook)


def _write_guide(guide, provinces: Sequence[Province]) -> tuple[str, str]:
    """Fills the guide sheet; returns the cell ranges of the kind names and of the province names."""
    guide.append([_("How to fill in the “Đơn vị” sheet")])
    guide["A1"].font = TITLE
    guide.append(
        [
            _(
                "One unit a row, under the headings; do not change the headings. "
                "Nothing is saved until every row is valid."
            )
        ]
    )
    guide.append([])
    xlsx.column_guide(guide, IMPORT_COLUMNS)
    guide.append([])
    guide.append([_("Example")])
    guide.cell(row=guide.max_row, column=1).font = BOLD
    guide.append([column.heading for column in IMPORT_COLUMNS])
    bold_row(guide, guide.max_row)
    guide.append(list(EXAMPLE_ROW))
    for position, value in enumerate(EXAMPLE_ROW, start=1):
        if isinstance(value, date):
            guide.cell(row=guide.max_row, column=position).number_format = EXCEL_DATE_FORMAT
    guide.append([])

    guide.append([_("Unit kind: write the name or the code"), _("Code")])
    bold_row(guide, guide.max_row)
    first = guide.max_row + 1
    for code, name in KIND_NAMES.items():
        guide.append([name, code])
    kinds_range = f"$A${first}:$A${guide.max_row}"
    guide.append([])

    guide.append([_("Province or city"), _("In force from"), _("In force until")])
    bold_row(guide, guide.max_row)
    first = guide.max_row + 1
    for province in provinces:
        guide.append([province.name, province.valid_from, province.valid_to])
        for position in (2, 3):
            guide.cell(row=guide.max_row, column=position).number_format = EXCEL_DATE_FORMAT
    provinces_range = f"$A${first}:$A${guide.max_row}"
    set_widths(guide, (50, 22, 60, 26, 50, 20, 20))
    return kinds_range, provinces_range


def units_workbook(units: Iterable[Unit], *, year: int | None, regions: dict[int, Region] | None = None) -> bytes:
    """The unit list: names (own and parent's) as of the year when a year is given, dates as real dates.

    Each unit carries ``name_on_day`` and ``parent_name_on_day`` (``selectors.units_for_list``); with a
    year, also ``year_region_id`` and ``year_role``, the regions coming in ``regions``.
    """
    workbook = new_workbook(write_only=True)
    title = _("Units in %(year)s") % {"year": year} if year else _("Units")
    xlsx.set_properties(workbook, title)
    sheet = workbook.create_sheet(xlsx.sheet_title(title))
    headings = [
        _("No."),
        _("Unit name"),
        _("Short name"),
        _("Kind of unit"),
        _("Province or city"),
        _("Parent unit"),
        _("Active from"),
        _("Active until"),
    ]
    widths = [6, 50, 24, 34, 26, 50, 14, 14]
    if year:
        headings += [_("Region in %(year)s") % {"year": year}, _("Role in the region")]
        widths += [45, 22]
    set_widths(sheet, widths)
    sheet.freeze_panes = "A2"
    sheet.append(cells(sheet, headings, BOLD))
    regions = regions or {}
    for number, unit in enumerate(units, start=1):
        row = [
            number,
            getattr(unit, "name_on_day", unit.name),
            unit.short_name,
            unit.get_kind_display(),
            _province_on_day(unit),
            getattr(unit, "parent_name_on_day", "") or "",
            day_cell(sheet, unit.active_from),
            day_cell(sheet, unit.active_to),
        ]
        if year:
            region = regions.get(getattr(unit, "year_region_id", None))
            role = getattr(unit, "year_role", None)
            row += [
                getattr(region, "region_name_on_day", "") if region else "",
                str(role_label(role, getattr(region, "region_term_on_day", ""))) if role else "",
            ]
        sheet.append(row)
    return xlsx.workbook_bytes(workbook)


def _province_on_day(record) -> str:
    """The province of the day the list shows (``selectors.with_unit_provinces_on``), else the unit's latest."""
    if hasattr(record, "province_name_on_day"):
        return record.province_name_on_day or ""
    unit = getattr(record, "unit", record)
    return unit.province.name if unit.province_id else ""


def roster_workbook(
    *, region_name: str, year: int, memberships: Iterable[RegionMembership], term: str = RegionTerm.KHU_VUC
) -> bytes:
    """A region-year roster under two title rows; each membership carries ``name_on_day`` and its province of that
    year (``selectors.roster``); roles are named with the region's ``term`` of that year (Trưởng khu vực, cụm…)."""
    workbook = new_workbook(write_only=True)
    xlsx.set_properties(workbook, _("%(region)s: roster for %(year)s") % {"region": region_name, "year": year})
    sheet = workbook.create_sheet(xlsx.sheet_title(_("Roster %(year)s") % {"year": year}))
    set_widths(sheet, [6, 50, 34, 26, 22, 18])
    sheet.freeze_panes = "A5"
    title = WriteOnlyCell(sheet, value=region_name)
    title.font = TITLE
    sheet.append([title])
    sheet.append([_("Year %(year)s") % {"year": year}])
    sheet.append([])
    sheet.append(
        cells(
            sheet,
            [_("No."), _("Unit name"), _("Kind of unit"), _("Province or city"), _("Role"), _("Rotation order")],
            BOLD,
        )
    )
    for number, membership in enumerate(memberships, start=1):
        unit = membership.unit
        sheet.append(
            [
                number,
                getattr(membership, "name_on_day", unit.name),
                unit.get_kind_display(),
                _province_on_day(membership),
                str(role_label(membership.role, term)),
                membership.rotation_position,
            ]
        )
    return xlsx.workbook_bytes(workbook)
