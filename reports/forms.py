"""The dashboard's choice of year and region, and the request of a report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.years import FIRST_YEAR, LAST_YEAR

from .models import ReportKind

NATIONAL = "national"


class DashboardChoiceForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": _("Enter a year as four digits, e.g. 2026.")},
    )
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, regions: list[tuple[str, str]], country: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = ([("", _("Whole country"))] if country else []) + regions
        self.fields["region"].choices = choices
        self.fields["region"].required = not country


class ReportRequestForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"))
    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": _("Enter a year as four digits, e.g. 2026.")},
    )
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)

    def __init__(self, *args, regions: list[tuple[str, str]], national: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = ([(NATIONAL, _("Whole country (national roll-up)"))] if national else []) + regions
        self.fields["region"].choices = choices
