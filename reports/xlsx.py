"""The dashboard's figures as an .xlsx: a sheet per figure with the very rows of the page's tables
(reports/figures.py), and the units to nudge listed whole. Text is stored as text (core.xlsx), never a formula.

The workbook is write-only (openpyxl streams each row as it is appended, no cell objects kept): the list of units
to nudge may hold thousands of rows on the country-scale set."""

from django.utils.translation import gettext as _

from core.xlsx import BOLD, cells, new_workbook, set_properties, set_widths, sheet_title, workbook_bytes

from .figures import NUDGE_LABELS, Figure
from .selectors import NUDGE_REASONS, Nudges


def figures_workbook(title: str, found: list[Figure], nudges: Nudges | None) -> bytes:
    workbook = new_workbook(write_only=True)
    set_properties(workbook, title)
    for figure in found:
        sheet = workbook.create_sheet(sheet_title(str(figure.caption)))
        set_widths(sheet, [48] + [16] * (len(figure.headings) - 1))
        sheet.freeze_panes = "A3"
        sheet.append(cells(sheet, [str(figure.caption)], BOLD))
        sheet.append(cells(sheet, [str(heading) for heading in figure.headings], BOLD))
        for row in figure.rows:
            sheet.append(list(row))
    if nudges is not None:
        sheet = workbook.create_sheet(sheet_title(_("Units to nudge (list)")))
        set_widths(sheet, [36, 48, 48, 60, 14])
        sheet.freeze_panes = "A2"
        sheet.append(cells(sheet, [_("Reason"), _("Unit"), _("Region"), _("About"), _("Deadline")], BOLD))
        for reason in NUDGE_REASONS:
            label = str(NUDGE_LABELS[reason])
            for each in nudges.lists[reason]:
                due = f"{each.due:%d/%m/%Y}" if each.due else ""
                sheet.append([label, each.unit_name, each.region_name, each.detail, due])
    return workbook_bytes(workbook)
