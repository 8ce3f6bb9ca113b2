"""The upload form of the unit import: it accepts one .xlsx workbook and reads its rows."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from thidua.text import NFCFormMixin

from .errors import RegionsError
from .excel import MAX_UPLOAD_BYTES, SheetRow, read_unit_sheet


class UnitImportForm(NFCFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("At most 5 MB and 5,000 rows."),
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={
            "required": _("Choose the .xlsx file to import."),
            "missing": _("Choose the .xlsx file to import."),
            "invalid": _("The file was not sent; choose it again."),
            "empty": _("The file is empty."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sheet_rows: list[SheetRow] = []

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Only .xlsx workbooks (Excel 2007 or later) can be imported; save the file as .xlsx."),
                code="extension",
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."), code="too_large")
        try:
            self.sheet_rows = read_unit_sheet(upload)
        except RegionsError as error:
            raise forms.ValidationError(error.message, code="unreadable") from error
        return upload
