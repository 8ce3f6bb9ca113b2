"""The registration report as an .xlsx workbook: the summary, the counts by region and the list.

The sheet names are fixed Vietnamese (people refer to them by name); the headings go through gettext.
Counts are written as numbers, not formulas, so that the file reads the same in any program.
"""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import AwardRegistration
from .reports import CountRow, Summary

SHEET_SUMMARY = "Tổng hợp"
SHEET_REGIONS = "Theo khu vực"
SHEET_LIST = "Danh sách"

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)


def _cells(sheet, values: Iterable, font: Font | None = None) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if font is not None:
            cell.font = font
        cells.append(cell)
    return cells


def _widths(sheet, widths: Iterable[int]) -> None:
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width


def _title_rows(sheet, heading: str, applied: list[tuple[str, str]]) -> None:
    sheet.append(_cells(sheet, [heading], TITLE))
    sheet.append(["; ".join(f"{label}: {value}" for label, value in applied)])
    sheet.append([])


def _counts(row: CountRow) -> list[int]:
    return [cell.count for cell in row.cells]


def _summary_sheet(workbook: Workbook, heading: str, applied, summary: Summary) -> None:
    sheet = workbook.create_sheet(SHEET_SUMMARY)
    _widths(sheet, [45, *([22] * len(summary.groups)), 12])
    _title_rows(sheet, heading, applied)
    sheet.append(_cells(sheet, [_("Award title"), *(str(g.label) for g in summary.groups), _("Total")], BOLD))
    for row in summary.rows:
        sheet.append([row.title.name, *_counts(row)])
    sheet.append(_cells(sheet, [_("Total"), *_counts(summary.total)], BOLD))


def _regions_sheet(workbook: Workbook, heading: str, applied, summary: Summary) -> None:
    sheet = workbook.create_sheet(SHEET_REGIONS)
    _widths(sheet, [50, 45, *([22] * len(summary.groups)), 12])
    _title_rows(sheet, heading, applied)
    sheet.append(
        _cells(sheet, [_("Region"), _("Award title"), *(str(g.label) for g in summary.groups), _("Total")], BOLD)
    )
    for region in summary.regions:
        for row in region.rows:
            sheet.append([region.name, row.title.name, *_counts(row)])
        sheet.append(_cells(sheet, [region.name, _("Total for the region"), *_counts(region.total)], BOLD))
    sheet.append(_cells(sheet, [_("Total"), "", *_counts(summary.total)], BOLD))


def _list_sheet(workbook: Workbook, registrations: Iterable[AwardRegistration], people: dict[int, list[str]]) -> None:
    sheet = workbook.create_sheet(SHEET_LIST)
    _widths(sheet, [6, 50, 50, 34, 40, 20, 50])
    sheet.freeze_panes = "A2"
    headings = [
        _("No."),
        _("Region"),
        _("Unit"),
        _("Kind of unit"),
        _("Award title"),
        _("Status of the registration"),
        _("Individuals"),
    ]
    sheet.append(_cells(sheet, headings, BOLD))
    for number, registration in enumerate(registrations, start=1):
        sheet.append(
            [
                number,
                registration.region_name_on_day,
                registration.name_on_day,
                registration.unit.get_kind_display(),
                registration.title.name,
                registration.get_status_display(),
                "; ".join(people.get(registration.pk, [])),
            ]
        )


def report_workbook(
    *,
    heading: str,
    applied: list[tuple[str, str]],
    summary: Summary,
    registrations: Iterable[AwardRegistration],
    people: dict[int, list[str]],
) -> bytes:
    """``registrations`` carry ``name_on_day`` and ``region_name_on_day`` (``reports.registration_list``)."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = heading
    workbook.properties.creator = _("Justice sector emulation")
    _summary_sheet(workbook, heading, applied, summary)
    _regions_sheet(workbook, heading, applied, summary)
    _list_sheet(workbook, registrations, people)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
