"""The registration report as an .xlsx workbook (the summary, the counts by region and the list), and a
region's ranking.

The sheet names are fixed Vietnamese (people refer to them by name); the headings go through gettext.
Counts are written as numbers, not formulas, so that the file reads the same in any program.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.xlsx import BOLD, TITLE, cells, new_workbook, set_properties, set_widths, workbook_bytes

from .models import AwardRegistration, ScoringTable
from .selectors.reports import CountRow, Summary
from .selectors.scoring import TIE_RULES, RankingRow

SHEET_SUMMARY = "Tổng hợp"
SHEET_REGIONS = "Theo khu vực"
SHEET_LIST = "Danh sách"


def _title_rows(sheet, heading: str, applied: list[tuple[str, str]]) -> None:
    sheet.append(cells(sheet, [heading], TITLE))
    sheet.append(["; ".join(f"{label}: {value}" for label, value in applied)])
    sheet.append([])


def _counts(row: CountRow) -> list[int]:
    return [cell.count for cell in row.cells]


def _summary_sheet(workbook: Workbook, heading: str, applied, summary: Summary) -> None:
    sheet = workbook.create_sheet(SHEET_SUMMARY)
    set_widths(sheet, [45, *([22] * len(summary.groups)), 12])
    _title_rows(sheet, heading, applied)
    sheet.append(cells(sheet, [_("Award title"), *(str(g.label) for g in summary.groups), _("Total")], BOLD))
    for row in summary.rows:
        sheet.append([row.title.name, *_counts(row)])
    sheet.append(cells(sheet, [_("Total"), *_counts(summary.total)], BOLD))


def _regions_sheet(workbook: Workbook, heading: str, applied, summary: Summary) -> None:
    sheet = workbook.create_sheet(SHEET_REGIONS)
    set_widths(sheet, [50, 45, *([22] * len(summary.groups)), 12])
    _title_rows(sheet, heading, applied)
    sheet.append(
        cells(sheet, [_("Region"), _("Award title"), *(str(g.label) for g in summary.groups), _("Total")], BOLD)
    )
    for region in summary.regions:
        for row in region.rows:
            sheet.append([region.name, row.title.name, *_counts(row)])
        sheet.append(cells(sheet, [region.name, _("Total for the region"), *_counts(region.total)], BOLD))
    sheet.append(cells(sheet, [_("Total"), "", *_counts(summary.total)], BOLD))


def _list_sheet(workbook: Workbook, registrations: Iterable[AwardRegistration], people: dict[int, list[str]]) -> None:
    sheet = workbook.create_sheet(SHEET_LIST)
    set_widths(sheet, [6, 50, 50, 34, 40, 20, 50])
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
    sheet.append(cells(sheet, headings, BOLD))
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
    workbook = new_workbook(write_only=True)
    set_properties(workbook, heading)
    _summary_sheet(workbook, heading, applied, summary)
    _regions_sheet(workbook, heading, applied, summary)
    _list_sheet(workbook, registrations, people)
    return workbook_bytes(workbook)


# The ranking's column headings are fixed Vietnamese whatever the interface language, as in the Ministry's forms.
RANKING_HEADINGS = ("Hạng", "Đơn vị", "Tự chấm", "Điểm tiêu chí", "Điểm cộng", "Điểm trừ", "Tổng điểm", "Xếp loại")
RANKING_WIDTHS = (8, 50, 12, 16, 12, 12, 12, 16)


def ranking_workbook(*, table: ScoringTable, region_name: str, rows: list[RankingRow], provisional: bool) -> bytes:
    """The ranking under three title rows: ranked units with their final points, then the units not ranked."""
    workbook = new_workbook(write_only=True)
    set_properties(workbook, _("%(region)s: ranking for %(year)s") % {"region": region_name, "year": table.year})
    sheet = workbook.create_sheet(_("Ranking %(year)s") % {"year": table.year})
    set_widths(sheet, RANKING_WIDTHS)
    sheet.append(cells(sheet, [table.name], TITLE))
    sheet.append([f"{region_name} · {table.year}"])
    sheet.append([_("Provisional: some sheets are not reviewed yet.") if provisional else _("Final ranking.")])
    sheet.append([])
    sheet.append(cells(sheet, RANKING_HEADINGS, BOLD))
    for row in rows:
        scored = row.sheet if row.rank is not None else None
        sheet.append(
            [
                row.rank,
                row.unit_name,
                scored.self_total if scored else None,
                scored.final_standard if scored else None,
                scored.final_bonus if scored else None,
                scored.final_deduction if scored else None,
                scored.final_total if scored else None,
                row.grade if scored else _("Not sent"),
            ]
        )
    sheet.append([])
    sheet.append([str(TIE_RULES)])
    return workbook_bytes(workbook)
