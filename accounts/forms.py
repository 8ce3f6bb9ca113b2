"""Forms of the accounts app: log-in, password confirmation, the profile and the password reset."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.template import loader
from django.utils.translation import gettext_lazy as _

from core.text import NFCFormMixin, guard_hidden_controls
from outbox.services import email_enqueue

from .models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        # Neutral: never says whether the account exists or is disabled.
        "invalid_login": _("The username or password is incorrect. Please try again."),
        "inactive": _("The username or password is incorrect. Please try again."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        # AuthenticationForm sets max_length on the field but no validator: a longer name reached authenticate().
        username.validators.append(
            MaxLengthValidator(username.max_length, _("A username has at most %(limit_value)d characters."))
        )
        # Not the password: whatever a person chose as a password is checked as it is.
        guard_hidden_controls(username)


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": _("Enter your password.")},
    )

    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        # authenticate() rather than check_password(), so django-axes counts the failures too.
        confirmed = authenticate(self.request, username=user.get_username(), password=password)
        if confirmed is None or confirmed.pk != user.pk:
            raise forms.ValidationError(_("The password is incorrect."), code="invalid")
        return password


class ProfileForm(NFCFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["email"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].error_messages.update(
            {"required": _("Enter an e-mail address."), "invalid": _("Enter a valid e-mail address.")}
        )
        self.fields["email"].help_text = _("Password reset links are sent to this address.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another account already uses this e-mail address."))
        return email


class EmailPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(
            {"required": _("Enter an e-mail address."), "invalid": _("Enter a valid e-mail address.")}
        )
        guard_hidden_controls(self.fields["email"])

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Writes the reset e-mail to the outbox instead of sending it in the request: a mail server or
        broker that is down delays it, never loses it nor shows the person an error page."""
        email_enqueue(
            to=to_email,
            subject=loader.render_to_string(subject_template_name, context),
            body=loader.render_to_string(email_template_name, context),
            kind="accounts.password_reset",
            reference={"user": context["user"].pk},
            secret=True,
        )
