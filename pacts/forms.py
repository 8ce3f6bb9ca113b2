"""Forms of the campaign and drafting pages.

They parse and check the shape of the input only; the rules (who may, duplicate campaigns, a
deadline in the future, editing only a draft) live in ``pacts.services``. Dates are typed
dd/mm/yyyy in a text box, times HH:MM on the 24-hour clock.
"""

import re

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import KeptRowsFormSet, SearchInput, date_field, text_area, year_field
from core.text import NFCFormMixin
from legal.models import LegalDocument
from regions.labels import labelled_as_named
from regions.models import Unit

from .models import Movement
from .movements import NAME_LENGTH, SHORT_NAME_LENGTH
from .permissions import can_create_campaign_for

DATETIME_PLACEHOLDER = "dd/mm/yyyy HH:MM"
# A commitment typed as "1. ...", "2) ..." keeps its text only: the pact numbers its commitments itself.
LEADING_NUMBER = re.compile(r"^\s*\d+\s*[.)]\s*")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class UnitChoiceMixin:
    """A field of unit ids, shown with their names of the year, cleaned into Unit objects in the order shown."""

    def _units_in_order(self, ids: list[int], field: str) -> list[Unit]:
        order = [pk for pk, _label in self.fields[field].choices]  # type: ignore[attr-defined]
        units = Unit.objects.in_bulk(ids)
        return [units[pk] for pk in order if pk in units]


class CampaignFilterForm(NFCFormMixin, forms.Form):
    year = year_field(required=False)
    region = forms.TypedChoiceField(
        label=_("Region"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a region from the list.")},
    )

    def __init__(self, *args, regions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions")), *((r.pk, r.name) for r in regions)]


class CampaignStartForm(NFCFormMixin, forms.Form):
    """Step 1 of a new campaign: which region and year (the host unit is chosen among that year's members)."""

    region = forms.TypedChoiceField(
        label=_("Region"),
        coerce=int,
        error_messages={
            "required": _("Choose a region."),
            "invalid_choice": _("Choose a region from the list."),
        },
    )
    year = year_field(required=True)

    def __init__(self, *args, user, regions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.regions = {region.pk: region for region in regions}
        self.fields["region"].choices = [("", _("Choose a region")), *((pk, r.name) for pk, r in self.regions.items())]

    def clean(self):
        cleaned = super().clean()
        region_id, year = cleaned.get("region"), cleaned.get("year")
        if region_id is None or year is None:
            return cleaned
        cleaned["region"] = region = self.regions[region_id]
        if not can_create_campaign_for(self.user, region, year):
            self.add_error(
                "region",
                _("Your unit is not the head of this region in %(year)s: its campaign is drafted by the head unit.")
                % {"year": year},
            )
        return cleaned


class MovementsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Movement) -> str:
        return obj.name


class CampaignForm(NFCFormMixin, forms.Form):
    """What a campaign says: title, theme, movements and the launch conference."""

    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        help_text=_("e.g. Kế hoạch phát động phong trào thi đua năm 2018"),
        error_messages={"required": _("Enter the campaign's title.")},
    )
    theme = forms.CharField(label=_("Theme"), required=False, widget=text_area())
    movements = MovementsField(
        label=_("Movements"),
        queryset=Movement.objects.order_by("id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose movements from the list."),
            "invalid_pk_value": _("Choose movements from the list."),
        },
    )
    conference_date = date_field(_("Conference date"), required=False)
    conference_place = forms.CharField(
        label=_("Conference place"), max_length=255, required=False, help_text=_("e.g. TP. Đồng Hới, Quảng Bình")
    )
    conference_host = forms.TypedChoiceField(
        label=_("Host unit"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose the host unit among the region's members.")},
    )
    conference_guests = forms.CharField(
        label=_("Guests"), required=False, widget=text_area(), help_text=_("One guest or delegation per line.")
    )
    registration_deadline = date_field(
        _("Award registration deadline"),
        required=False,
        help_text=_("The last day on which member units may register award titles; empty: no deadline yet."),
    )
    titles = forms.CharField(
        label=_("Titles aimed for"),
        required=False,
        max_length=4000,
        widget=text_area(4),
        help_text=_(
            "The emulation titles and forms of commendation the units register for, one per line, "
            "e.g. Cờ thi đua ngành Tư pháp; a new draft pact lists them."
        ),
    )

    def __init__(self, *args, host_choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Labelled with province and dates, so that two namesakes of the year never look alike.
        self.fields["conference_host"].choices = [("", _("No host unit yet")), *labelled_as_named(host_choices)]

    def clean_conference_host(self) -> Unit | None:
        pk = self.cleaned_data["conference_host"]
        return Unit.objects.get(pk=pk) if pk is not None else None


class PhaseForm(NFCFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, error_messages={"required": _("Enter the phase's name, e.g. Đợt 1.")}
    )
    start = date_field(_("From"))
    end = date_field(_("To"))
    unit_kinds = forms.MultipleChoiceField(
        label=_("Kinds of unit"),
        required=False,
        choices=Unit.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the phase applies to every unit."),
        error_messages={"invalid_choice": _("Choose a kind from the list.")},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The phase ends before it starts: its last day must be on or after its first."))
        return cleaned


class PhaseFormSetBase(KeptRowsFormSet):
    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and not self.kept():
            raise forms.ValidationError(_("Keep at least one phase."), code="empty")


PhaseFormSet = formset_factory(PhaseForm, formset=PhaseFormSetBase, extra=1, can_delete=True)


class TargetForm(NFCFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Target"), widget=text_area(2), error_messages={"required": _("Enter the target's text.")}
    )
    unit_kind = forms.ChoiceField(
        label=_("Kind of unit"),
        required=False,
        choices=[("", _("Every kind of unit")), *Unit.Kind.choices],
        error_messages={"invalid_choice": _("Choose a kind from the list.")},
    )


TargetFormSet = formset_factory(TargetForm, formset=KeptRowsFormSet, extra=2, can_delete=True)


def signatory_field() -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=_("Signatory units"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one signatory unit."),
            "invalid_choice": _("Choose the signatory units among the region's members."),
        },
    )


class PactCreateForm(NFCFormMixin, UnitChoiceMixin, forms.Form):
    block = forms.CharField(
        label=_("Block"),
        max_length=150,
        required=False,
        help_text=_("e.g. Khối Sở Tư pháp; leave empty for a pact of the whole region."),
    )
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    units = signatory_field()

    def __init__(self, *args, unit_choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = labelled_as_named(unit_choices)

    def clean_units(self) -> list[Unit]:
        return self._units_in_order(self.cleaned_data["units"], "units")


class LegalDocumentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: LegalDocument) -> str:
        return obj.citation


class PactDraftForm(NFCFormMixin, UnitChoiceMixin, forms.Form):
    """The editable parts of a draft; the commitments are typed one per paragraph."""

    title = forms.CharField(label=_("Title"), max_length=255, error_messages={"required": _("Enter the pact's title.")})
    number = forms.CharField(label=_("Number and symbol"), max_length=100, required=False)
    place = forms.CharField(
        label=_("Place"),
        max_length=100,
        help_text=_("As in the date line: the issuing body's province, e.g. Quảng Bình"),
        error_messages={"required": _("Enter the place of the date line, e.g. Quảng Bình.")},
    )
    signed_on = date_field(_("Date of the pact"))
    legal_documents = LegalDocumentsField(
        label=_("Legal bases from the catalogue"),
        queryset=LegalDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The documents in force on the date of the pact. Their lines are written into the bases in the "
            "order of their legal force; lines typed below for other bases are kept after them."
        ),
        error_messages={
            "invalid_choice": _("Choose the legal documents from the list."),
            "invalid_pk_value": _("Choose the legal documents from the list."),
        },
    )
    bases = forms.CharField(
        label=_("Bases"),
        required=False,
        widget=text_area(6),
        help_text=_("One legal basis (căn cứ) per line; type here a basis that is not in the catalogue."),
    )
    parties = forms.CharField(label=_("Parties"), required=False, widget=text_area())
    clauses = forms.CharField(
        label=_("Commitments"),
        required=False,
        widget=text_area(12),
        help_text=_("One commitment per paragraph: leave an empty line between two commitments. They are numbered."),
    )
    targets = forms.CharField(label=_("Targets"), required=False, widget=text_area(5))
    implementation = forms.CharField(label=_("Implementation"), required=False, widget=text_area(5))
    units = signatory_field()

    def __init__(self, *args, unit_choices: list[tuple[int, str]], documents=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = labelled_as_named(unit_choices)
        if documents is not None:
            self.fields["legal_documents"].queryset = documents

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("signed_on")
        for document in cleaned.get("legal_documents") or ():
            if day and not document.is_in_force_on(day):
                self.add_error(
                    "legal_documents",
                    _("%(document)s is not in force on %(day)s, the date of the pact.")
                    % {"document": document.citation, "day": f"{day:%d/%m/%Y}"},
                )
        return cleaned

    def clean_clauses(self) -> list[str]:
        text = self.cleaned_data["clauses"].replace("\r\n", "\n")
        paragraphs = (LEADING_NUMBER.sub("", part, count=1).strip() for part in PARAGRAPH_BREAK.split(text))
        return [paragraph for paragraph in paragraphs if paragraph]

    def clean_units(self) -> list[Unit]:
        return self._units_in_order(self.cleaned_data["units"], "units")


class CommentForm(NFCFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=text_area(4),
        error_messages={"required": _("Write a comment first.")},
    )


class PactOpenForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Signing deadline"),
        input_formats=["%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(
            format="%d/%m/%Y %H:%M", attrs={"placeholder": DATETIME_PLACEHOLDER, "autocomplete": "off"}
        ),
        help_text=_("Date and time (dd/mm/yyyy HH:MM), Vietnam time; after it nobody can sign."),
        error_messages={
            "required": _("Enter the deadline (dd/mm/yyyy HH:MM)."),
            "invalid": _("Enter the deadline as dd/mm/yyyy HH:MM, e.g. 31/03/2018 17:00."),
        },
    )


class PactWithdrawForm(NFCFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=2000,
        widget=text_area(4),
        help_text=_("Every signatory sees it. The signatures already given stay on record."),
        error_messages={"required": _("Give the reason for the withdrawal.")},
    )


# --- the list of emulation movements --------------------------------------------------------------


class MovementFilterForm(NFCFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=SearchInput(attrs={"placeholder": _("Name or short name")}),
        error_messages={"max_length": _("Shorten the search to %(limit_value)s characters.")},
    )

    def query(self) -> str:
        return self.cleaned_data["q"] if self.is_valid() else ""


class MovementForm(NFCFormMixin, forms.Form):
    """A movement's name, as campaigns' forms and pages show it, and its short name. Rules: pacts.movements."""

    name = forms.CharField(
        label=_("Name of the movement"),
        max_length=NAME_LENGTH,
        widget=text_area(3),
        help_text=_(
            "As the document launching it names it, e.g. "
            "Cả nước chung sức vì người nghèo - không để ai bị bỏ lại phía sau."
        ),
        error_messages={
            "required": _("Enter the movement's name."),
            "max_length": _("Shorten the movement's name to %(limit_value)s characters (it has %(show_value)s)."),
        },
    )
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=SHORT_NAME_LENGTH,
        required=False,
        help_text=_("Optional, e.g. Vì người nghèo."),
        error_messages={
            "max_length": _("Shorten the short name to %(limit_value)s characters (it has %(show_value)s)."),
        },
    )
