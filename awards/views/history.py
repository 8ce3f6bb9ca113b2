"""A unit's award history across the years, through its renames and mergers: the units merged into it
and the units it became share one history, each award named as on its decision."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from core.pages import require
from regions.models import RegionName, Unit, UnitName
from regions.permissions import can_view_units

from ..models import Award, AwardRegistration
from ..permissions import can_view_unit_awards
from ..selectors import unit_lineage_ids


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
    """The name in force on the last day of the row's campaign year (a name taking effect in the year counts)."""
    return Subquery(
        model.objects.filter(**{owner: OuterRef(outer), "valid_from__year__lte": OuterRef("campaign__year")})
        .order_by("-valid_from")
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


@login_required
def unit_awards(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    ids = unit_lineage_ids(unit)
    require(can_view_unit_awards(request.user, ids))
    awards = (
        Award.objects.filter(unit_id__in=ids)
        .select_related("title", "decision")
        .order_by("-year", "title__position", "title__name", "-decision__signed_on", "recipient_name")
    )
    context = {
        "unit": unit,
        "lineage": lineage_of(unit, ids),
        "awards": list(awards),
        "registrations": list(registrations_of(ids)),
        "can_view_unit": can_view_units(request.user),
    }
    return render(request, "awards/unit_awards.html", context)


urlpatterns = [
    path("units/<int:pk>/awards/", unit_awards, name="unit_awards"),
]
