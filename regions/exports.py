"""The unit list's workbook, built in the request or, past core.exports' bound, by a worker."""

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils import timezone

from core.exports import register

from . import excel, selectors
from .forms import UnitFilterForm
from .permissions import can_view_units

UNIT_LIST = "regions.unit_list"


def unit_list_filters(query: QueryDict) -> tuple[dict, int | None, object]:
    """The unit list page's filters (bad ones are left out, as there), its year and its day."""
    filters = UnitFilterForm(query).filters()
    year: int | None = filters["year"]
    day = selectors.year_reference_day(year) if year else timezone.localdate()
    return filters, year, day


@register(UNIT_LIST)
def unit_list_workbook(query: QueryDict, user) -> tuple[bytes, str]:
    if not can_view_units(user):
        raise PermissionDenied
    filters, year, day = unit_list_filters(query)
    units = list(selectors.units_for_list(day=day, **filters))
    regions = {}
    if year:
        regions = selectors.regions_by_id_named_on({u.year_region_id for u in units if u.year_region_id}, day)
    return excel.units_workbook(units, year=year, regions=regions), f"don-vi-{year or day.year}.xlsx"
