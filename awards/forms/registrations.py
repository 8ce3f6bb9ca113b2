"""Forms of the registration pages: a registration with its people, the reviewers' reasons, the campaign
list's filters and bulk approval.

They parse and check the shape of the input only; the rules (who may register which title, the deadline,
one registration per title, people only for individual titles) are ``awards.services``'.
"""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import KeptRowsFormSet, text_area, year_field
from core.text import NFCFormMixin

from ..models import AwardRegistration, AwardTitle

CHOOSE_FROM_LIST = _("Choose from the list.")


def note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=text_area(),
        help_text=_("Anything the region officers should know, e.g. the achievements the registration rests on."),
        error_messages={"max_length": _("Keep the note to %(limit_value)d characters.")},
    )


class TitleField(forms.ModelChoiceField):
    """Validates against every title, so that one not open to the unit reaches the service, which says why."""

    def label_from_instance(self, obj: AwardTitle) -> str:
        return obj.name


class RegistrationForm(NFCFormMixin, forms.Form):
    title = TitleField(
        label=_("Award title"),
        queryset=AwardTitle.objects.all(),
        error_messages={
            "required": _("Choose the title the unit registers for."),
            "invalid_choice": _("Choose a title from the list."),
        },
    )
    note = note_field()
    send = forms.BooleanField(required=False)  # set by the "Send to the region" button (name="send"), not shown

    def __init__(self, *args, titles: list[AwardTitle], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Shown: the titles open to the unit; validated: any title (the service refuses the others).
        self.fields["title"].choices = [("", _("Choose a title")), *((title.pk, title.name) for title in titles)]


class RegistrationEditForm(NFCFormMixin, forms.Form):
    note = note_field()


class PersonForm(NFCFormMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={
            "required": _("Enter the person's full name."),
            "max_length": _("Keep the name to %(limit_value)d characters."),
        },
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=150,
        help_text=_("e.g. Phó Giám đốc"),
        error_messages={
            "required": _("Enter the person's position."),
            "max_length": _("Keep the position to %(limit_value)d characters."),
        },
    )


class PeopleFormSetBase(KeptRowsFormSet):
    def people(self) -> list[tuple[str, str]]:
        return [(row["full_name"], row["position"]) for row in self.kept()]


PeopleFormSet = formset_factory(PersonForm, formset=PeopleFormSetBase, extra=3, can_delete=True)


def people_initial(registration: AwardRegistration) -> list[dict]:
    return [{"full_name": p.full_name, "position": p.position} for p in registration.people.all()]


class ReturnForm(NFCFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the return"),
        max_length=5000,
        widget=text_area(),
        help_text=_("The unit sees it: say what to complete or correct before sending again."),
        error_messages={
            "required": _("Say why the registration is returned, so the unit knows what to complete."),
            "max_length": _("Keep the reason to %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "return_%s")  # unique ids beside the other forms of the page
        super().__init__(*args, **kwargs)


class NotAwardedForm(NFCFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the title is not awarded"),
        max_length=5000,
        widget=text_area(),
        error_messages={
            "required": _("Say why the title is not awarded."),
            "max_length": _("Keep the reason to %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "not_awarded_%s")
        super().__init__(*args, **kwargs)


class MyRegistrationsForm(forms.Form):
    year = year_field(required=False)


class CampaignRegistrationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *AwardRegistration.Status.choices],
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    title = TitleField(
        label=_("Award title"),
        queryset=AwardTitle.objects.all(),
        required=False,
        empty_label=_("Every title"),
        error_messages={"invalid_choice": _("Choose a title from the list.")},
    )

    def __init__(self, *args, titles: list[AwardTitle], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].choices = [("", _("Every title")), *((title.pk, title.name) for title in titles)]


class BulkApproveForm(forms.Form):
    registrations = forms.TypedMultipleChoiceField(
        label=_("Registrations to approve"),
        coerce=int,
        error_messages={
            "required": _("Tick at least one registration awaiting approval."),
            "invalid_choice": _("Only registrations awaiting approval can be approved; reload the page and try again."),
        },
    )

    def __init__(self, *args, submitted_ids: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registrations"].choices = [(pk, pk) for pk in submitted_ids]
