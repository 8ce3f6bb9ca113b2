"""Reads of a unit's award history: the units of its lineage, their awards and registrations, named as in each year."""

from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from regions.models import RegionName, Unit, UnitName

from ..models import Award, AwardRegistration


def unit_lineage_ids(unit: Unit) -> set[int]:
    """The unit, every unit merged into it (over any number of steps), and the units it became."""
    ids = {unit.pk}
    frontier = {unit.pk}
    while frontier:
        frontier = set(Unit.objects.filter(successor_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    successor_id = unit.successor_id
    while successor_id is not None and successor_id not in ids:
        ids.add(successor_id)
        successor_id = Unit.objects.filter(pk=successor_id).values_list("successor_id", flat=True).first()
    return ids


@dataclass
class Lineage:
    merged_into_it: list[Unit]  # its predecessors, over any number of steps
    it_became: list[Unit]  # its successor, the successor's successor …

    @property
    def covers_others(self) -> bool:
        return bool(self.merged_into_it or self.it_became)


def lineage_of(unit: Unit, ids: set[int]) -> Lineage:
    units = {other.pk: other for other in Unit.objects.filter(pk__in=ids)}
    became, successor_id = [], unit.successor_id
    while successor_id in units and units[successor_id] not in became:
        became.append(units[successor_id])
        successor_id = units[successor_id].successor_id
    later = {other.pk for other in became}
    merged = sorted((u for pk, u in units.items() if pk != unit.pk and pk not in later), key=lambda u: u.name)
    return Lineage(merged_into_it=merged, it_became=became)


def _name_that_year(model, owner: str, outer: str) -> Subquery:
    """The name in force on the last day of the row's campaign year (a name taking effect in the year counts; a
    first name whose start is unknown counts for every year before the next one)."""
    in_force = Q(valid_from__year__lte=OuterRef("campaign__year")) | Q(valid_from__isnull=True)
    return Subquery(
        model.objects.filter(in_force, **{owner: OuterRef(outer)})
        .order_by(F("valid_from").desc(nulls_last=True))
        .values("name")[:1]
    )


def registrations_of(ids: set[int]) -> QuerySet[AwardRegistration]:
    """The lineage's registrations, newest year first, with the unit's and the region's names of each row's year."""
    return (
        AwardRegistration.objects.filter(unit_id__in=ids)
        .select_related("campaign", "title")
        .annotate(
            unit_name_that_year=Coalesce(_name_that_year(UnitName, "unit", "unit"), "unit__name"),
            region_name_that_year=Coalesce(
                _name_that_year(RegionName, "region", "campaign__region"), "campaign__region__name"
            ),
        )
        .order_by("-campaign__year", "title__position", "title__name", "unit_name_that_year")
    )


def awards_of(ids: set[int]) -> QuerySet[Award]:
    """The lineage's awards, newest year first."""
    return (
        Award.objects.filter(unit_id__in=ids)
        .select_related("title", "decision")
        .order_by("-year", "title__position", "title__name", "-decision__signed_on", "recipient_name")
    )
