"""The audit trail of a pact as an Excel workbook (.xlsx).

Times are written as text with their offset ("19/03/2018 09:15:02 +07:00"): Excel has no time
zones, and a bare date-time cell would lose the one the evidence needs. Every value is written as
text, so a comment beginning with "=" never becomes a formula. The workbook is in the portal's
language (Vietnamese), like the e-mails: it is a record kept on file, whoever downloads it.
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.xlsx import BOLD, TITLE, WRAP, new_workbook, set_properties, set_widths, sheet_title, workbook_bytes

from .models import AuditEvent, Pact
from .templatetags.pacts_tags import evidence_time

WIDTHS = (6, 28, 18, 28, 45, 18, 45, 60)


def _text(sheet, value: object, *, font: Font | None = None, wrap: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if font is not None:
        cell.font = font
    if wrap:
        cell.alignment = WRAP
    return cell


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
    workbook = new_workbook(write_only=True)
    title = _("Audit trail of the pact")
    set_properties(workbook, f"{title}: {pact.title}")
    sheet = workbook.create_sheet(sheet_title(title))
    set_widths(sheet, WIDTHS)
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
    return workbook_bytes(workbook)


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
