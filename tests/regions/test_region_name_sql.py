"""A region's name of a day read by one SQL query (regions.selectors.REGION_NAME_ON_SQL) is the entry the
ORM's two-step reading gives (_entry_on: the latest name in force that day, else the first recorded one), on
every day around each name's start, for a region whose first name has a known start and for one whose first
name's start is unknown."""

from datetime import date, timedelta

import pytest

from regions import selectors, services
from regions.models import RegionName
from tests.regions.factories import make_region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("first_start", [date(2012, 1, 1), None])
def test_the_name_of_each_day_is_the_orm_entry(first_start):
    region = make_region("Khu vực thi đua thử tên", effective=date(2012, 1, 1))
    if first_start is None:
        RegionName.objects.filter(region=region).update(valid_from=None)
    services.region_rename(region=region, name="Cụm thi đua thử tên", effective=date(2018, 7, 1), term="cum")
    services.region_rename(region=region, name="Khối thi đua thử tên", effective=date(2025, 7, 1), term="khoi")
    starts = [date(2012, 1, 1), date(2018, 7, 1), date(2025, 7, 1)]
    days = [start + timedelta(days=shift) for start in starts for shift in (-400, -1, 0, 1)] + [date(2040, 1, 1)]
    for day in days:
        expected = selectors._entry_on(RegionName.objects.filter(region=region), day)
        found = selectors.region_name_entry_on(region, day)
        assert (found.pk, found.name, found.term) == (expected.pk, expected.name, expected.term), day
    assert selectors.region_name_on(region, date(2011, 1, 1)) == "Khu vực thi đua thử tên"
    assert selectors.region_name_and_term_on(region, date(2020, 1, 1)) == ("Cụm thi đua thử tên", "cum")
    assert selectors.region_name_and_term_on(region, date(2030, 1, 1)) == ("Khối thi đua thử tên", "khoi")


def test_a_region_without_a_recorded_name_has_none():
    region = make_region("Khu vực thi đua không tên")
    RegionName.objects.filter(region=region).delete()
    assert selectors.region_name_entry_on(region, date(2024, 1, 1)) is None
    assert selectors.region_name_on(region, date(2024, 1, 1)) == "Khu vực thi đua không tên"
