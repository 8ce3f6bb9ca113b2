"""A unit's award history across the years, through its renames and mergers: the units merged into it
and the units it became share one history, each award named as on its decision."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from core.pages import require
from regions.models import Unit
from regions.permissions import can_view_units

from ..permissions import can_view_unit_awards
from ..selectors.history import awards_of, lineage_of, registrations_of, unit_lineage_ids


@login_required
def unit_awards(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    ids = unit_lineage_ids(unit)
    require(can_view_unit_awards(request.user, ids))
    context = {
        "unit": unit,
        "lineage": lineage_of(unit, ids),
        "awards": list(awards_of(ids)),
        "registrations": list(registrations_of(ids)),
        "can_view_unit": can_view_units(request.user),
    }
    return render(request, "awards/unit_awards.html", context)


urlpatterns = [
    path("units/<int:pk>/awards/", unit_awards, name="unit_awards"),
]
