"""Forms of the conference day (issue 17): a new board link, and the order of the ceremony."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.text import NFCFormMixin

from .board import BOARD_HOURS_CHOICES, BOARD_HOURS_DEFAULT, CeremonyPlace

STEP_ACTIONS = ("up", "down", "later", "back")


def _hours_label(hours: int) -> str:
    return ngettext_lazy("%(n)s hour", "%(n)s hours", hours) % {"n": hours}


class BoardLinkForm(NFCFormMixin, forms.Form):
    hours = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(hours, _hours_label(hours)) for hours in BOARD_HOURS_CHOICES],
        initial=BOARD_HOURS_DEFAULT,
        help_text=_("The link stops working after this time; you can revoke it sooner."),
        error_messages={"invalid_choice": _("Choose how long the link stays valid from the list.")},
    )


class CeremonyOrderForm(NFCFormMixin, forms.Form):
    """A place (number) and a "ký sau hội nghị" box for every signatory unit, in the current order."""

    def __init__(self, *args, order: list[CeremonyPlace], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order = order
        count = len(order)
        # Translated once for the form, not four times a unit (a pact may hold hundreds).
        out_of_range = _("Enter a place from 1 to %(count)s.") % {"count": count}
        not_a_number = _("Enter a whole number from 1 to %(count)s.") % {"count": count}
        for place in order:
            unit_id = place.slot.unit_id
            self.fields[f"place_{unit_id}"] = forms.IntegerField(
                label=_("Place of %(unit)s") % {"unit": place.slot.unit_name},
                min_value=1,
                max_value=count,
                initial=place.position,
                error_messages={
                    "required": out_of_range,
                    "invalid": not_a_number,
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                },
            )
            self.fields[f"later_{unit_id}"] = forms.BooleanField(
                label=_("%(unit)s signs after the conference") % {"unit": place.slot.unit_name},
                required=False,
                initial=place.after_conference,
            )

    def rows(self):
        """(place, its number field, its box) for the template, in the current order."""
        for place in self.order:
            unit_id = place.slot.unit_id
            yield place, self[f"place_{unit_id}"], self[f"later_{unit_id}"]

    def positions(self) -> dict[int, int]:
        return {p.slot.unit_id: self.cleaned_data[f"place_{p.slot.unit_id}"] for p in self.order}

    def after_conference(self) -> set[int]:
        return {p.slot.unit_id for p in self.order if self.cleaned_data[f"later_{p.slot.unit_id}"]}


class CeremonyStepForm(forms.Form):
    """One row's button ("up 12", "down 12", "later 12", "back 12"): move the unit up or down, or mark it
    "ký sau hội nghị" (later) or call it up again (back)."""

    move = forms.CharField(max_length=40, error_messages={"required": _("Choose a unit and what to do with it.")})

    def clean_move(self) -> tuple[str, int]:
        action, _space, unit = self.cleaned_data["move"].partition(" ")
        if action not in STEP_ACTIONS or not (unit.isascii() and unit.isdigit()):
            raise forms.ValidationError(_("Choose a unit and what to do with it."))
        return action, int(unit)
