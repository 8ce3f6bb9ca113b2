"""Form fields, widgets and formsets that every app's forms use: a year, a bounded date typed dd/mm/yyyy, kept rows.

Dates are typed dd/mm/yyyy in a text box, as civil servants (and Excel users) write them.
"""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .years import FIRST_YEAR, LAST_YEAR

DATE_PLACEHOLDER = "dd/mm/yyyy"


def year_field(*, required: bool) -> forms.IntegerField:
    """A year between FIRST_YEAR and LAST_YEAR, refused in Vietnamese otherwise."""
    return forms.IntegerField(
        label=_("Year"),
        required=required,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "required": _("Enter a year, e.g. 2018."),
            "invalid": _("Enter a year, e.g. 2018."),
            "min_value": _("Enter a year from %(limit_value)s."),
            "max_value": _("Enter a year up to %(limit_value)s."),
        },
    )


# The span a date in the portal's records may take unless its use narrows or widens it: the years kept.
EARLIEST_DATE = date(FIRST_YEAR, 1, 1)
LATEST_DATE = date(LAST_YEAR, 12, 31)


class BoundedDateField(forms.DateField):
    """A date between ``earliest`` and ``latest``: 01/01/0001 or 31/12/9999 is a slip of the keyboard."""

    def __init__(self, *, earliest: date, latest: date, **kwargs) -> None:
        super().__init__(**kwargs)
        self.earliest, self.latest = earliest, latest

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not self.earliest <= value <= self.latest:
            raise forms.ValidationError(
                _("Enter a date from %(earliest)s to %(latest)s."),
                code="out_of_range",
                params={"earliest": self.earliest.strftime("%d/%m/%Y"), "latest": self.latest.strftime("%d/%m/%Y")},
            )


def date_field(
    label, *, required: bool = True, help_text="", earliest: date = EARLIEST_DATE, latest: date = LATEST_DATE
) -> BoundedDateField:
    return BoundedDateField(
        label=label,
        required=required,
        help_text=help_text,
        earliest=earliest,
        latest=latest,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": DATE_PLACEHOLDER, "autocomplete": "off"}),
        error_messages={
            "required": _("Enter the date (dd/mm/yyyy)."),
            "invalid": _("Enter a valid date as dd/mm/yyyy, e.g. 01/07/2025."),
        },
    )


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class SearchInput(forms.TextInput):
    input_type = "search"


class KeptRowsFormSet(forms.BaseFormSet):
    """A formset of rows to keep: empty extra rows and rows ticked for deletion are left out."""

    def kept(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
