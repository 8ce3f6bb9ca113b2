"""The ranking's query written as SQL for PostgreSQL (awards.selectors.scoring.RANKING_SQL) answers what the
ORM's _ranking_list answers, row for row and slice for slice: shared ranks, drafts, units without a sheet,
members of a kind the table does not score, a reviewed sheet, and names of the table's year when a name
takes effect later (and when none does)."""

from datetime import date

import pytest
from django.db import connection

from awards.selectors.scoring import _ranking_list, _ranking_values
from regions import services as region_services
from regions.models import Unit
from tests.awards.factories import make_awards_world, make_table
from tests.awards.test_ranking_views import A, B, C, D, review, scored
from tests.regions.factories import make_unit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL is PostgreSQL's; others use the ORM"),
]


def _orm(table, region, first, stop):
    found = _ranking_list(table, region)
    return [tuple(row) for row in (found[first:] if stop is None else found[first:stop])]


def _slices(count: int):
    yield 0, None
    for size in (1, 2, 3, 5):
        for first in range(0, count + 1):
            yield first, first + size
    yield count + 2, count + 4


@pytest.mark.parametrize("later_name", [False, True])
def test_the_sql_ranking_is_the_orm_ranking(later_name):
    world = make_awards_world(8)
    table = make_table(world.campaign.year)
    units, leaders, region = world.units, world.leaders, world.campaign.region
    scored(table, units[0], leaders[0], D)
    scored(table, units[1], leaders[1], A)
    scored(table, units[2], leaders[2], B)
    scored(table, units[3], leaders[3], C)
    review(scored(table, units[4], leaders[4], A), world.officer, {"2.1": "10"})
    scored(table, units[5], leaders[5], {"1.1": "20"}, submit=False)  # a draft: listed, not ranked
    # units[6] and [7] have no sheet and one name (namesakes, told apart by their id); a Cục THADS in the region
    # is not scored by this table.
    region_services.unit_rename(unit=units[7], name=units[6].name, effective=date(table.year - 1, 1, 1))
    cuc = make_unit("Cục THADS tỉnh Thử Hạng", Unit.Kind.CUC_THADS)
    region_services.membership_add(region=region, unit=cuc, year=table.year)
    if later_name:
        region_services.unit_rename(unit=units[6], name="Sở Tư pháp tỉnh A Sau", effective=date(table.year + 1, 1, 1))
        region_services.unit_rename(unit=units[1], name="Sở Tư pháp tỉnh Ă Sau", effective=date(table.year + 1, 1, 1))

    whole = _orm(table, region, 0, None)
    assert len(whole) == 8 and [row[2] for row in whole[:5]] == [1, 1, 3, 4, 5]
    assert whole[0][3:6] == (8, 5, 1)
    assert ("Sở Tư pháp tỉnh A Sau" in {row[1] for row in whole}) is False
    for first, stop in _slices(len(whole)):
        assert _ranking_values(table, region, first, stop) == _orm(table, region, first, stop), (first, stop)
