"""Forms of the catalogue's pages: the list's filter and a document's fields. Rules live in legal.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SearchInput, date_field, text_area
from core.text import NFCFormMixin

from .models import DocumentKind


class DocumentFilterForm(NFCFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=SearchInput(attrs={"placeholder": _("Number, subject or issuer")}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *DocumentKind.choices],
        error_messages={"invalid_choice": _("Choose a kind from the list.")},
    )
    in_force = date_field(_("In force on"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": "", "kind": "", "in_force": None}
        return {name: self.cleaned_data[name] for name in ("q", "kind", "in_force")}


class DocumentForm(NFCFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Choose a kind")), *DocumentKind.choices],
        error_messages={
            "required": _("Choose the kind of document."),
            "invalid_choice": _("Choose a kind from the list."),
        },
    )
    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=60,
        help_text=_("As printed after “Số:”, e.g. 06/2022/QH15."),
        error_messages={"required": _("Enter the document's number and symbol, e.g. 06/2022/QH15.")},
    )
    issuer = forms.CharField(
        label=_("Issuer"),
        max_length=150,
        help_text=_("e.g. Quốc hội, Chính phủ, Bộ Tư pháp"),
        error_messages={"required": _("Enter the body that issued the document, e.g. Chính phủ.")},
    )
    signed_on = date_field(_("Date of issue"))
    title = forms.CharField(
        label=_("Subject line"),
        max_length=1000,
        widget=text_area(3),
        help_text=_(
            "For a law, its name after the word Luật (Thi đua, khen thưởng); otherwise the subject line "
            "(trích yếu) as printed, e.g. quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng."
        ),
        error_messages={"required": _("Enter the document's subject (trích yếu).")},
    )
    in_force_from = date_field(
        _("In force from"), required=False, help_text=_("Empty when not recorded: then from its date of issue.")
    )
    in_force_to = date_field(
        _("In force until"), required=False, help_text=_("The last day in force; empty while in force.")
    )
    suggested = forms.BooleanField(
        label=_("Suggested for new pacts"),
        required=False,
        help_text=_("Ticked in advance among the bases of a new draft pact dated while it is in force."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=text_area(2),
        help_text=_("e.g. where the text was checked, what replaced it."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end, issued = cleaned.get("in_force_from"), cleaned.get("in_force_to"), cleaned.get("signed_on")
        if start and end and end < start:
            self.add_error("in_force_to", _("The last day in force cannot be before the first."))
        elif end and issued and end < issued:
            self.add_error("in_force_to", _("The last day in force cannot be before the date of issue."))
        return cleaned
