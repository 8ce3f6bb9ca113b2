"""Forms of the unit and region pages: filters, create and edit, rename, merge, leaders.

They parse and check the shape of the input only; the rules live in ``regions.services``.
Dates are typed dd/mm/yyyy in a text box, as civil servants (and Excel users) write them.
"""

from datetime import date
from functools import cache, lru_cache

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.forms import SearchInput, date_field, year_field
from core.text import NFCFormMixin, ascii_slug

from . import selectors
from .labels import unit_label, unit_labels_on, units_to_offer
from .models import Appointment, Province, Region, RegionTerm, Unit

MERGE_CHOICES_SHOWN = 100
# A unit of the sector, its names and its leaders' terms may have begun before the portal's first year (the
# default bound of a date), but not before the Ministry of Justice was founded.
SECTOR_FOUNDED = date(1945, 8, 28)
PARENT_KINDS = (Unit.Kind.CUC_THADS, Unit.Kind.THADS_TINH)


def kind_field(*, required: bool = True) -> forms.ChoiceField:
    empty = [("", _("Choose the kind of unit") if required else _("All kinds"))]
    return forms.ChoiceField(
        label=_("Kind of unit"),
        required=required,
        choices=empty + list(Unit.Kind.choices),
        error_messages={
            "required": _("Choose the kind of unit."),
            "invalid_choice": _("Choose a kind from the list."),
        },
    )


def province_choices(empty_label) -> list:
    """Provinces grouped: today's map (after the 2025 merger) first, then the former ones, each former one
    with the day it ended. The list is on every unit page's filter: its labels are written once per language
    and set of provinces (the provinces are read on every request, so a change shows at once)."""
    current, former = _province_groups(get_language(), tuple(selectors.provinces_for_choice()))
    groups = [(_("Current provinces"), list(current)), (_("Former provinces (until 2025)"), list(former))]
    return [("", empty_label), *groups]


@lru_cache(maxsize=8)
def _province_groups(language: str, provinces: tuple) -> tuple[tuple, tuple]:
    current, former = [], []
    day = cache(date_format)
    for pk, name, valid_from, valid_to in provinces:
        if valid_to:
            former.append((pk, _("%(name)s (until %(day)s)") % {"name": name, "day": day(valid_to)}))
        elif valid_from:
            current.append((pk, _("%(name)s (from %(day)s)") % {"name": name, "day": day(valid_from)}))
        else:
            current.append((pk, name))
    return tuple(current), tuple(former)


def province_field(*, empty_label) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("Choose a province from the list.")},
        empty_label=empty_label,
    )


class ProvinceChoicesMixin:
    """Fills the ``province`` select with grouped choices, in one query."""

    province_empty_label = _("No province")

    def _group_provinces(self) -> None:
        field = self.fields["province"]  # type: ignore[attr-defined]
        # Setting choices on a ModelChoiceField shows them while its queryset still validates.
        field.choices = province_choices(self.province_empty_label)


class UnitFilterForm(NFCFormMixin, ProvinceChoicesMixin, forms.Form):
    ACTIVE_CHOICES = [("", _("Active or not")), ("yes", _("Active")), ("no", _("Not active"))]
    province_empty_label = _("All provinces")

    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=255,
        widget=SearchInput(attrs={"placeholder": _("Current or former name")}),
    )
    kind = kind_field(required=False)
    province = province_field(empty_label=_("All provinces"))
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label=_("All regions"),
        error_messages={"invalid_choice": _("Choose a region from the list.")},
    )
    year = year_field(required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=ACTIVE_CHOICES,
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._group_provinces()
        # Read as values in one query: the field's own iteration opens a server-side cursor (three round trips).
        region = self.fields["region"]
        region.choices = [("", region.empty_label), *Region.objects.order_by("name").values_list("pk", "name")]

    def filters(self) -> dict:
        """The valid filters as keyword arguments of ``selectors.units_for_list``; bad ones are left out."""
        self.is_valid()
        data = self.cleaned_data
        active = {"yes": True, "no": False}.get(data.get("active") or "")
        return {
            "search": (data.get("q") or "").strip(),
            "kind": data.get("kind") or "",
            "province": data.get("province"),
            "region": data.get("region"),
            "year": data.get("year"),
            "active": active,
        }


class UnitLabelsMixin:
    """Labels every unit offered with its name and province on ``day`` and its dates (``regions.labels``), so
    that two namesakes never look alike; the labels are read in one query when the list is first drawn."""

    day: date | None = None
    _labels: dict[int, str] | None = None

    def label_units_on(self, day: date) -> None:
        self.day, self._labels = day, None

    def label_from_instance(self, obj: Unit) -> str:
        if self.day is None:
            return unit_label(obj)
        if self._labels is None:
            self._labels = unit_labels_on(self.queryset, self.day)  # type: ignore[attr-defined]
        return self._labels.get(obj.pk) or unit_label(obj)


class UnitChoiceField(UnitLabelsMixin, forms.ModelChoiceField):
    """A unit picker: the units active on the day that matters (and the one already chosen, even if it has
    ended), each labelled with its name and province on that day and its dates.

    ``day`` may be given here or later with ``offer`` (a form that learns its day in ``__init__``)."""

    def __init__(self, *args, day: date | None = None, keep: Unit | None = None, **kwargs) -> None:
        kwargs.setdefault("queryset", Unit.objects.none())
        kwargs.setdefault("error_messages", {"invalid_choice": _("Choose a unit from the list.")})
        super().__init__(*args, **kwargs)
        if day is not None:
            self.offer(day, keep=keep)

    def offer(self, day: date, *, keep: Unit | None = None, queryset=None) -> None:
        """Offers the units active on ``day`` (or those of ``queryset`` that are), labelled on that day."""
        offered = units_to_offer(day, keep=keep)
        if queryset is not None:
            offered = offered.filter(pk__in=queryset.values("pk"))
        self.queryset = offered
        self.label_units_on(day)


class UnitParentField(UnitChoiceField):
    pass


class UnitEditForm(NFCFormMixin, ProvinceChoicesMixin, forms.Form):
    """What a unit is; its name changes only through a rename."""

    kind = kind_field()
    province = province_field(empty_label=_("No province"))
    parent = UnitParentField(
        label=_("Parent unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("No parent unit"),
        help_text=_("A Chi cục THADS belongs to its Cục THADS; a regional THADS office to its provincial THADS."),
        error_messages={"invalid_choice": _("Choose a parent unit from the list.")},
    )
    active_from = date_field(_("Active from"), required=False, earliest=SECTOR_FOUNDED)
    active_to = date_field(
        _("Active until"), required=False, help_text=_("Leave empty while the unit exists."), earliest=SECTOR_FOUNDED
    )

    def __init__(self, *args, unit: Unit | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._group_provinces()
        parents = Unit.objects.filter(kind__in=PARENT_KINDS)
        if unit is not None:
            # Keep a parent of another kind (set in the admin) selectable rather than dropping it silently.
            parents = Unit.objects.filter(Q(kind__in=PARENT_KINDS) | Q(pk=unit.parent_id)).exclude(pk=unit.pk)
        # A unit may be recorded long after its time (a Chi cục THADS under a Cục that ended in 2025): every
        # possible parent is offered, labelled with its dates, and ``clean`` refuses one whose dates miss the unit's.
        day = timezone.localdate()
        if unit is not None and unit.active_to and unit.active_to < day:
            day = unit.active_to
        self.fields["parent"].queryset = parents.select_related("province").order_by("name", "pk")
        self.fields["parent"].label_units_on(day)

    def clean(self) -> dict:
        cleaned = super().clean()
        parent, start, end = cleaned.get("parent"), cleaned.get("active_from"), cleaned.get("active_to")
        if parent is not None and not _overlap(parent, start, end):
            self.add_error(
                "parent",
                _("%(unit)s was not active while this unit was: choose the parent unit of that time.")
                % {"unit": unit_label(parent)},
            )
        return cleaned


def _overlap(unit: Unit, start: date | None, end: date | None) -> bool:
    """Whether ``unit`` was active on some day between ``start`` and ``end`` (either may be open)."""
    return (unit.active_to is None or start is None or start <= unit.active_to) and (
        unit.active_from is None or end is None or unit.active_from <= end
    )


class UnitCreateForm(UnitEditForm):
    name = forms.CharField(label=_("Name"), max_length=255, error_messages={"required": _("Enter the unit's name.")})
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    basis = forms.CharField(
        label=_("Basis"),
        max_length=255,
        required=False,
        help_text=_("e.g. the decision that established the unit"),
    )

    field_order = ["name", "short_name", "kind", "province", "parent", "active_from", "active_to", "basis"]


class UnitRenameForm(NFCFormMixin, ProvinceChoicesMixin, forms.Form):
    province_empty_label = _("The same province as before")

    name = forms.CharField(label=_("New name"), max_length=255, error_messages={"required": _("Enter the new name.")})
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    effective = date_field(_("In effect from"), earliest=SECTOR_FOUNDED)
    province = province_field(empty_label=_("The same province as before"))
    basis = forms.CharField(
        label=_("Basis"), max_length=255, required=False, help_text=_("e.g. the decision that renamed the unit")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].help_text = _(
            "Choose one if the unit moved to another province with this name (e.g. thành phố Huế from 01/01/2025)."
        )
        self._group_provinces()

    def rename_kwargs(self) -> dict:
        """What ``services.unit_rename`` takes: the province only when one was chosen."""
        data = dict(self.cleaned_data)
        if data.get("province") is None:
            data.pop("province", None)
        return data


class MergeUnitsField(UnitLabelsMixin, forms.ModelMultipleChoiceField):
    """Units not merged yet, whatever their dates (a merger is often recorded after the day it took effect):
    each labelled with its latest name, province and dates."""


class UnitMergeForm(NFCFormMixin, ProvinceChoicesMixin, forms.Form):
    """Units to merge, found by a search (kept chosen across searches), and the unit they become."""

    province_empty_label = _("No province")

    q = forms.CharField(
        label=_("Find units"),
        required=False,
        max_length=255,
        widget=SearchInput(attrs={"placeholder": _("Current or former name")}),
    )
    units = MergeUnitsField(
        label=_("Units to merge"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least two units to merge."),
            "invalid_choice": _("A unit you chose can no longer be merged; search again."),
            "invalid_pk_value": _("A unit you chose can no longer be merged; search again."),
        },
    )
    name = forms.CharField(
        label=_("Name of the new unit"), max_length=255, error_messages={"required": _("Enter the unit's name.")}
    )
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    kind = kind_field()
    province = province_field(empty_label=_("No province"))
    effective = date_field(
        _("In effect from"), help_text=_("The merged units end the day before."), earliest=SECTOR_FOUNDED
    )
    basis = forms.CharField(
        label=_("Basis"), max_length=255, required=False, help_text=_("e.g. the decision on the merger")
    )

    def __init__(self, *args, search: str = "", chosen_ids: list[int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._group_provinces()
        candidates = selectors.mergeable_units()
        shown = candidates.order_by("name", "pk")
        if search:
            shown = shown.filter(selectors.units_named_like(search))
        shown_ids = list(shown.values_list("pk", flat=True)[:MERGE_CHOICES_SHOWN])
        self.fields["units"].queryset = candidates.filter(pk__in=[*shown_ids, *(chosen_ids or [])]).order_by("name")
        self.fields["units"].label_units_on(timezone.localdate())


class AppointmentForm(NFCFormMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, error_messages={"required": _("Enter the leader's full name.")}
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=150,
        help_text=_("e.g. Giám đốc, Cục trưởng"),
        error_messages={"required": _("Enter the leader's position.")},
    )
    kind = forms.ChoiceField(
        label=_("Appointed as"),
        choices=Appointment.Kind.choices,
        initial=Appointment.Kind.HEAD,
        error_messages={
            "required": _("Choose head, acting head or deputy head."),
            "invalid_choice": _("Choose head, acting head or deputy head."),
        },
    )
    start = date_field(_("From"), earliest=SECTOR_FOUNDED)
    end = date_field(_("To"), required=False, help_text=_("Leave empty while the term runs."), earliest=SECTOR_FOUNDED)
    username = forms.CharField(
        label=_("User account"),
        max_length=150,
        required=False,
        help_text=_("The username of the leader's account, if they sign in the portal."),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise forms.ValidationError(_("No account has this username."), code="unknown_user")
        return user


class RegionFilterForm(NFCFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=255,
        widget=SearchInput(attrs={"placeholder": _("Current or former name")}),
    )
    year = year_field(required=False)


class RegionEditForm(NFCFormMixin, forms.Form):
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class RegionCreateForm(RegionEditForm):
    name = forms.CharField(label=_("Name"), max_length=255, error_messages={"required": _("Enter the region's name.")})
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    slug = forms.CharField(
        label=_("Web address"),
        max_length=100,
        required=False,
        help_text=_("The region's part of its page address, e.g. mien-dong-nam-bo; made from the name if empty."),
    )
    effective = date_field(
        _("Name in effect from"),
        required=False,
        help_text=_("Leave empty if the day is not known: the portal never makes one up."),
    )
    term = forms.ChoiceField(
        label=_("Called"),
        required=False,
        choices=[("", _("As its name says"))] + list(RegionTerm.choices),
        error_messages={"invalid_choice": _("Choose khu vực, cụm or khối thi đua.")},
        help_text=_("Pages name the region's head by it: Trưởng khu vực, Trưởng cụm or Trưởng khối."),
    )

    field_order = ["name", "short_name", "term", "slug", "effective", "description"]

    def clean_slug(self) -> str:
        typed = self.cleaned_data["slug"].strip()
        if not typed:
            return ""
        slug = ascii_slug(typed)[:100]
        if not slug:
            raise forms.ValidationError(_("Use letters, digits and hyphens."), code="invalid")
        return slug  # whether it is free is the service's rule (region_create)


class RegionRenameForm(NFCFormMixin, forms.Form):
    name = forms.CharField(label=_("New name"), max_length=255, error_messages={"required": _("Enter the new name.")})
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    effective = date_field(_("In effect from"))
    term = forms.ChoiceField(
        label=_("Called"),
        required=False,
        choices=[("", _("As its name says"))] + list(RegionTerm.choices),
        error_messages={"invalid_choice": _("Choose khu vực, cụm or khối thi đua.")},
        help_text=_("Pages name the region's head by it from that day: Trưởng khu vực, Trưởng cụm or Trưởng khối."),
    )
