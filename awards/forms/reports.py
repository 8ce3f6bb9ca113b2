"""The filters of the registration report: year, region, title, kind of unit and status.

They check the shape of the input only; which regions a person may see is the view's to decide (a
region officer asking for another region is refused, not shown an empty report).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import year_field
from core.text import NFCFormMixin
from regions.forms import kind_field
from regions.models import Region

from ..models import AwardRegistration, AwardTitle

REGISTERED = "registered"


class TitleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AwardTitle) -> str:
        return obj.name


class ReportFilterForm(NFCFormMixin, forms.Form):
    year = year_field(required=False)  # the view fills in the latest year with registrations
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
        error_messages={"invalid_choice": _("Choose a region from the list.")},
    )
    title = TitleChoiceField(
        label=_("Award title"),
        queryset=AwardTitle.objects.all(),
        required=False,
        empty_label=_("All titles"),
        error_messages={"invalid_choice": _("Choose a title from the list.")},
    )
    kind = kind_field(required=False)
    status = forms.ChoiceField(
        label=_("Status of the registration"),
        choices=[(REGISTERED, _("Registered (sent and not withdrawn)")), *AwardRegistration.Status.choices],
        error_messages={
            "required": _("Choose a status."),
            "invalid_choice": _("Choose a status from the list."),
        },
    )

    def set_region_choices(self, regions: list[tuple[int, str]], *, all_label=None) -> None:
        """Shows the given regions (named as that year) while any existing region still validates."""
        field = self.fields["region"]
        field.choices = [("", all_label or field.empty_label), *regions]

    def set_title_choices(self, titles: list[AwardTitle]) -> None:
        """The catalogue's titles as read once for the page (the summary names its rows from them); any
        existing title still validates."""
        field = self.fields["title"]
        field.choices = [("", field.empty_label), *((title.pk, title.name) for title in titles)]

    def statuses(self) -> tuple[str, ...]:
        status = self.cleaned_data["status"]
        return AwardRegistration.REGISTERED if status == REGISTERED else (status,)

    def status_label(self) -> str:
        return str(dict(self.fields["status"].choices)[self.cleaned_data["status"]])
