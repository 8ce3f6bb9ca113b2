"""Names over time, right to the day: a unit's province by date, start dates true or unknown, the ministry's
emulation department of each year, and what a region was called (khu vực or cụm thi đua) on the date shown."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from regions import selectors, services, terms
from regions.demo import (
    HUE_BASIS,
    HUE_DAY,
    MERGER_BASIS,
    MERGER_DAY,
    PHONG_BASIS,
    THADS_2009_BASIS,
    TOWN_TO_CITY,
    seed_demo_regions,
)
from regions.errors import RegionsError
from regions.ministry import emulation_body_on
from regions.models import Province, RegionMembership, RegionName, Unit, UnitName, region_term_of_name
from tests.regions.factories import make_region, make_unit

pytestmark = pytest.mark.django_db
CENTRAL = "duyen-hai-mien-trung-tay-nguyen"
SOUTH_EAST = "mien-dong-nam-bo"


@pytest.fixture
def demo():
    return seed_demo_regions()


def _english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- a unit's province by date -------------------------------------------------------------------


def test_hues_department_of_justice_moves_to_the_new_province_with_its_name(demo):
    so = demo.units["stp:thua-thien-hue"]
    assert selectors.unit_province_on(so, date(2024, 12, 31)).name == "tỉnh Thừa Thiên Huế"
    assert selectors.unit_name_on(so, date(2024, 12, 31)) == "Sở Tư pháp tỉnh Thừa Thiên Huế"
    assert selectors.unit_province_on(so, HUE_DAY).name == "thành phố Huế"
    assert selectors.unit_name_on(so, HUE_DAY) == "Sở Tư pháp thành phố Huế"
    assert so.province.name == "thành phố Huế"  # the latest, like the name
    cuc = demo.units["cuc:thua-thien-hue"]
    assert selectors.unit_province_on(cuc, date(2025, 3, 1)).name == "thành phố Huế"


def test_the_rosters_list_hues_units_under_the_province_of_their_year(demo):
    central = demo.regions[CENTRAL]
    so = demo.units["stp:thua-thien-hue"]

    def province_in(year: int) -> str:
        return next(m.province_name_on_day for m in selectors.roster(central, year) if m.unit_id == so.pk)

    assert province_in(2024) == "tỉnh Thừa Thiên Huế"
    assert province_in(2025) == province_in(2026) == "thành phố Huế"


def test_the_unit_list_of_2024_finds_hues_department_in_thua_thien_hue_and_that_of_2026_in_hue(demo):
    so = demo.units["stp:thua-thien-hue"]
    old = Province.objects.get(code="thua-thien-hue")
    assert so.pk in selectors.units_for_list(day=date(2024, 12, 31), province=old).values_list("pk", flat=True)
    assert so.pk not in selectors.units_for_list(day=date(2026, 12, 31), province=old).values_list("pk", flat=True)
    assert so.pk in selectors.units_for_list(day=date(2026, 12, 31), province=so.province).values_list("pk", flat=True)


def test_a_rename_can_move_a_unit_to_a_province_in_force_that_day_only():
    old = Province.objects.get(code="thua-thien-hue")
    unit = make_unit("Sở Tư pháp tỉnh Thừa Thiên Huế", province=old)
    with pytest.raises(RegionsError) as refused:
        services.unit_rename(
            unit=unit, name="Sở Tư pháp thành phố Huế", effective=date(2024, 6, 1), province=old.successor
        )
    assert refused.value.field == "province"
    services.unit_rename(unit=unit, name="Sở Tư pháp thành phố Huế", effective=HUE_DAY, province=old.successor)
    assert selectors.unit_province_on(unit, date(2024, 6, 1)) == old
    assert selectors.unit_province_on(unit, HUE_DAY) == old.successor


# --- start dates: true or unknown ---------------------------------------------------------------


def test_no_unit_name_in_the_demo_has_a_made_up_start(demo):
    documented = {
        (HUE_DAY, HUE_BASIS),
        (MERGER_DAY, MERGER_BASIS),
        (MERGER_DAY, PHONG_BASIS),
        *((day, basis) for _town, day, basis in TOWN_TO_CITY.values()),
    }
    names = UnitName.objects.filter(unit__in=[u.pk for u in demo.units.values()])
    assert not names.filter(valid_from=date(2000, 1, 1)).exists()
    for name in names:
        assert name.valid_from is None or (name.valid_from, name.basis) in documented, (name, name.basis)


def test_thads_bodies_begin_in_2009_with_their_day_unknown_and_regional_offices_on_1_july_2025(demo):
    for key, unit in demo.units.items():
        first = unit.names.order_by("valid_from").first() if key.startswith("phong:") else None
        if key.startswith(("cuc:", "chicuc:")):
            first = selectors.unit_name_entry_on(unit, date(2009, 1, 1))
            assert (first.valid_from, first.basis) == (None, THADS_2009_BASIS)
        if first is not None and key.startswith("phong:"):
            assert first.valid_from == MERGER_DAY == unit.active_from


def test_a_town_unit_is_named_thi_xa_until_the_town_became_a_city(demo):
    bao_loc = next(u for u in demo.units.values() if "Bảo Lộc" in u.name)
    assert selectors.unit_name_on(bao_loc, date(2010, 4, 7)) == "Chi cục Thi hành án dân sự thị xã Bảo Lộc"
    assert selectors.unit_name_on(bao_loc, date(2010, 4, 8)) == "Chi cục Thi hành án dân sự thành phố Bảo Lộc"


def test_an_unknown_start_is_shown_as_unknown_never_as_a_day(client, ministry_user, demo):
    so = demo.units["stp:thua-thien-hue"]
    page = _english(client, ministry_user).get(reverse("regions:unit_detail", args=[so.pk])).content.decode()
    assert "unknown date (before 01/01/2025)" in page
    assert "01/01/2000" not in page


def test_only_a_first_name_may_start_on_an_unknown_day():
    unit = make_unit("Sở Tư pháp tỉnh Lâm Đồng")
    assert unit.names.get().valid_from is None
    with pytest.raises(RegionsError):
        services.unit_rename(unit=unit, name="Sở Tư pháp tỉnh Lâm Đồng (mới)", effective=None)


# --- the ministry's emulation department ----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "body"),
    [
        (date(2018, 3, 19), "Vụ Thi đua - Khen thưởng"),
        (date(2023, 6, 27), "Vụ Thi đua - Khen thưởng"),
        (date(2023, 6, 28), "Vụ Tổ chức cán bộ"),
        (date(2026, 3, 13), "Vụ Tổ chức cán bộ"),
    ],
)
def test_the_ministry_body_in_charge_of_emulation_by_date(day, body):
    assert emulation_body_on(day).name == body
    assert selectors.ministry_emulation_body_on(day).name == body


def test_the_demos_ministry_account_belongs_to_the_department_of_today():
    from django.core.management import call_command

    from accounts.models import User

    call_command("seed_demo", stdout=__import__("io").StringIO())
    assert User.objects.get(username="bo.thidua").unit.name == "Vụ Tổ chức cán bộ, Bộ Tư pháp"


# --- what a region is called ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "term"),
    [
        ("Khu vực thi đua Khối cơ quan Tư pháp các tỉnh miền Đông Nam bộ", RegionName.Term.KHU_VUC),
        ("Cụm thi đua Sở Tư pháp, Thi hành án dân sự các tỉnh miền Đông Nam bộ", RegionName.Term.CUM),
        ("Khối thi đua các Chi cục THADS", RegionName.Term.KHOI),
    ],
)
def test_the_term_is_read_from_the_name(name, term):
    assert region_term_of_name(name) == term
    assert make_region(name).names.get().term == term


def test_the_region_term_by_date(demo):
    central = demo.regions[CENTRAL]
    assert selectors.region_term_on(central, date(2018, 12, 31)) == RegionName.Term.KHU_VUC
    assert selectors.region_term_on(central, date(2026, 12, 31)) == RegionName.Term.CUM
    with translation.override("en"):
        assert str(terms.role_label(RegionMembership.Role.HEAD, RegionName.Term.KHU_VUC)) == "Head of region"
        assert str(terms.role_label(RegionMembership.Role.HEAD, RegionName.Term.CUM)) == "Head of cluster"
        assert str(terms.whole_label(RegionName.Term.CUM)) == "Whole cluster"


def test_a_rename_records_the_term_chosen_and_refuses_an_unknown_one():
    region = make_region("Khu vực thi đua số 4")
    services.region_rename(region=region, name="Nhóm thi đua số 4", effective=date(2024, 1, 1), term="cum")
    assert selectors.region_term_on(region, date(2024, 6, 1)) == RegionName.Term.CUM
    with pytest.raises(RegionsError) as refused:
        services.region_rename(region=region, name="Nhóm 5", effective=date(2025, 1, 1), term="nhom")
    assert refused.value.field == "term"
    assert region.names.count() == 2


def test_the_rename_form_offers_the_term(client, ministry_user):
    region = make_region("Khu vực thi đua số 4", slug="so-4")
    browser = _english(client, ministry_user)
    url = reverse("regions:region_rename", args=[region.slug])
    bad = browser.post(url, {"name": "Cụm thi đua số 4", "effective": "01/01/2024", "term": "nhom"})
    assert bad.status_code == 200 and region.names.count() == 1
    browser.post(url, {"name": "Cụm thi đua số 4", "effective": "01/01/2024", "term": "khoi"})
    assert region.names.get(valid_from=date(2024, 1, 1)).term == RegionName.Term.KHOI


def test_a_region_may_be_created_with_its_start_unknown(client, ministry_user):
    browser = _english(client, ministry_user)
    browser.post(reverse("regions:region_create"), {"name": "Cụm thi đua Tây Bắc", "effective": ""})
    assert RegionName.objects.get(name="Cụm thi đua Tây Bắc").valid_from is None


def test_the_roster_of_2018_says_head_of_region_and_that_of_2026_head_of_cluster(client, ministry_user, demo):
    browser = _english(client, ministry_user)
    page_2018 = browser.get(reverse("regions:roster_detail", args=[CENTRAL, 2018])).content.decode()
    page_2026 = browser.get(reverse("regions:roster_detail", args=[CENTRAL, 2026])).content.decode()
    assert "Head of region" in page_2018 and "Head of cluster" not in page_2018
    assert "Head of cluster" in page_2026 and "Head of region" not in page_2026


def test_the_2018_region_list_shows_the_names_and_short_names_of_2018(client, ministry_user, demo):
    browser = _english(client, ministry_user)
    response = browser.get(reverse("regions:region_list"), {"year": 2018})
    rows = {region.slug: region for region in response.context["page"].object_list}
    assert rows[SOUTH_EAST].region_short_name_on_day == "Khu vực miền Đông Nam bộ"
    assert rows[CENTRAL].region_name_on_day.startswith("Khu vực thi đua")
    page = response.content.decode()
    assert "Cụm miền Đông Nam bộ" not in page
    assert "Head of region" in page


def test_the_unit_page_names_each_years_role_with_the_term_of_that_year(client, ministry_user, demo):
    head_2026 = RegionMembership.objects.get(region=demo.regions[CENTRAL], year=2026, role="head").unit
    page = _english(client, ministry_user).get(reverse("regions:unit_detail", args=[head_2026.pk])).content.decode()
    assert "Head of cluster" in page


def test_the_roster_export_names_the_province_and_the_role_of_that_year(client, ministry_user, demo):
    from io import BytesIO

    from openpyxl import load_workbook

    response = _english(client, ministry_user).get(reverse("regions:roster_export", args=[CENTRAL, 2026]))
    rows = list(
        load_workbook(
            BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
        ).active.values
    )
    hue = next(row for row in rows if row[1] == "Sở Tư pháp thành phố Huế")
    assert hue[3] == "thành phố Huế"
    assert any(row[4] == "Head of cluster" for row in rows)


def test_units_keep_their_first_province_when_renamed_without_one():
    lam_dong = Province.objects.get(code="lam-dong")
    unit = make_unit("Sở Tư pháp tỉnh Lâm Đồng", province=lam_dong)
    services.unit_rename(unit=unit, name="Sở Tư pháp Lâm Đồng", effective=date(2020, 1, 1))
    assert selectors.unit_province_on(unit, date(2021, 1, 1)) == lam_dong
    assert Unit.objects.get(pk=unit.pk).province == lam_dong


@pytest.mark.django_db
def test_names_of_a_day_come_from_the_columns_only_when_no_later_name_exists():
    """When no name takes effect after the day, the unit's and region's columns (the latest names, kept by
    the services) answer without a subquery per row; a later name brings the history back."""
    huyen = make_unit("Sở Tư pháp tỉnh Thử", active_from=date(2009, 1, 1))
    region = make_region("Khu vực thi đua thử", effective=date(2012, 1, 1))
    day = date(2024, 12, 31)

    def read():
        units = selectors.with_unit_provinces_on(
            selectors.with_unit_names_on(Unit.objects.filter(pk=huyen.pk), day), day
        )
        regions = selectors.with_region_names_on(type(region).objects.filter(pk=region.pk), day)
        return units, regions

    units, regions = read()
    assert units.get().name_on_day == "Sở Tư pháp tỉnh Thử" and "regions_unitname" not in str(units.query)
    assert regions.get().region_name_on_day == "Khu vực thi đua thử" and str(regions.query).count("SELECT") == 2
    services.unit_rename(unit=huyen, name="Sở Tư pháp tỉnh Thử Mới", effective=date(2025, 7, 1))
    services.region_rename(region=region, name="Cụm thi đua thử", effective=date(2026, 1, 1))
    units, regions = read()
    assert units.get().name_on_day == "Sở Tư pháp tỉnh Thử" and "regions_unitname" in str(units.query)
    assert regions.get().region_name_on_day == "Khu vực thi đua thử"
    assert Unit.objects.get(pk=huyen.pk).name == "Sở Tư pháp tỉnh Thử Mới"
