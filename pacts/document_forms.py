"""Forms of the PDF pages: the upload on the public verification page and the job list's filter."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import NFCFormMixin

from .models import PdfJob
from .pdf_jobs import STALLED

MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# A PDF starts with "%PDF-"; readers accept a little junk before it, within the first kilobyte.
PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024

TOO_LARGE = _("The file is larger than %(size)s MB: an issued pact is never that large.")


class PdfUploadForm(NFCFormMixin, forms.Form):
    """A PDF to compare with the issued documents. ``body_too_large`` refuses it before the body is read."""

    document = forms.FileField(
        label=_("PDF file to check"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": _("Choose the PDF file to check."),
            "empty": _("The file is empty."),
            "invalid": _("No file was received: choose the PDF file again."),
            "missing": _("No file was received: choose the PDF file again."),
        },
    )

    def __init__(self, *args, body_too_large: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = gettext(
            "A PDF of at most %(size)s MB. The file is only compared with the issued documents, never kept."
        ) % {"size": MAX_UPLOAD_MB}
        self.body_too_large = body_too_large
        if body_too_large:
            self.fields["document"].required = False

    def clean_document(self) -> UploadedFile | None:
        document = self.cleaned_data["document"]
        if document is None:
            return None
        if document.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE % {"size": MAX_UPLOAD_MB})
        document.seek(0)
        head = document.read(MAGIC_WINDOW)
        document.seek(0)
        if PDF_MAGIC not in head:
            raise forms.ValidationError(_("This file is not a PDF: choose the PDF of the pact."))
        return document

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.body_too_large:
            self.add_error("document", TOO_LARGE % {"size": MAX_UPLOAD_MB})
        return cleaned


class PdfJobFilterForm(NFCFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *PdfJob.Status.choices, (STALLED, _("Stalled"))],
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )
