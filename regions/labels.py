"""How a unit is named in a picker: its name and province on the day that matters, and its dates.

Two units may bear the same name (Sở Tư pháp tỉnh Quảng Trị until 30/06/2025, and the one of the merged
province from 01/07/2025): a picker that showed names alone let a person bind an account to the unit that
had ended. Every unit picker labels its units here, so that namesakes never look alike:
"Sở Tư pháp tỉnh Quảng Trị (tỉnh Quảng Trị, until 30/06/2025)". Units still alike after that (same name,
province and dates) are told apart by their kind, then by their number in the portal.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .models import Unit, UnitName
from .selectors import (
    LATEST_FIRST,
    unit_name_on,
    unit_province_on,
    units_active_on,
    with_unit_names_on,
    with_unit_provinces_on,
)


@dataclass(frozen=True)
class UnitFacts:
    """What a label needs of a unit, read as values: a picker of a region's 672 units made 1,344 model objects
    (the units and their provinces) for it."""

    pk: int
    kind: str  # a Unit.Kind
    active_from: date | None
    active_to: date | None
    province_name: str | None

    def get_kind_display(self) -> str:
        return str(dict(Unit.Kind.choices).get(self.kind, self.kind))


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def unit_dates_text(unit: Unit | UnitFacts) -> str:
    """The unit's active dates as a label shows them ("from 01/07/2025", "until 30/06/2025"…), or ""."""
    if unit.active_from and unit.active_to:
        return _("from %(start)s to %(end)s") % {"start": _day(unit.active_from), "end": _day(unit.active_to)}
    if unit.active_to:
        return _("until %(day)s") % {"day": _day(unit.active_to)}
    if unit.active_from:
        return _("from %(day)s") % {"day": _day(unit.active_from)}
    return ""


def unit_label(unit: Unit | UnitFacts, *, name: str | None = None, province: str | None = None) -> str:
    """The label of a unit: ``name`` and ``province`` as of the day that matters (by default, the latest)."""
    if province is None:
        province = unit.province.name if unit.province_id else ""
    details = [part for part in (province, unit_dates_text(unit)) if part]
    name = name if name is not None else unit.name
    if not details:
        return name
    return _("%(name)s (%(details)s)") % {"name": name, "details": ", ".join(details)}


def unit_label_on(unit: Unit, day: date) -> str:
    """One unit's label with its name and province on ``day`` (two queries; pickers use ``unit_labels_on``)."""
    province = unit_province_on(unit, day)
    return unit_label(unit, name=unit_name_on(unit, day), province=province.name if province else "")


def _told_apart(units: list[Unit] | list[UnitFacts], labels: dict[int, str]) -> dict[int, str]:
    """Labels still alike get the unit's kind, then its number in the portal."""
    for extra in (lambda u: str(u.get_kind_display()), lambda u: _("no. %(id)s") % {"id": u.pk}):
        counts = Counter(labels.values())
        for unit in units:
            if counts[labels[unit.pk]] > 1:
                labels[unit.pk] = f"{labels[unit.pk]} · {extra(unit)}"
    return labels


def unit_labels_on(units: Iterable[Unit] | QuerySet[Unit], day: date) -> dict[int, str]:
    """Each unit's label on ``day``, by id, in two queries (names and provinces of the day, annotated)."""
    ids = [unit.pk for unit in units]
    annotated = list(
        with_unit_provinces_on(with_unit_names_on(Unit.objects.filter(pk__in=ids), day), day).order_by("pk")
    )
    labels = {
        unit.pk: unit_label(unit, name=unit.name_on_day, province=unit.province_name_on_day or "") for unit in annotated
    }
    return _told_apart(annotated, labels)


def labelled_choices(choices: Iterable[tuple[int, str]], day: date) -> list[tuple[int, str]]:
    """(id, name) choices, such as a roster's members by their names of the year, labelled on ``day``."""
    choices = list(choices)
    labels = unit_labels_on(Unit.objects.filter(pk__in=[pk for pk, _name in choices]), day)
    return [(pk, labels.get(pk, name)) for pk, name in choices]


def labelled_as_named(choices: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """(id, name) choices whose names are of some day (a roster's members by their names of the year), labelled
    with the province the unit had under that name and its dates, in two queries; for pickers that get their
    choices made (the pacts' signatories and host unit)."""
    choices = list(choices)
    ids = [pk for pk, _name in choices]
    columns = ("pk", "kind", "active_from", "active_to", "province__name")
    units = {row[0]: UnitFacts(*row) for row in Unit.objects.filter(pk__in=ids).values_list(*columns)}
    province_of: dict[tuple[int, str], str] = {}
    names = UnitName.objects.filter(unit_id__in=ids, province__isnull=False).order_by(LATEST_FIRST)
    for unit_id, name, province in names.values_list("unit_id", "name", "province__name"):
        province_of.setdefault((unit_id, name), province)
    labels = {}
    for pk, name in choices:
        if pk in units:
            unit = units[pk]
            province = province_of.get((pk, str(name)), unit.province_name or "")
            labels[pk] = unit_label(unit, name=str(name), province=province)
    labels = _told_apart([units[pk] for pk in labels], labels)
    return [(pk, labels.get(pk, name)) for pk, name in choices]


def units_to_offer(day: date, *, keep: Unit | None = None) -> QuerySet[Unit]:
    """Units active on ``day`` (and ``keep``, the one already chosen, even if it has ended), by name."""
    chosen = units_active_on(day)
    if keep is not None:
        chosen |= Q(pk=keep.pk)
    return Unit.objects.filter(chosen).select_related("province").order_by("name", "province__name", "pk")
