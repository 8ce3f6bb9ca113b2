"""The rows of "bring leaders on board": one per leader without an account, on a unit's page or for a whole roster.

A row is either a leader already recorded (an appointment without an account: only the e-mail address is typed)
or a new leader (name, position, kind, from-date and e-mail). The rows are made by the server from the leaders
of the day, on the page and again when it is sent, so that no row can be added or forged; a row left empty is
skipped; every row is checked, with its message under its box, and nothing is saved while any row fails.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import date_field
from core.text import NFCFormMixin

from .forms import SECTOR_FOUNDED
from .models import HEAD_LIKE_KINDS, Appointment, Unit
from .services import LeaderRow

TYPED = ("full_name", "position", "start", "email")
REQUIRED = {
    "full_name": gettext_lazy("Enter the leader's full name."),
    "position": gettext_lazy("Enter the leader's position."),
    "kind": gettext_lazy("Choose head, acting head or deputy head."),
    "start": gettext_lazy("Enter the date (dd/mm/yyyy)."),
    "email": gettext_lazy("Enter the leader's e-mail address: the invitation is sent there."),
}


@dataclass(frozen=True)
class RowSpec:
    """What a row is for: its unit (and label), and the appointment it gives an account to, if any."""

    key: str
    unit: Unit
    unit_label: str
    appointment: Appointment | None = None
    kind: str = Appointment.Kind.HEAD


def row_specs(units: list[tuple[Unit, str]], leaders: dict[int, list[Appointment]], *, extra: bool) -> list[RowSpec]:
    """A row per leader of the day without an account, and one for a new head where a unit has none on that day;
    with ``extra`` (a unit's own page), one more for another leader of a unit that has its head."""
    specs = []
    for unit, label in units:
        current = leaders.get(unit.pk, [])
        for appointment in current:
            if appointment.user_id is None:
                specs.append(RowSpec(f"a{appointment.pk}", unit, label, appointment, appointment.kind))
        if not any(a.kind in HEAD_LIKE_KINDS for a in current):
            specs.append(RowSpec(f"u{unit.pk}", unit, label))
        elif extra:
            specs.append(RowSpec(f"u{unit.pk}", unit, label, kind=Appointment.Kind.DEPUTY))
    return specs


class LeaderRowForm(NFCFormMixin, forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150, required=False)
    position = forms.CharField(
        label=gettext_lazy("Position"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. Giám đốc, Cục trưởng")}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Appointed as"),
        choices=Appointment.Kind.choices,
        required=False,
        error_messages={
            "required": gettext_lazy("Choose head, acting head or deputy head."),
            "invalid_choice": gettext_lazy("Choose head, acting head or deputy head."),
        },
    )
    start = date_field(gettext_lazy("From"), required=False, earliest=SECTOR_FOUNDED)
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        max_length=254,
        required=False,
        error_messages={
            "invalid": gettext_lazy("Enter a valid e-mail address."),
            "max_length": gettext_lazy("An e-mail address has at most %(limit_value)d characters."),
        },
    )

    def __init__(self, data=None, *, spec: RowSpec, **kwargs) -> None:
        super().__init__(data, prefix=spec.key, initial={"kind": spec.kind}, **kwargs)
        self.spec = spec
        self.skipped = False
        if spec.appointment is not None:
            for name in ("full_name", "position", "kind", "start"):
                del self.fields[name]
        for name, field in self.fields.items():
            size = "form-select form-select-sm" if name == "kind" else "form-control form-control-sm"
            field.widget.attrs["class"] = size
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "none"})

    def clean(self) -> dict:
        cleaned = super().clean()
        typed = [(self.data.get(self.add_prefix(name)) or "").strip() for name in TYPED if name in self.fields]
        self.skipped = not any(typed)
        if self.skipped:
            return cleaned
        for name, message in REQUIRED.items():
            if name in self.fields and not cleaned.get(name) and name not in self.errors:
                self.add_error(name, str(message))
        return cleaned

    def leader_row(self) -> LeaderRow:
        data = self.cleaned_data
        return LeaderRow(
            key=self.spec.key,
            unit=self.spec.unit,
            email=data["email"],
            appointment=self.spec.appointment,
            full_name=data.get("full_name", ""),
            position=data.get("position", ""),
            kind=data.get("kind") or self.spec.kind,
            start=data.get("start"),
        )

    def mark_invalid(self) -> None:
        """Bootstrap's red border on every box with an error (the message is shown under it)."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class LeaderRowsFormSet:
    """The rows as a formset: valid when every filled row is, at least one is filled, and no address is twice."""

    def __init__(self, data=None, *, specs: list[RowSpec]) -> None:
        self.is_bound = data is not None
        self.forms = [LeaderRowForm(data, spec=spec) for spec in specs]
        self.errors: list[str] = []

    def is_valid(self) -> bool:
        if not self.is_bound:
            return False
        valid = all([form.is_valid() for form in self.forms])
        filled = [form for form in self.forms if not form.skipped]
        seen: dict[str, LeaderRowForm] = {}
        for form in filled:
            email = (form.cleaned_data.get("email") or "").lower()
            if email and email in seen:
                message = _("The same address is in the row of %(name)s.") % {"name": _row_name(seen[email])}
                form.add_error("email", message)
                valid = False
            seen.setdefault(email, form)
        if valid and not filled:
            self.errors.append(_("Fill in at least one row: a row left empty is skipped."))
            valid = False
        self.mark_invalid()
        return valid

    def leader_rows(self) -> list[LeaderRow]:
        return [form.leader_row() for form in self.forms if not form.skipped]

    def add_errors(self, errors: dict) -> None:
        """The service's errors (``LeadersNotOnBoard.errors``), each under its row's box or above the row."""
        by_key = {form.spec.key: form for form in self.forms}
        for key, error in errors.items():
            form = by_key[key]
            form.add_error(error.field if error.field in form.fields else None, error.message)
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for form in self.forms:
            form.mark_invalid()

    @property
    def error_count(self) -> int:
        return sum(1 for form in self.forms if form.errors)


def _row_name(form: LeaderRowForm) -> str:
    if form.spec.appointment is not None:
        return form.spec.appointment.full_name
    return form.cleaned_data.get("full_name") or form.spec.unit_label
