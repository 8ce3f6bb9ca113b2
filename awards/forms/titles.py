"""Forms of the title catalogue: a title, and its legal bases with the days they are in force.

They parse and check the shape of the input only; the rules (a unique code and name, at least one
kind of unit, at least one basis, dates in order) are ``awards.services.title_create``/``title_update``'s.
"""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import KeptRowsFormSet, date_field
from core.text import NFCFormMixin
from regions.models import UnitKind

from ..models import AwardTitle
from ..services.titles import BasisSpec

CHOOSE_FROM_LIST = _("Choose from the list.")


class TitleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: AwardTitle) -> str:
        return obj.name


class TitleForm(NFCFormMixin, forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        help_text=_("Letters without accents, digits and hyphens, e.g. co-thi-dua-nganh-tu-phap."),
        error_messages={
            "required": _("Enter a code for the title (letters, digits and hyphens)."),
            "invalid": _("Use only letters without accents, digits and hyphens in the code."),
            "max_length": _("Keep the code to %(limit_value)d characters."),
        },
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={
            "required": _("Enter the title's name."),
            "max_length": _("Keep the name to %(limit_value)d characters."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=AwardTitle.Kind.choices,
        error_messages={"required": _("Choose the kind."), "invalid_choice": CHOOSE_FROM_LIST},
    )
    subject = forms.ChoiceField(
        label=_("Awarded to"),
        choices=AwardTitle.Subject.choices,
        error_messages={"required": _("Choose whom the title is awarded to."), "invalid_choice": CHOOSE_FROM_LIST},
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=AwardTitle.Level.choices,
        error_messages={"required": _("Choose the level."), "invalid_choice": CHOOSE_FROM_LIST},
    )
    granting_authority = forms.CharField(
        label=_("Granting authority"),
        max_length=200,
        required=False,
        help_text=_("e.g. Bộ trưởng Bộ Tư pháp"),
        error_messages={"max_length": _("Keep the granting authority to %(limit_value)d characters.")},
    )
    unit_kinds = forms.MultipleChoiceField(
        label=_("Kinds of unit that may register"),
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For an individual title: the units whose staff may be registered."),
        error_messages={
            "required": _("Tick at least one kind of unit that may register."),
            "invalid_choice": _("Choose kinds of unit from the list."),
        },
    )
    requires_vote = forms.BooleanField(
        label=_("Proposed by the region's vote (suy tôn)"),
        required=False,
        help_text=_("Only the unit the region votes up at its year-end conference can be awarded the title."),
    )
    excludes = TitleChoiceField(
        label=_("Not together with"),
        queryset=AwardTitle.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Titles that may not be awarded for the same year's achievement."),
        error_messages={
            "invalid_choice": _("Choose titles from the list."),
            "invalid_pk_value": _("Choose titles from the list."),
        },
    )
    max_per_vote = forms.IntegerField(
        label=_("Units a vote may propose, at most"),
        required=False,
        min_value=1,
        max_value=32767,
        help_text=_("Empty: a vote may propose as many units as the region decides."),
        error_messages={
            "invalid": _("Enter a whole number, e.g. 1."),
            "min_value": _("Enter a number from %(limit_value)s."),
            "max_value": _("Enter a number up to %(limit_value)s."),
        },
    )
    chosen_from = forms.ModelChoiceField(
        label=_("Chosen from the units voted up for"),
        queryset=AwardTitle.objects.none(),
        required=False,
        help_text=_(
            "Only a unit the region voted up (suy tôn) for that title in the same year can be proposed or awarded, "
            "e.g. Cờ thi đua của Chính phủ among the units voted up for Cờ thi đua ngành Tư pháp."
        ),
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    max_share_percent = forms.IntegerField(
        label=_("At most (per cent of those units)"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Counted over the whole sector's year, rounded down: 20 allows 2 of 10 units, 1 of 9."),
        error_messages={
            "invalid": _("Enter a whole number from 1 to 100."),
            "min_value": _("Enter a share from 1 to 100 (per cent)."),
            "max_value": _("Enter a share from 1 to 100 (per cent)."),
        },
    )
    legal_basis = forms.CharField(
        label=_("Legal basis of the rules"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The articles and documents the rules come from, as they are cited (e.g. Khoản 1 Điều 25 Luật Thi đua, "
            "khen thưởng số 06/2022/QH15); one per line. Cite an article only when it has been checked."
        ),
        error_messages={"max_length": _("Keep the legal basis to %(limit_value)d characters.")},
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Conditions the portal cannot check, shown to units as reminders; one per line."),
    )
    position = forms.IntegerField(
        label=_("Order in lists"),
        min_value=0,
        max_value=32767,
        initial=0,
        error_messages={
            "required": _("Enter the order, e.g. 10."),
            "invalid": _("Enter the order as a whole number, e.g. 10."),
            "min_value": _("Enter an order from %(limit_value)s."),
            "max_value": _("Enter an order up to %(limit_value)s."),
        },
    )
    is_active = forms.BooleanField(
        label=_("In use"), required=False, initial=True, help_text=_("Units can register only titles in use.")
    )

    def __init__(self, *args, title: AwardTitle | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        others = AwardTitle.objects.order_by("position", "name")
        if title is not None:
            others = others.exclude(pk=title.pk)
        self.fields["excludes"].queryset = others
        self.fields["chosen_from"].queryset = others.filter(requires_vote=True)
        self.fields["chosen_from"].label_from_instance = lambda obj: obj.name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("max_share_percent") is not None and not cleaned.get("chosen_from"):
            self.add_error("chosen_from", _("A share needs the title whose voted-up units it is counted from."))
        return cleaned

    @staticmethod
    def initial_for(title: AwardTitle) -> dict:
        return {
            "code": title.code,
            "name": title.name,
            "kind": title.kind,
            "subject": title.subject,
            "level": title.level,
            "granting_authority": title.granting_authority,
            "unit_kinds": list(title.unit_kinds),
            "requires_vote": title.requires_vote,
            "excludes": [other.pk for other in title.excludes.all()],
            "conditions": title.conditions,
            "max_per_vote": title.max_per_vote or "",
            "chosen_from": title.chosen_from_id or "",
            "max_share_percent": title.max_share_percent or "",
            "legal_basis": title.legal_basis,
            "position": title.position,
            "is_active": title.is_active,
        }


class BasisForm(NFCFormMixin, forms.Form):
    document = forms.CharField(
        label=_("Legal document"),
        max_length=255,
        help_text=_("e.g. Thông tư 11/2023/TT-BTP"),
        error_messages={
            "required": _("Name the legal document."),
            "max_length": _("Keep the document's name to %(limit_value)d characters."),
        },
    )
    article = forms.CharField(
        label=_("Article"),
        max_length=100,
        required=False,
        help_text=_("e.g. Điều 26"),
        error_messages={"max_length": _("Keep the article to %(limit_value)d characters.")},
    )
    valid_from = date_field(_("In force from"))
    valid_to = date_field(_("In force until"), required=False, help_text=_("Leave empty while it is in force."))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The basis ends before it comes into force: check the two dates."))
        return cleaned


class BasisFormSetBase(KeptRowsFormSet):
    def specs(self) -> list[BasisSpec]:
        return [
            BasisSpec(
                document=row["document"],
                article=row.get("article") or "",
                valid_from=row["valid_from"],
                valid_to=row.get("valid_to"),
            )
            for row in self.kept()
        ]


BasisFormSet = formset_factory(BasisForm, formset=BasisFormSetBase, extra=2, can_delete=True)


def basis_initial(title: AwardTitle) -> list[dict]:
    return [
        {"document": b.document, "article": b.article, "valid_from": b.valid_from, "valid_to": b.valid_to}
        for b in title.bases.order_by("valid_from", "pk")
    ]
