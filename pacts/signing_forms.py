"""Forms of the signing and progress pages.

The signing form checks nothing itself: consent and the hash go to ``services.pact_sign``, which
refuses (and audits the refusal) when the box is not ticked or the text has changed.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import NFCFormMixin

from .models import AuditEvent, Pact

SHA256_HEX_LENGTH = 64


class SignForm(NFCFormMixin, forms.Form):
    consent = forms.BooleanField(required=False)
    content_hash = forms.CharField(required=False, widget=forms.HiddenInput, strip=True)

    def __init__(self, *args, unit_name: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = gettext(
            "I have read the whole text of the pact above and agree to sign it on behalf of %(unit)s."
        ) % {"unit": unit_name}

    def clean_content_hash(self) -> str:
        # Anything else is passed on as it is: the service compares it with the pact's hash and refuses.
        return self.cleaned_data["content_hash"][: SHA256_HEX_LENGTH * 2]


class StatusFilterForm(NFCFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Pact.Status.choices],
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )


class AuditFilterForm(NFCFormMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AuditEvent.Action.choices],
        error_messages={"invalid_choice": _("Choose an action from the list.")},
    )
