"""Which dashboard a person asks for (the whole country, a region, a unit, in a year): its scope and name, or
refused. Shared by the dashboards' pages and their workbooks, which a worker may build later for that person."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.pages import require
from core.years import FIRST_YEAR, LAST_YEAR
from regions.models import Region, Unit
from regions.selectors import region_name_on, unit_name_on, year_reference_day

from . import permissions
from .selectors import Scope


def checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def country_scope(user, year: int) -> Scope:
    require(permissions.sees_country(user))
    return Scope(checked_year(year))


def region_scope(user, year: int, slug: str) -> tuple[Scope, Region, str]:
    """The region's scope, the region and its name that year."""
    region = get_object_or_404(Region, slug=slug)
    require(permissions.can_view_region_dashboard(user, region.pk, checked_year(year)))
    return Scope(year, (region.pk,)), region, region_name_on(region, year_reference_day(year))


def unit_scope(user, year: int, unit_pk: int) -> tuple[Scope, Unit, str]:
    """The unit's scope, the unit and its name that year."""
    unit = get_object_or_404(Unit, pk=unit_pk)
    require(permissions.can_view_unit_dashboard(user, unit.pk))
    return Scope(checked_year(year), unit_ids=(unit.pk,)), unit, unit_name_on(unit, year_reference_day(year))
