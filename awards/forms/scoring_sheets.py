"""Forms of the score sheet: the unit's self-scores with their evidence, the reviewers' points, the year.

One form holds every criterion of the sheet (fields ``points_<criterion id>`` and so on), so that a
single bad line refuses the whole save. The forms check the shape of the input only (a number
within the criterion's maximum, an accepted file); the rules (a draft sheet, a reason where the
reviewed points differ) are ``awards.services``'s.
"""

import os
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.forms import year_field
from core.text import NFCFormMixin
from core.uploads import ArchiveLimits, ArchiveRefused, check_archive

from ..models import POINTS, ScoreEntry
from ..services.scoring import ReviewedScore, SelfScore

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# What each accepted kind of file begins with: a renamed file of another kind is refused.
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
# A .docx or .xlsx is a zip archive: bounded like an imported workbook, so that no reviewer opens a bomb.
EVIDENCE_ARCHIVES = ("docx", "xlsx")
EVIDENCE_ARCHIVE_LIMITS = ArchiveLimits()
NOTE_MAX, FILE_NAME_MAX = 2000, 150


def points_text(points: Decimal | None) -> str:
    """Points as typed back into a box: 7.5, 20 (no trailing zeros)."""
    if points is None:
        return ""
    text = format(points, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def validate_evidence(upload: UploadedFile) -> None:
    """At most 10 MB, and a PDF, JPG, PNG, DOCX or XLSX file whose content matches its extension."""
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in EVIDENCE_SIGNATURES:
        raise ValidationError(
            _("“%(name)s” is not accepted: attach a PDF, JPG, PNG, DOCX or XLSX file."),
            code="file_type",
            params={"name": name},
        )
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB: an evidence file may be at most 10 MB."),
            code="file_size",
            params={"name": name, "size": f"{upload.size / 1024 / 1024:.1f}"},
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    not_real = ValidationError(
        _("“%(name)s” is not a real %(kind)s file: attach the document itself."),
        code="file_content",
        params={"name": name, "kind": extension.upper()},
    )
    if not head.startswith(EVIDENCE_SIGNATURES[extension]):
        raise not_real
    if extension in EVIDENCE_ARCHIVES:
        try:
            check_archive(upload, EVIDENCE_ARCHIVE_LIMITS)
        except ArchiveRefused as error:
            raise ValidationError(
                _("“%(name)s” is refused: %(reason)s"),
                code="file_archive",
                params={"name": name, "reason": error.message},
            ) from error
        except Exception as error:  # not a sound zip archive: damaged, or not what its name says
            raise not_real from error


class PointsField(forms.DecimalField):
    """Points typed with a dot or a comma (7.5 or 7,5), between 0 and the criterion's maximum."""

    def __init__(self, *, maximum: Decimal, **kwargs) -> None:
        super().__init__(
            required=False,
            min_value=Decimal("0"),
            max_value=maximum,
            max_digits=POINTS["max_digits"],
            decimal_places=POINTS["decimal_places"],
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6}),
            error_messages={
                "invalid": _("Enter a number of points, e.g. 7.5."),
                "min_value": _("Points cannot be negative."),
                # The maximum is put in by hand: the message must read "20", not "20.00".
                "max_value": _("At most %(maximum)s points, the criterion's maximum.")
                % {"maximum": points_text(maximum)},
                "max_decimal_places": _("Use at most %(max)s decimals."),
                "max_digits": _("Enter a number of points, e.g. 7.5."),
                "max_whole_digits": _("Enter a number of points, e.g. 7.5."),
            },
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _note_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 24}),
        error_messages={"max_length": _("Keep it to %(limit_value)d characters.")},
    )


class _SheetForm(NFCFormMixin, forms.Form):
    """Fields by criterion, the boxes styled for Bootstrap and marked invalid where refused."""

    def __init__(self, *args, entries: list[ScoreEntry], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.add_criterion_fields(entry)
        for field in self.fields.values():
            checkbox = isinstance(field.widget, forms.CheckboxInput)
            field.widget.attrs.setdefault("class", "form-check-input" if checkbox else "form-control form-control-sm")

    def add_criterion_fields(self, entry: ScoreEntry) -> None:
        raise NotImplementedError

    def add_error(self, field, error) -> None:
        """Marks the refused boxes, whether the form or a service refused them (Django links each box to
        its error, ``<id>_error``, by itself)."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def codes_with_errors(self) -> list[str]:
        refused = {name.rsplit("_", 1)[-1] for name in self.errors if name in self.fields}
        return [entry.criterion.code for entry in self.entries if str(entry.criterion_id) in refused]


class SelfScoreForm(_SheetForm):
    """The unit's points, note, evidence link and file for every criterion of its sheet."""

    def add_criterion_fields(self, entry: ScoreEntry) -> None:
        cid, code = entry.criterion_id, entry.criterion.code
        self.fields[f"points_{cid}"] = PointsField(
            maximum=entry.criterion.max_points,
            label=_("Points for criterion %(code)s") % {"code": code},
            initial=points_text(entry.self_points),
        )
        self.fields[f"note_{cid}"] = _note_field(_("Note on criterion %(code)s") % {"code": code})
        self.fields[f"note_{cid}"].initial = entry.note
        self.fields[f"link_{cid}"] = forms.URLField(
            label=_("Evidence link for criterion %(code)s") % {"code": code},
            required=False,
            max_length=500,
            assume_scheme="https",
            initial=entry.evidence_link,
            widget=forms.URLInput(attrs={"placeholder": "https://"}),
            error_messages={
                "invalid": _("Enter a full web address, e.g. https://stp.example.gov.vn/bao-cao.pdf."),
                "max_length": _("Keep the address to %(limit_value)d characters."),
            },
        )
        self.fields[f"file_{cid}"] = forms.FileField(
            label=_("Evidence file for criterion %(code)s") % {"code": code},
            required=False,
            max_length=FILE_NAME_MAX,
            validators=[validate_evidence],
            widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
            error_messages={
                "invalid": _("The file could not be read; choose it again."),
                "missing": _("The file could not be read; choose it again."),
                "empty": _("The file is empty."),
                "max_length": _("The file name is too long (%(length)d characters, at most %(max)d): rename it."),
            },
        )
        self.fields[f"clear_{cid}"] = forms.BooleanField(label=_("Remove the file"), required=False)

    def scores(self) -> dict[int, SelfScore]:
        data = self.cleaned_data
        return {
            entry.criterion_id: SelfScore(
                points=data[f"points_{entry.criterion_id}"],
                note=data[f"note_{entry.criterion_id}"],
                evidence_link=data[f"link_{entry.criterion_id}"],
                evidence_file=data[f"file_{entry.criterion_id}"] or None,
                clear_file=data[f"clear_{entry.criterion_id}"],
            )
            for entry in self.entries
        }


class ReviewForm(_SheetForm):
    """The reviewers' points and reasons; an empty box keeps the unit's own points."""

    def add_criterion_fields(self, entry: ScoreEntry) -> None:
        cid, code = entry.criterion_id, entry.criterion.code
        self.fields[f"reviewed_{cid}"] = PointsField(
            maximum=entry.criterion.max_points,
            label=_("Reviewed points for criterion %(code)s") % {"code": code},
            initial=points_text(entry.reviewed_points),
        )
        self.fields[f"reason_{cid}"] = _note_field(_("Reason for the points of criterion %(code)s") % {"code": code})
        self.fields[f"reason_{cid}"].initial = entry.review_reason

    def reviews(self) -> dict[int, ReviewedScore]:
        data = self.cleaned_data
        return {
            entry.criterion_id: ReviewedScore(
                points=data[f"reviewed_{entry.criterion_id}"], reason=data[f"reason_{entry.criterion_id}"]
            )
            for entry in self.entries
        }


class ScoresYearForm(NFCFormMixin, forms.Form):
    year = year_field(required=False)
