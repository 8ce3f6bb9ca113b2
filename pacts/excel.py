"""The audit trail of a pact as an Excel workbook (.xlsx).

Times are written as text with their offset ("19/03/2018 09:15:02 +07:00"): Excel has no time
zones, and a bare date-time cell would lose the one the evidence needs. Every value is written as
text, so a comment beginning with "=" never becomes a formula. The workbook is in the portal's
language (Vietnamese), like the e-mails: it is a record kept on file, whoever downloads it.
"""

import io
import re
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import AuditEvent, Pact
from .templatetags.pacts_tags import evidence_time

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
WIDTHS = (6, 28, 18, 28, 45, 18, 45, 60)


def _text(sheet, value: object, *, font: Font | None = None, wrap: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if font is not None:
        cell.font = font
    if wrap:
        cell.alignment = WRAP
    return cell


def _sheet_title(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "-", text)[:31]


def _headings() -> list[str]:
    return [
        _("No."),
        _("Time (UTC+07:00)"),
        _("Action"),
        _("Who"),
        _("Unit"),
        _("IP address"),
        _("Browser"),
        _("Detail"),
    ]


def audit_workbook(*, pact: Pact, region_name: str, events: Iterable[AuditEvent]) -> bytes:
    """Every audit event of the pact under a few title rows, one event a row, in the order written."""
    with translation.override(settings.LANGUAGE_CODE):
        return _audit_workbook(pact=pact, region_name=region_name, events=events)


def _audit_workbook(*, pact: Pact, region_name: str, events: Iterable[AuditEvent]) -> bytes:
    workbook = Workbook(write_only=True)
    title = _("Audit trail of the pact")
    workbook.properties.title = f"{title}: {pact.title}"
    workbook.properties.creator = _("Justice sector emulation")
    sheet = workbook.create_sheet(_sheet_title(title))
    for position, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A7"
    heading = f"{pact.title} · {pact.block}" if pact.block else pact.title
    sheet.append([_text(sheet, title, font=TITLE)])
    sheet.append([_text(sheet, f"{region_name} · {heading} · " + _("version %(n)s") % {"n": pact.version})])
    sheet.append([_text(sheet, _("SHA-256 of the text")), _text(sheet, pact.content_hash or "—")])
    sheet.append([_text(sheet, _("Exported at")), _text(sheet, evidence_time(timezone.now()))])
    sheet.append([])
    sheet.append([_text(sheet, text, font=BOLD) for text in _headings()])
    for number, event in enumerate(events, start=1):
        sheet.append(_event_row(sheet, number, event))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _event_row(sheet, number: int, event: AuditEvent) -> Sequence[object]:
    return [
        number,
        _text(sheet, evidence_time(event.at)),
        _text(sheet, event.get_action_display()),
        _text(sheet, event.actor_name),
        _text(sheet, event.unit_name),
        _text(sheet, event.ip_address or ""),
        _text(sheet, event.user_agent),
        _text(sheet, event.detail, wrap=True),
    ]
