"""The upload forms of the unit and leader imports: each accepts one .xlsx workbook and reads its rows."""

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.text import NFCFormMixin
from core.xlsx import XlsxUploadForm

from .errors import RegionsError
from .excel import MAX_UPLOAD_BYTES, SheetRow, read_unit_sheet
from .leader_excel import LeaderSheetRow, read_leader_sheet


class UnitImportForm(NFCFormMixin, XlsxUploadForm):
    max_bytes = MAX_UPLOAD_BYTES
    file_help = _("At most 5 MB and 5,000 rows.")
    too_large = _("The file is larger than 5 MB.")
    app_error = RegionsError

    def read(self, upload: UploadedFile) -> list[SheetRow]:
        return read_unit_sheet(upload)


class LeaderImportForm(NFCFormMixin, XlsxUploadForm):
    max_bytes = MAX_UPLOAD_BYTES
    file_help = _("At most 5 MB and 2,000 rows.")
    too_large = _("The file is larger than 5 MB.")
    app_error = RegionsError

    def read(self, upload: UploadedFile) -> list[LeaderSheetRow]:
        return read_leader_sheet(upload)
