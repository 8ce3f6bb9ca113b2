"""Forms of the scoring-table pages: the table itself, its criteria row by row, its grades, the .xlsx upload.

They parse and check the shape of the input; the table's rules (kinds of unit not scored twice in a
year, criteria fixed once the table is in use) are ``awards.services``'. A criterion typed in the
browser and one read from a workbook go through the same parsers and checks (``awards.table_content``),
so that the same mistake gets the same message on either page.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms import formset_factory
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import KeptRowsFormSet, date_field, year_field
from core.text import NFCFormMixin
from core.xlsx import XlsxUploadForm
from regions.models import UnitKind

from .. import table_excel
from ..errors import AwardsError
from ..models import Criterion, ScoringTable
from ..services.scoring import GroupSpec
from ..table_content import (
    CODE_MAX,
    CODE_REQUIRED,
    CODE_TOO_LONG,
    GROUP_INVALID,
    GROUP_REQUIRED,
    GROUP_TITLE_MAX,
    KIND_INVALID,
    MAX_CRITERIA,
    POINTS_INVALID,
    POINTS_REQUIRED,
    TEXT_REQUIRED,
    TITLE_TOO_LONG,
    ContentRow,
    check_content,
    content_groups,
    parse_group_number,
    parse_points,
    points_text,
)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_THRESHOLDS = 20
DEFAULT_EXTRA = 5
MAX_EXTRA = 100


def content_initial(groups) -> list[dict]:
    """The editor's rows for a table's groups (``selectors.table_groups``): the title on each group's first row."""
    rows = []
    for group in groups:
        for position, criterion in enumerate(group.criteria.all()):
            rows.append(
                {
                    "group": str(group.number),
                    "group_title": group.title if position == 0 else "",
                    "code": criterion.code,
                    "text": criterion.text,
                    "max_points": points_text(criterion.max_points),
                    "kind": criterion.kind,
                }
            )
    return rows


# --- the table ------------------------------------------------------------------------------------------


class TableForm(NFCFormMixin, forms.Form):
    year = year_field(required=True)
    name = forms.CharField(
        label=_("Name"),
        max_length=255,
        help_text=_("e.g. Bảng tiêu chí đánh giá, chấm điểm, xếp hạng thi đua đối với Sở Tư pháp năm 2024"),
        error_messages={
            "required": _("Enter the table's name."),
            "max_length": _("Keep the name to %(limit_value)d characters."),
        },
    )
    unit_kinds = forms.MultipleChoiceField(
        label=_("Kinds of unit scored on this table"),
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A kind of unit is scored on one table a year."),
        error_messages={
            "required": _("Tick at least one kind of unit."),
            "invalid_choice": _("Choose kinds of unit from the list."),
        },
    )
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=100,
        required=False,
        help_text=_("The decision issuing the table, e.g. 536/QĐ-BTP"),
        error_messages={"max_length": _("Keep the decision number to %(limit_value)d characters.")},
    )
    decision_date = date_field(_("Decision date"), required=False)
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        required=False,
        help_text=_("e.g. Bộ trưởng Bộ Tư pháp"),
        error_messages={"max_length": _("Keep the issuer to %(limit_value)d characters.")},
    )

    def __init__(self, *args, table: ScoringTable | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if table is not None:
            # A table belongs to its year: another year's table is a new table.
            self.fields["year"].disabled = True
            self.fields["year"].help_text = _("A table's year cannot change; create a new table for another year.")

    @staticmethod
    def initial_for(table: ScoringTable) -> dict:
        return {
            "year": table.year,
            "name": table.name,
            "unit_kinds": list(table.unit_kinds),
            "decision_number": table.decision_number,
            "decision_date": table.decision_date,
            "issuer": table.issuer,
        }


class TableFilterForm(forms.Form):
    year = year_field(required=False)


# --- the criteria editor --------------------------------------------------------------------------------


def _input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control form-control-sm", **attrs})


class RowErrorsMixin:
    """Marks each field with an error for assistive technology and Bootstrap, as crispy-forms would."""

    def add_error(self, field_name, error) -> None:
        super().add_error(field_name, error)  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}-errors"  # type: ignore[index]


class CriterionRowForm(RowErrorsMixin, NFCFormMixin, forms.Form):
    group = forms.CharField(
        label=_("Group no."),
        max_length=10,
        widget=_input(size="3"),
        error_messages={"required": GROUP_REQUIRED, "max_length": GROUP_INVALID},
    )
    group_title = forms.CharField(
        label=_("Group title"),
        max_length=GROUP_TITLE_MAX,
        required=False,
        widget=_input(),
        error_messages={"max_length": TITLE_TOO_LONG},
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX,
        widget=_input(size="6"),
        error_messages={"required": CODE_REQUIRED, "max_length": CODE_TOO_LONG},
    )
    text = forms.CharField(
        label=_("Criterion"),
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
        error_messages={"required": TEXT_REQUIRED},
    )
    max_points = forms.CharField(
        label=_("Maximum points"),
        max_length=20,
        widget=_input(inputmode="decimal", size="6"),
        error_messages={"required": POINTS_REQUIRED, "max_length": POINTS_INVALID},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Criterion.Kind.choices,
        initial=Criterion.Kind.STANDARD,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        error_messages={"required": KIND_INVALID, "invalid_choice": KIND_INVALID},
    )

    def clean_group(self) -> int:
        return parse_group_number(self.cleaned_data["group"])

    def clean_max_points(self) -> Decimal:
        return parse_points(self.cleaned_data["max_points"])

    def content_row(self, number: int) -> ContentRow:
        data = self.cleaned_data
        return ContentRow(
            number=number,
            group=data.get("group"),
            group_title=data.get("group_title") or "",
            code=data.get("code") or "",
            text=data.get("text") or "",
            max_points=data.get("max_points"),
            kind=data.get("kind") or Criterion.Kind.STANDARD,
        )


class EveryRowOptionalFormSet(KeptRowsFormSet):
    """A formset whose rows may all be left empty: an emptied row, even one filled before, is not kept."""

    def _construct_form(self, i, **kwargs):
        return super()._construct_form(i, empty_permitted=True, use_required_attribute=False, **kwargs)

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def raw_rows(self) -> list[dict]:
        """What a bound formset's non-empty rows hold as typed (to show them again with more empty rows)."""
        rows = []
        for form in self.forms:
            if form.has_changed():
                rows.append({name: form[name].value() for name in form.fields})
        return rows


class CriterionFormSetBase(EveryRowOptionalFormSet):
    def kept_rows(self) -> list[tuple[int, forms.Form]]:
        """The kept rows with their row numbers as shown (1, 2, …)."""
        return [
            (number, form)
            for number, form in enumerate(self.forms, start=1)
            if form.has_changed() and not self._should_delete_form(form)
        ]

    def clean(self) -> None:
        super().clean()
        rows = {}
        for number, form in self.kept_rows():
            if hasattr(form, "cleaned_data"):
                rows[number] = (form, form.content_row(number))
        check_content([row for _form, row in rows.values()])
        for form, row in rows.values():
            for name, messages in row.errors.items():
                for message in messages:
                    form.add_error(name, message)
        if not any(self.errors) and not rows:
            raise ValidationError(gettext("Add at least one criterion."), code="empty")

    def groups(self) -> list[GroupSpec]:
        return content_groups(form.content_row(number) for number, form in self.kept_rows())


def criteria_formset(extra: int = DEFAULT_EXTRA):
    return formset_factory(
        CriterionRowForm,
        formset=CriterionFormSetBase,
        extra=extra,
        can_delete=True,
        max_num=MAX_CRITERIA,
        absolute_max=MAX_CRITERIA + MAX_EXTRA,
        validate_max=True,
    )


FORMSET_ERRORS = {
    "too_many_forms": _("A table can have at most %(num)d criteria."),
    "missing_management_form": _("The form was not sent completely; open the page again and retry."),
}


# --- grades ---------------------------------------------------------------------------------------------


class ThresholdRowForm(RowErrorsMixin, NFCFormMixin, forms.Form):
    label = forms.CharField(
        label=_("Grade"),
        max_length=100,
        widget=_input(),
        error_messages={
            "required": _("Name the grade, e.g. Xuất sắc."),
            "max_length": _("Keep the grade's name to %(limit_value)d characters."),
        },
    )
    min_points = forms.CharField(
        label=_("From (points)"),
        max_length=20,
        widget=_input(inputmode="decimal", size="8"),
        error_messages={"required": _("Enter the lowest score of the grade."), "max_length": POINTS_INVALID},
    )

    def clean_min_points(self) -> Decimal:
        return parse_points(self.cleaned_data["min_points"], allow_zero=True)


class ThresholdFormSetBase(EveryRowOptionalFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        labels: dict[str, int] = {}
        floors: dict[Decimal, int] = {}
        kept = [form for form in self.forms if form.has_changed() and not self._should_delete_form(form)]
        if not kept:
            raise ValidationError(gettext("Keep at least one grade."), code="empty")
        for number, form in enumerate(self.forms, start=1):
            if form not in kept:
                continue
            label, floor = form.cleaned_data["label"], form.cleaned_data["min_points"]
            if label.casefold() in labels:
                form.add_error("label", gettext("Row %(row)s has the same grade.") % {"row": labels[label.casefold()]})
            if floor in floors:
                form.add_error("min_points", gettext("Row %(row)s has the same lowest score.") % {"row": floors[floor]})
            labels.setdefault(label.casefold(), number)
            floors.setdefault(floor, number)

    def thresholds(self) -> list[tuple[str, Decimal]]:
        return [(row["label"], row["min_points"]) for row in self.kept()]


def thresholds_formset(extra: int = 3):
    return formset_factory(
        ThresholdRowForm,
        formset=ThresholdFormSetBase,
        extra=extra,
        can_delete=True,
        max_num=MAX_THRESHOLDS,
        absolute_max=MAX_THRESHOLDS + 10,
        validate_max=True,
    )


THRESHOLD_FORMSET_ERRORS = {
    "too_many_forms": _("A table can have at most %(num)d grades."),
    "missing_management_form": FORMSET_ERRORS["missing_management_form"],
}


# --- the .xlsx upload -----------------------------------------------------------------------------------


class TableImportForm(XlsxUploadForm):
    max_bytes = MAX_UPLOAD_BYTES
    file_help = _("At most 2 MB and 500 criteria.")
    too_large = _("The file is larger than 2 MB.")
    app_error = AwardsError

    def read(self, upload: UploadedFile) -> list:
        return table_excel.read_criteria_sheet(upload)
