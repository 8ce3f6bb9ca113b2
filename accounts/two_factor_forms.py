"""Forms of two-step sign-in: a code (of the app, or a recovery code), turning it off, the policy per role."""

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Role
from .two_factor import TOTP_CODE, code_is_well_formed, normalise_code

CODE_ATTRS = {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false", "autofocus": True}


class CodeForm(forms.Form):
    """The code after the password: 6 digits from the app, or a recovery code."""

    code = forms.CharField(
        label=_("OTP code or recovery code"),
        max_length=20,
        help_text=_("The 6 digits the authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs=CODE_ATTRS),
        error_messages={
            "required": _("Enter the OTP code."),
            "max_length": _("A code has at most %(limit_value)d characters."),
        },
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code_is_well_formed(code):
            raise forms.ValidationError(
                _("Enter the 6 digits of the app, or a recovery code of 8 letters and digits."), code="format"
            )
        return code


class EnrolForm(forms.Form):
    """The first code of the app, which proves it holds the secret."""

    code = forms.CharField(
        label=_("OTP code shown by the app"),
        max_length=20,
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the OTP code."),
            "max_length": _("A code has at most %(limit_value)d characters."),
        },
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not TOTP_CODE.match(code):
            raise forms.ValidationError(_("Enter the 6 digits the app shows."), code="format")
        return code


class DisableForm(CodeForm):
    """Turning two-step sign-in off: the password and a code, so a session left open is not enough."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )
    field_order = ["password", "code"]

    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["code"].widget.attrs.pop("autofocus", None)
        self.fields["password"].widget.attrs["autofocus"] = True

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        # authenticate(), so django-axes counts the failures, as the password confirmation does.
        confirmed = authenticate(self.request, username=user.get_username(), password=password)
        if confirmed is None or confirmed.pk != user.pk:
            raise forms.ValidationError(_("The password is incorrect."), code="invalid")
        return password


class PolicyForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles that must use two-step sign-in"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose roles from the list.")},
    )

    def clean_roles(self) -> set[Role]:
        return {Role(code) for code in self.cleaned_data["roles"]}
