"""Forms of the people area: the filter of the list, an account's details and roles, a reason."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.permissions import can_grant_role
from core.forms import SearchInput, text_area
from core.text import NFCFormMixin
from regions.forms import UnitChoiceField
from regions.labels import unit_label

__all__ = ["PeopleFilterForm", "PersonCreateForm", "PersonForm", "ReasonForm", "unit_label"]

STATUS_CHOICES = [
    ("", _("Any status")),
    ("active", _("Active")),
    ("pending", _("Invitation not yet accepted")),
    ("inactive", _("Deactivated")),
]
# Roles that work only with a unit: a leader signs for it, a region officer works for its region.
ROLES_NEEDING_A_UNIT = {Role.LEADER, Role.REGION}


class PeopleFilterForm(NFCFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=SearchInput(attrs={"placeholder": _("Name, username or e-mail")}),
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Any role")), *Role.choices],
        error_messages={"invalid_choice": _("Choose a role from the list.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=STATUS_CHOICES,
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )

    def filters(self) -> dict:
        """The valid filters as keyword arguments of ``selectors.people_for_list``; bad ones are left out."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": (data.get("q") or "").strip(),
            "role": data.get("role") or "",
            "status": data.get("status") or "",
        }


class PersonForm(NFCFormMixin, forms.Form):
    """An account's details and roles; never a password: the person sets their own through the invitation."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={
            "required": _("Enter the person's full name."),
            "max_length": _("A full name has at most %(limit_value)d characters."),
        },
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("The invitation and password reset links are sent to this address."),
        error_messages={
            "required": _("Enter an e-mail address."),
            "invalid": _("Enter a valid e-mail address."),
            "max_length": _("An e-mail address has at most %(limit_value)d characters."),
        },
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=150,
        required=False,
        help_text=_("e.g. Director, Deputy Director"),
        error_messages={"max_length": _("A position has at most %(limit_value)d characters.")},
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        required=False,
        empty_label=_("No unit"),
        help_text=_("Only units active today are offered. A unit leader or region officer needs one."),
        error_messages={"invalid_choice": _("Choose a unit from the list.")},
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        widget=forms.CheckboxSelectMultiple,
        choices=Role.choices,
        error_messages={
            "required": _("Choose at least one role. To stop an account, deactivate it."),
            "invalid_choice": _("Choose roles from the list."),
        },
    )

    def __init__(self, *args, actor: User, account: User | None = None, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        self.fields["unit"].offer(today, keep=account.unit if account else None)
        self.fields["roles"].choices = [(role.value, role.label) for role in Role if can_grant_role(actor, role)]
        if not can_grant_role(actor, Role.ADMIN):
            self.fields["roles"].help_text = _("Only an administrator can give the administrator role.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.exclude(pk=self.account.pk) if self.account else User.objects.all()
        if others.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Another account already uses this e-mail address."))
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        roles = {Role(code) for code in cleaned.get("roles") or []}
        if roles & ROLES_NEEDING_A_UNIT and not cleaned.get("unit") and "unit" not in self.errors:
            self.add_error("unit", _("A unit leader or region officer needs a unit: choose it."))
        cleaned["roles"] = roles
        return cleaned


class PersonCreateForm(PersonForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("What the person types to log in: letters without marks, digits and . @ + - _ only."),
        validators=[User.username_validator],
        error_messages={
            "required": _("Enter a username, e.g. nguyen.van.a."),
            "max_length": _("A username has at most %(limit_value)d characters."),
        },
    )

    field_order = ["full_name", "username", "email", "position", "unit", "roles"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "autocomplete": "off"})

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not username.isascii():
            raise forms.ValidationError(_("Use letters without marks, digits and . @ + - _ only."))
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Another account already uses this username."))
        return username


class ReasonForm(NFCFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=text_area(3),
        help_text=_("Kept in the account's history, with your name and the time."),
        error_messages={
            "required": _("Give the reason: it is kept in the account's history."),
            "max_length": _("A reason has at most %(limit_value)d characters."),
        },
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Give the reason: it is kept in the account's history."))
        return reason
