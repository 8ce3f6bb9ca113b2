"""The leader import: a template, reading its rows and checking them, for "bring leaders on board" from Excel.

One leader a row: the unit (its name on the from-date; the province tells two namesakes apart), full name,
position, kind of appointment, from-date and e-mail address. A leader already recorded for the unit (same name,
kind and from-date) without an account gets one; any other row records a new appointment. Every row gets an
account with the unit leader role and the invitation (``services.leaders_onboard``), all rows or none.
The column headings are Vietnamese and fixed whatever the interface language: they are the file format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter, quote_sheetname

from accounts.models import User
from core import xlsx
from core.text import fold
from core.xlsx import BOLD, EXCEL_DATE_FORMAT, TITLE, bold_row, new_workbook, set_widths

from .errors import RegionsError
from .excel import MAX_SCANNED_ROWS, PROVINCE_PREFIXES, parse_day, read_sheet_rows
from .labels import unit_label
from .models import Appointment, Unit, UnitName
from .selectors import unit_name_key, units_active_on
from .services import LeaderRow

MAX_LEADER_ROWS = 2000
SHEET_LEADERS = "Lãnh đạo"
SHEET_GUIDE = "Hướng dẫn"
Column = xlsx.Column

LEADER_COLUMNS: tuple[Column, ...] = (
    Column(
        "unit",
        "Đơn vị",
        50,
        True,
        gettext_lazy("The unit's name on the from-date, as the portal lists it, e.g. Sở Tư pháp tỉnh Quảng Trị."),
    ),
    Column(
        "province",
        "Tỉnh/thành phố",
        24,
        False,
        gettext_lazy("Needed only when two units of that name were active on the from-date, e.g. tỉnh Quảng Trị."),
    ),
    Column("full_name", "Họ và tên", 30, True, gettext_lazy("The leader's full name.")),
    Column("position", "Chức vụ", 24, True, gettext_lazy("e.g. Giám đốc, Cục trưởng")),
    Column(
        "kind",
        "Bổ nhiệm là",
        24,
        True,
        gettext_lazy("One of the kinds listed on the “Hướng dẫn” sheet: its name (e.g. Cấp trưởng) or its code."),
    ),
    Column("start", "Từ ngày", 16, True, gettext_lazy("A date cell, or a date written dd/mm/yyyy.")),
    Column(
        "email",
        "Thư điện tử",
        34,
        True,
        gettext_lazy("The leader's own address: the invitation to set a password is sent there."),
    ),
)
FIELDS = tuple(column.field for column in LEADER_COLUMNS)

# The kind names the template offers; the codes and the interface's labels are accepted too.
KIND_NAMES: dict[str, str] = {
    Appointment.Kind.HEAD: "Cấp trưởng",
    Appointment.Kind.ACTING_HEAD: "Quyền cấp trưởng",
    Appointment.Kind.DEPUTY: "Cấp phó",
    Appointment.Kind.DEPUTY_IN_CHARGE: "Cấp phó phụ trách",
}
EXAMPLE_ROW = (
    "Sở Tư pháp tỉnh Quảng Trị",
    "tỉnh Quảng Trị",
    "Nguyễn Văn An",
    "Giám đốc",
    KIND_NAMES[Appointment.Kind.HEAD],
    date(2025, 7, 1),
    "an.nv@stp.quangtri.gov.vn",
)


class LeaderSheetRow(xlsx.SheetRow):
    field_names = FIELDS


LEADER_SHEET = xlsx.SheetFormat(SHEET_LEADERS, LEADER_COLUMNS, LeaderSheetRow, MAX_LEADER_ROWS, MAX_SCANNED_ROWS)


def read_leader_sheet(source: IO[bytes]) -> list[LeaderSheetRow]:
    return read_sheet_rows(source, LEADER_SHEET, empty=_("The sheet has no leader rows under its headings."))


@dataclass
class LeaderRowCheck:
    number: int
    unit_text: str
    province_text: str
    full_name: str
    position: str
    kind: str
    kind_text: str
    start: date | None
    start_text: str
    email: str
    unit: Unit | None = None
    unit_label: str = ""
    appointment: Appointment | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        return self.errors

    @property
    def kind_label(self) -> str:
        return str(Appointment.Kind(self.kind).label) if self.kind else self.kind_text

    def as_leader_row(self) -> LeaderRow:
        return LeaderRow(
            key=str(self.number),
            unit=self.unit,
            email=self.email,
            appointment=self.appointment,
            full_name=self.full_name,
            position=self.position,
            kind=self.kind,
            start=self.start,
        )


@dataclass
class LeaderImportCheck:
    rows: list[LeaderRowCheck]

    @property
    def bad_rows(self) -> list[LeaderRowCheck]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.bad_rows

    def leader_rows(self) -> list[LeaderRow]:
        if not self.is_valid:
            raise RegionsError(_("The file has rows with errors: nothing was imported."), field="file")
        return [row.as_leader_row() for row in self.rows]


def _kind_aliases() -> dict[str, str]:
    aliases = {}
    with translation.override(None):
        source = {code: str(Appointment.Kind(code).label) for code in Appointment.Kind.values}
    for code in Appointment.Kind.values:
        for name in (code, KIND_NAMES[code], str(Appointment.Kind(code).label), source[code]):
            aliases[unit_name_key(name)] = code
    return aliases


def _province_key(text: str) -> str:
    key = fold(unit_name_key(text))
    for prefix in PROVINCE_PREFIXES:
        if key.startswith(fold(prefix)):
            return key[len(prefix) :].strip()
    return key


def _units_named(keys: set[str]) -> dict[str, set[int]]:
    """Each name key with the units that bore that name at some time (current or former names)."""
    index: dict[str, set[int]] = {}
    for unit_id, name in UnitName.objects.values_list("unit_id", "name"):
        key = unit_name_key(name)
        if key in keys:
            index.setdefault(key, set()).add(unit_id)
    for unit_id, name in Unit.objects.values_list("pk", "name"):
        key = unit_name_key(name)
        if key in keys:
            index.setdefault(key, set()).add(unit_id)
    return index


def _resolve_unit(row: LeaderRowCheck, index: dict[str, set[int]]) -> None:
    from .selectors import unit_name_on, unit_province_on

    ids = index.get(unit_name_key(row.unit_text), set())
    if not ids:
        row.errors.append(_("No unit is named “%(name)s”.") % {"name": row.unit_text})
        return
    if row.start is None:
        return
    day = row.start
    candidates = [
        unit
        for unit in Unit.objects.filter(units_active_on(day), pk__in=ids).select_related("province")
        if unit_name_key(unit_name_on(unit, day)) == unit_name_key(row.unit_text)
    ]
    if row.province_text:
        wanted = _province_key(row.province_text)
        candidates = [
            unit
            for unit in candidates
            if (p := unit_province_on(unit, day)) is not None and _province_key(p.name) == wanted
        ]
    if not candidates:
        row.errors.append(
            _("No unit named “%(name)s”%(province)s was active on %(day)s.")
            % {
                "name": row.unit_text,
                "province": f" ({row.province_text})" if row.province_text else "",
                "day": f"{day:%d/%m/%Y}",
            }
        )
    elif len(candidates) > 1:
        row.errors.append(
            _("Several units named “%(name)s” were active on %(day)s (%(units)s): write the province to choose one.")
            % {"name": row.unit_text, "day": f"{day:%d/%m/%Y}", "units": "; ".join(unit_label(u) for u in candidates)}
        )
    else:
        row.unit = candidates[0]
        row.unit_label = unit_label(candidates[0])


def _parse(sheet_row: LeaderSheetRow, kinds: dict[str, str]) -> LeaderRowCheck:
    get = sheet_row.get
    row = LeaderRowCheck(
        number=sheet_row.number,
        unit_text=get("unit"),
        province_text=get("province"),
        full_name=get("full_name"),
        position=get("position"),
        kind="",
        kind_text=get("kind"),
        start=None,
        start_text=get("start"),
        email=get("email").strip().lower(),
    )
    row.errors.extend(sheet_row.formula_errors().values())
    for name, message in (
        ("unit", _("Write the unit's name.")),
        ("full_name", _("Enter the leader's full name.")),
        ("position", _("Enter the leader's position.")),
    ):
        if not get(name):
            row.errors.append(str(message))
    if len(row.full_name) > 150 or len(row.position) > 150:
        row.errors.append(_("A name or a position has at most 150 characters."))
    row.kind = kinds.get(unit_name_key(row.kind_text), "")
    if not row.kind:
        row.errors.append(
            _("Unknown kind of appointment “%(value)s”: write one listed on the “Hướng dẫn” sheet.")
            % {"value": row.kind_text}
        )
    try:
        row.start = parse_day(row.start_text)
    except ValueError:
        row.errors.append(_("Write the from-date as dd/mm/yyyy, e.g. 01/07/2025."))
    else:
        if row.start is None:
            row.errors.append(_("Write the from-date as dd/mm/yyyy, e.g. 01/07/2025."))
    try:
        validate_email(row.email)
    except ValidationError:
        row.errors.append(_("Enter a valid e-mail address."))
    return row


def _match_appointments(rows: list[LeaderRowCheck]) -> None:
    """A leader already recorded for the unit (same name, kind and from-date) gets an account on that appointment."""
    units = {row.unit.pk for row in rows if row.unit}
    recorded = {}
    for appointment in Appointment.objects.filter(unit_id__in=units).select_related("user"):
        recorded[(appointment.unit_id, unit_name_key(appointment.full_name), appointment.kind, appointment.start)] = (
            appointment
        )
    for row in rows:
        if row.unit is None:
            continue
        found = recorded.get((row.unit.pk, unit_name_key(row.full_name), row.kind, row.start))
        if found is not None and found.user_id is not None:
            row.errors.append(
                _("%(name)s has an account already (%(username)s).")
                % {"name": found.full_name, "username": found.user.get_username()}
            )
        row.appointment = found


def _check_emails(rows: list[LeaderRowCheck]) -> None:
    seen: dict[str, int] = {}
    emails = [row.email for row in rows if row.email]
    accounts = {
        user.lower_email: user
        for user in User.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=emails)
    }
    for row in rows:
        if not row.email:
            continue
        if row.email in seen:
            row.errors.append(_("The same address is in row %(row)s of this file.") % {"row": seen[row.email]})
        seen.setdefault(row.email, row.number)
        account = accounts.get(row.email)
        if account is not None and (row.unit is None or account.unit_id != row.unit.pk):
            row.errors.append(
                _("Another account already uses this e-mail address (%(username)s, of another unit).")
                % {"username": account.get_username()}
            )


def check_leader_rows(sheet_rows: Sequence[LeaderSheetRow]) -> LeaderImportCheck:
    """Every row as understood, with all the reasons it cannot be imported; saves nothing."""
    kinds = _kind_aliases()
    rows = [_parse(row, kinds) for row in sheet_rows]
    index = _units_named({unit_name_key(row.unit_text) for row in rows if row.unit_text})
    for row in rows:
        if row.unit_text:
            _resolve_unit(row, index)
    _match_appointments(rows)
    _check_emails(rows)
    return LeaderImportCheck(rows=rows)


def leader_template() -> bytes:
    """The leader import template: the heading row to fill, and a guide sheet with the kinds and an example."""
    workbook = new_workbook()
    xlsx.set_properties(workbook, _("Leader import template"))
    sheet = workbook.active
    sheet.title = SHEET_LEADERS
    xlsx.heading_row(sheet, LEADER_COLUMNS)
    sheet.column_dimensions[get_column_letter(FIELDS.index("start") + 1)].number_format = EXCEL_DATE_FORMAT
    guide = workbook.create_sheet(SHEET_GUIDE)
    guide.append([_("How to fill in the “Lãnh đạo” sheet")])
    guide["A1"].font = TITLE
    guide.append(
        [
            _(
                "One leader a row, under the headings; do not change the headings. Each leader gets an account "
                "and an e-mail to set a password. Nothing is saved until every row is valid."
            )
        ]
    )
    guide.append([])
    xlsx.column_guide(guide, LEADER_COLUMNS)
    guide.append([])
    guide.append([_("Example")])
    guide.cell(row=guide.max_row, column=1).font = BOLD
    guide.append([column.heading for column in LEADER_COLUMNS])
    bold_row(guide, guide.max_row)
    guide.append(list(EXAMPLE_ROW))
    guide.cell(row=guide.max_row, column=FIELDS.index("start") + 1).number_format = EXCEL_DATE_FORMAT
    guide.append([])
    guide.append([_("Kind of appointment: write the name or the code"), _("Code")])
    bold_row(guide, guide.max_row)
    first = guide.max_row + 1
    for code, name in KIND_NAMES.items():
        guide.append([name, code])
    kinds_range = f"$A${first}:$A${guide.max_row}"
    set_widths(guide, (50, 24, 60, 24, 24, 16, 34))
    xlsx.list_check(
        sheet,
        position=FIELDS.index("kind") + 1,
        formula=f"{quote_sheetname(SHEET_GUIDE)}!{kinds_range}",
        error=_("This value is not in the list on the “Hướng dẫn” sheet."),
        last_row=MAX_LEADER_ROWS + 1,
    )
    return xlsx.workbook_bytes(workbook)
