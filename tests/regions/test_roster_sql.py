"""The roster page's queries written as SQL for PostgreSQL (regions.selectors.ROSTER_PAGE_SQL and
ROSTER_COUNTS_SQL) answer what the ORM's roster answers, which other databases use: every page of every size
with its head and deputies, and the counts, with a roster reordered, units of several kinds and provinces, a
unit with no province, and names and provinces of the year when a name takes effect later (and when none does)."""

from collections import Counter
from datetime import date
from unittest import mock

import pytest
from django.db import connection

from regions import selectors, services
from regions.models import Province, RegionMembership, Unit
from tests.regions.factories import make_region, make_unit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL is PostgreSQL's; others use the ORM"),
]
YEAR = 2024


def _with_orm(function, *args):
    with mock.patch.object(connection, "vendor", "sqlite"):
        return function(*args)


@pytest.mark.parametrize("later_name", [False, True])
def test_the_sql_roster_is_the_orm_roster(later_name):
    quang_binh = Province.objects.get(name="tỉnh Quảng Bình", valid_to__isnull=False)
    quang_tri = Province.objects.get(name="tỉnh Quảng Trị", valid_to__isnull=True)
    region = make_region("Khu vực thi đua thử SQL")
    cuc = make_unit("Cục THADS tỉnh Quảng Bình", Unit.Kind.CUC_THADS, province=quang_binh)
    units = [cuc, make_unit("Sở Tư pháp tỉnh Quảng Bình", province=quang_binh)]
    units += [make_unit(f"Chi cục THADS huyện Số {n}", Unit.Kind.CHI_CUC_THADS, parent=cuc) for n in range(5)]
    units += [make_unit("Sở Tư pháp tỉnh Không Tỉnh")]  # no province
    roles = {0: RegionMembership.Role.DEPUTY, 4: RegionMembership.Role.HEAD, 6: RegionMembership.Role.DEPUTY}
    for n, unit in enumerate(units):
        services.membership_add(region=region, unit=unit, year=YEAR, role=roles.get(n, RegionMembership.Role.MEMBER))
    services.roster_reorder(region=region, year=YEAR, unit_ids=[unit.pk for unit in reversed(units)])
    if later_name:
        services.unit_rename(
            unit=units[1], name="Sở Tư pháp tỉnh Quảng Trị", effective=date(2025, 7, 1), province=quang_tri
        )
    assert selectors.names_change_after(selectors.year_reference_day(YEAR)) is later_name

    count, provinces, by_kind = selectors.roster_counts(region, YEAR)
    assert (count, provinces, by_kind) == _with_orm(selectors.roster_counts, region, YEAR)
    members = list(selectors.roster(region, YEAR))
    kinds = Counter(m.unit.kind for m in members)
    assert (
        (count, provinces, by_kind)
        == (8, 1, dict(kinds))
        == (8, 1, {"so_tu_phap": 2, "cuc_thads": 1, "chi_cuc_thads": 5})
    )

    for size in (1, 2, 3, 5, 8):
        for start in range(0, count, size):
            page, leading = selectors.roster_page(region, YEAR, start, min(start + size, count))
            assert (page, leading) == _with_orm(selectors.roster_page, region, YEAR, start, min(start + size, count))
            assert [row.unit_id for row in page] == [m.unit_id for m in members[start : start + size]]
            assert sorted(row.role for row in leading) == ["deputy", "deputy", "head"]
    names = {
        row.unit_id: (row.name_on_day, row.province_name_on_day) for row in selectors.roster_page(region, YEAR, 0, 8)[0]
    }
    assert names[units[1].pk] == ("Sở Tư pháp tỉnh Quảng Bình", "tỉnh Quảng Bình")
    assert names[units[-1].pk] == ("Sở Tư pháp tỉnh Không Tỉnh", None)
