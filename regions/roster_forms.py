"""Forms of the roster editor: add a unit, change a role, reorder, and confirm a copy into a new year.

Unit fields accept any unit id and leave the rules (already in a region, not active that year,
head among the roster's units) to the services, so that their messages reach the user; the
select lists only offer the sensible choices.
"""

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import NFCFormMixin

from . import terms
from .models import FIRST_YEAR, LAST_YEAR, RegionMembership, Unit
from .selectors import RosterRow

ROLE_ERRORS = {
    "required": _("Choose head, deputy head or member."),
    "invalid_choice": _("Choose head, deputy head or member."),
}
POSITION_LIMIT = 9999


def _unit_choices(units: Iterable[tuple[int, str]], *, blank: str | None = None) -> list[tuple[object, str]]:
    choices: list[tuple[object, str]] = [("", blank)] if blank is not None else []
    return choices + [(pk, label) for pk, label in units]


class UnitSearchForm(NFCFormMixin, forms.Form):
    """Narrows the list of units that may be added (a GET form)."""

    q = forms.CharField(
        label=_("Find a unit by name"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
    )


class MembershipAddForm(NFCFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.all(),
        error_messages={"required": _("Choose a unit."), "invalid_choice": _("Choose a unit from the list.")},
    )
    role = forms.ChoiceField(
        label=_("Role in the region"),
        choices=RegionMembership.Role.choices,
        initial=RegionMembership.Role.MEMBER,
        error_messages=ROLE_ERRORS,
    )
    # The search that narrowed the list, kept so that a refused addition shows the same list again.
    q = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates: Iterable[tuple[int, str]] = (), **kwargs) -> None:
        kwargs.setdefault("auto_id", "add-%s")  # the search form on the same page already uses id_q
        super().__init__(*args, **kwargs)
        self.offer(candidates)

    def offer(self, candidates: Iterable[tuple[int, str]]) -> None:
        """Sets the units the select lists (the field itself accepts any unit: the service decides)."""
        self.fields["unit"].choices = _unit_choices(candidates, blank=_("Choose a unit"))


class MembershipRoleForm(NFCFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=RegionMembership.Role.choices, error_messages=ROLE_ERRORS)


class RosterOrderForm(NFCFormMixin, forms.Form):
    """One number per unit: the place it should take in the rotation."""

    def __init__(self, *args, memberships: list[RosterRow], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = memberships
        for membership in memberships:
            self.fields[self.field_name(membership)] = forms.IntegerField(
                label=membership.name_on_day,
                initial=membership.rotation_position,
                min_value=1,
                max_value=POSITION_LIMIT,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm w-6rem"}),
                error_messages={
                    "required": _("Enter a place in the order."),
                    "invalid": _("Enter a whole number."),
                    "min_value": _("Enter a number from 1 upwards."),
                    "max_value": _("Enter a number no greater than %(limit_value)s."),
                },
            )

    @staticmethod
    def field_name(membership: RosterRow) -> str:
        return f"place_{membership.unit_id}"

    def rows(self) -> list[tuple[RosterRow, forms.BoundField]]:
        """Each membership with its place field, marked invalid for Bootstrap when it has an error."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "")
                if "is-invalid" not in classes.split():  # once, however often the rows are read
                    widget.attrs["class"] = f"{classes} is-invalid"
        return [(m, self[self.field_name(m)]) for m in self.memberships]

    def ordered_unit_ids(self) -> list[int]:
        """The units sorted by the numbers typed; a unit moved onto a taken place goes where it was sent.

        Moving up to place 3 puts the unit before the one already there; moving down to place 5, after it.
        """

        def key(membership: RosterRow) -> tuple[int, int, int]:
            wanted = self.cleaned_data[self.field_name(membership)]
            current = membership.rotation_position
            direction = (wanted > current) - (wanted < current)
            return wanted, direction, current

        return [m.unit_id for m in sorted(self.memberships, key=key)]


class CopyTargetForm(NFCFormMixin, forms.Form):
    """Which year to create from this one (a GET form)."""

    to_year = forms.IntegerField(
        label=_("New year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "required": _("Enter the year to create."),
            "invalid": _("Enter a year, such as 2026."),
            "min_value": _("Enter a year no earlier than %(limit_value)s."),
            "max_value": _("Enter a year no later than %(limit_value)s."),
        },
    )

    def __init__(self, *args, from_year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.from_year = from_year

    def clean_to_year(self) -> int:
        to_year = self.cleaned_data["to_year"]
        if to_year <= self.from_year:
            raise forms.ValidationError(
                _("The new year must come after %(year)s."), code="too_early", params={"year": self.from_year}
            )
        return to_year


class CopyForwardForm(NFCFormMixin, forms.Form):
    """Step 2 of copying a roster: the head and deputy heads, as confirmed or changed by the user."""

    to_year = forms.IntegerField(widget=forms.HiddenInput)
    head = forms.ModelChoiceField(
        label=_("Head of region"),
        queryset=Unit.objects.all(),
        error_messages={
            "required": _("Choose the head of region."),
            "invalid_choice": _("Choose the head from the units of the roster."),
        },
    )
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputy heads of region"),
        queryset=Unit.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At most two."),
        error_messages={
            "invalid_choice": _("Choose the deputy heads from the units of the roster."),
            "invalid_pk_value": _("Choose the deputy heads from the units of the roster."),
        },
    )

    def __init__(self, *args, units: Iterable[tuple[int, str]], term: str = "", **kwargs) -> None:
        kwargs.setdefault("auto_id", "copy-%s")  # the year form on the same page already uses id_to_year
        super().__init__(*args, **kwargs)
        if term:  # the roles named as the region is called in the new year (Trưởng cụm…)
            self.fields["head"].label = terms.role_label(RegionMembership.Role.HEAD, term)
            self.fields["deputies"].label = terms.deputies_label(term)
        units = list(units)
        self.fields["head"].choices = _unit_choices(units, blank=_("Choose the head"))
        self.fields["deputies"].choices = _unit_choices(units)
