"""Form of the suy tôn vote page: the vote's date, ballots and note, and the votes for each candidate.

It parses and checks the shape of the input only; the rules (votes within the ballots cast, the winner)
are ``awards.services``'.
"""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.forms import date_field, text_area
from core.text import NFCFormMixin

MAX_SMALL = 32767  # the largest count a PositiveSmallIntegerField holds


def count_field(label, *, min_value: int, help_text="") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=MAX_SMALL,
        help_text=help_text,
        error_messages={
            "required": _("Enter a whole number."),
            "invalid": _("Enter a whole number, e.g. 12."),
            "min_value": _("Enter a number from %(limit_value)s."),
            "max_value": _("Enter a number up to %(limit_value)s."),
        },
    )


def votes_field_name(registration_id: int) -> str:
    return f"votes_{registration_id}"


class VoteForm(NFCFormMixin, forms.Form):
    """The vote's date, ballots and note, and one "votes for" number per candidate (``votes_<registration id>``)."""

    held_on = date_field(_("Date of the vote"))
    ballots_cast = count_field(
        _("Ballots cast"), min_value=1, help_text=_("One ballot per member unit present at the conference.")
    )
    seats = count_field(
        _("Units to elect"),
        min_value=1,
        help_text=_("How many units the vote proposes; each ballot names up to that many."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=text_area(),
        help_text=_("e.g. the minutes of the year-end conference"),
        error_messages={"max_length": _("Keep the note to %(limit_value)d characters.")},
    )

    def __init__(self, *args, candidates: list[tuple[int, str]], max_seats: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seats"].required = False  # empty: one unit, as a vote always elected before
        if max_seats is not None:
            self.fields["seats"].max_value = max_seats
            self.fields["seats"].validators.append(MaxValueValidator(max_seats))
            self.fields["seats"].widget.attrs["max"] = max_seats
        self.candidate_names = []
        for registration_id, unit_name in candidates:
            name = votes_field_name(registration_id)
            self.fields[name] = count_field(_("Votes for %(unit)s") % {"unit": unit_name}, min_value=0)
            self.candidate_names.append(name)

    def candidate_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.candidate_names]

    def seats_elected(self) -> int:
        return self.cleaned_data.get("seats") or 1

    def counts(self) -> dict[int, int]:
        return {int(name.removeprefix("votes_")): self.cleaned_data[name] for name in self.candidate_names}
