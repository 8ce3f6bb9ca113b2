"""The dashboard's figures as an .xlsx: a sheet per figure with the very rows of the page's tables
(reports/figures.py), and the units to nudge listed whole. Text is stored as text (core.xlsx), never a formula."""

from django.utils.translation import gettext as _

from core.xlsx import bold_row, new_workbook, set_properties, set_widths, sheet_title, workbook_bytes

from .figures import NUDGE_LABELS, Figure
from .selectors import NUDGE_REASONS, Nudges


def figures_workbook(title: str, found: list[Figure], nudges: Nudges | None) -> bytes:
    workbook = new_workbook()
    workbook.remove(workbook.active)
    set_properties(workbook, title)
    for figure in found:
        sheet = workbook.create_sheet(sheet_title(str(figure.caption)))
        sheet.append([str(figure.caption)])
        bold_row(sheet, 1)
        sheet.append([str(heading) for heading in figure.headings])
        bold_row(sheet, 2)
        for row in figure.rows:
            sheet.append(list(row))
        set_widths(sheet, [48] + [16] * (len(figure.headings) - 1))
        sheet.freeze_panes = "A3"
    if nudges is not None:
        sheet = workbook.create_sheet(sheet_title(_("Units to nudge (list)")))
        sheet.append([_("Reason"), _("Unit"), _("Region"), _("About"), _("Deadline")])
        bold_row(sheet, 1)
        for reason in NUDGE_REASONS:
            for each in nudges.lists[reason]:
                due = f"{each.due:%d/%m/%Y}" if each.due else ""
                sheet.append([str(NUDGE_LABELS[reason]), each.unit_name, each.region_name, each.detail, due])
        set_widths(sheet, [36, 48, 48, 60, 14])
        sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)
