"""Forms of the decision pages: the list's filter, which year and title a decision awards, and the decision.

They parse and check the shape of the input only; the rules (a decision recorded once, only approved
or proposed registrations, one achievement one award) are ``awards.services.decision_record``'s.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import date_field, year_field
from core.text import NFCFormMixin

from ..models import AwardTitle

DEFAULT_ISSUER = "Bộ trưởng Bộ Tư pháp"


class DecisionFilterForm(NFCFormMixin, forms.Form):
    year = year_field(required=False)


class TitleField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AwardTitle) -> str:
        return obj.name


class DecisionStartForm(NFCFormMixin, forms.Form):
    """Step 1: the year of the achievement (the campaign's year) and the title the decision awards."""

    year = year_field(required=True)
    title = TitleField(
        label=_("Award title"),
        queryset=AwardTitle.objects.order_by("position", "name"),
        empty_label=_("Choose a title"),
        error_messages={
            "required": _("Choose the title the decision awards."),
            "invalid_choice": _("Choose a title from the list."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].label = _("Year of the achievement")
        self.fields["year"].help_text = _("The campaign's year, usually the year before the decision.")


class DecisionForm(NFCFormMixin, forms.Form):
    """Step 2: the registrations it awards (ids among the awardable ones), and the decision itself."""

    registrations = forms.TypedMultipleChoiceField(
        label=_("Registrations awarded"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one registration that the decision awards."),
            "invalid_choice": _("Choose the registrations among those that can be awarded."),
        },
    )
    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=100,
        help_text=_("e.g. 123/QĐ-BTP"),
        error_messages={
            "required": _("Enter the decision's number and symbol."),
            "max_length": _("Keep the number to %(limit_value)d characters."),
        },
    )
    signed_on = date_field(_("Date of the decision"))
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        help_text=_("e.g. Bộ trưởng Bộ Tư pháp"),
        error_messages={
            "required": _("Enter who issued the decision."),
            "max_length": _("Keep the issuer to %(limit_value)d characters."),
        },
    )
    summary = forms.CharField(
        label=_("About"),
        max_length=255,
        required=False,
        help_text=_("e.g. Tặng Cờ thi đua ngành Tư pháp năm 2024"),
        error_messages={"max_length": _("Keep the summary to %(limit_value)d characters.")},
    )

    def __init__(self, *args, awardable_ids: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registrations"].choices = [(pk, pk) for pk in awardable_ids]

    def chosen_ids(self) -> set[int]:
        """The ticked ids as typed (for showing the boxes again), whether valid or not."""
        chosen = set()
        for value in self["registrations"].value() or []:
            try:
                chosen.add(int(value))
            except (TypeError, ValueError):
                continue
        return chosen
