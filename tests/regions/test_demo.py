"""The demo data of the 2018 article (seed_demo) and the country-scale generator (seed_national)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from regions import selectors
from regions.demo import NATIONAL_BASIS, YEARS
from regions.models import Appointment, Region, RegionMembership, RegionName, Unit, UnitName
from tests.factories import UnitFactory
from tests.regions.factories import make_unit

CENTRAL = "duyen-hai-mien-trung-tay-nguyen"
SOUTH_EAST = "mien-dong-nam-bo"

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())
    return {slug: Region.objects.get(slug=slug) for slug in (CENTRAL, SOUTH_EAST)}


def _names(region: Region, year: int, role: str | None = None) -> list[str]:
    rows = selectors.roster(region, year)
    return [m.name_on_day for m in rows if role is None or m.role == role]


def _snapshot() -> dict[str, list]:
    tables = {
        User: ("username", "full_name", "position", "unit_id", "password"),
        Unit: ("name", "short_name", "kind", "province_id", "parent_id", "active_from", "active_to", "successor_id"),
        UnitName: ("unit_id", "name", "short_name", "valid_from", "basis"),
        Appointment: ("unit_id", "user_id", "full_name", "position", "kind", "start", "end"),
        Region: ("slug", "name", "short_name", "description"),
        RegionName: ("region_id", "name", "short_name", "valid_from"),
        RegionMembership: ("region_id", "unit_id", "year", "role", "rotation_position"),
    }
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", *fields))
        for model, fields in tables.items()
    }


def test_the_2018_central_roster_has_26_units_in_13_provinces_with_quang_binhs_cuc_as_deputy(demo):
    roster = list(selectors.roster(demo[CENTRAL], 2018))
    assert len(roster) == 26
    assert len({m.unit.province_id for m in roster}) == 13
    kinds = [m.unit.kind for m in roster]
    assert kinds.count(Unit.Kind.SO_TU_PHAP) == kinds.count(Unit.Kind.CUC_THADS) == 13
    assert "Cục Thi hành án dân sự tỉnh Quảng Bình" in _names(demo[CENTRAL], 2018, "deputy")
    assert len(_names(demo[CENTRAL], 2018, "head")) == 1
    assert len(_names(demo[CENTRAL], 2018, "deputy")) == 2


def test_the_2018_south_east_roster_has_its_head_and_deputies_from_the_article_and_52_units(demo):
    region = demo[SOUTH_EAST]
    assert _names(region, 2018, "head") == ["Sở Tư pháp tỉnh Lâm Đồng"]
    assert sorted(_names(region, 2018, "deputy")) == [
        "Cục Thi hành án dân sự tỉnh Ninh Thuận",
        "Sở Tư pháp tỉnh Đồng Nai",
    ]
    roster = list(selectors.roster(region, 2018))
    kinds = [m.unit.kind for m in roster]
    assert kinds.count(Unit.Kind.SO_TU_PHAP) == 12
    assert kinds.count(Unit.Kind.CUC_THADS) + kinds.count(Unit.Kind.CHI_CUC_THADS) >= 40
    assert len({m.unit.province_id for m in roster}) == 12
    chi_cuc = [m.unit for m in roster if m.unit.kind == Unit.Kind.CHI_CUC_THADS]
    assert all(u.parent.kind == Unit.Kind.CUC_THADS and u.parent.province_id == u.province_id for u in chi_cuc)
    assert "Chi cục Thi hành án dân sự huyện Ninh Hải" in _names(region, 2018)


def test_the_central_and_south_east_regions_share_no_province_in_2018(demo):
    provinces = [{m.unit.province_id for m in selectors.roster(demo[slug], 2018)} for slug in (CENTRAL, SOUTH_EAST)]
    assert not provinces[0] & provinces[1]


def test_every_year_until_2026_has_one_head_and_two_deputies_and_the_head_rotates(demo):
    for region in demo.values():
        previous_head = None
        for year in YEARS:
            roles = list(RegionMembership.objects.filter(region=region, year=year).values_list("role", flat=True))
            assert roles.count("head") == 1, (region.slug, year)
            assert 1 <= roles.count("deputy") <= 2, (region.slug, year)
            head = RegionMembership.objects.get(region=region, year=year, role="head").unit
            assert head.kind == Unit.Kind.SO_TU_PHAP
            if previous_head is not None:
                assert head.pk not in {previous_head.pk, previous_head.successor_id}, (region.slug, year)
            previous_head = head


def test_2018_pages_show_the_2018_names_and_2026_pages_the_names_after_the_mergers(demo):
    central_2018, central_2026 = _names(demo[CENTRAL], 2018), _names(demo[CENTRAL], 2026)
    assert "Cục Thi hành án dân sự tỉnh Quảng Bình" in central_2018
    assert "Sở Tư pháp tỉnh Thừa Thiên Huế" in central_2018
    assert "Thi hành án dân sự tỉnh Quảng Trị" not in central_2018
    assert "Thi hành án dân sự tỉnh Quảng Trị" in central_2026
    assert "Sở Tư pháp thành phố Huế" in central_2026
    assert "Thi hành án dân sự thành phố Huế" in central_2026
    assert not any(name.startswith("Cục Thi hành án") for name in central_2026)
    south_east_2026 = _names(demo[SOUTH_EAST], 2026)
    assert "Thi hành án dân sự thành phố Hồ Chí Minh" in south_east_2026
    assert "Thi hành án dân sự tỉnh Lâm Đồng" in south_east_2026
    assert selectors.region_name_on(demo[CENTRAL], date(2018, 12, 31)).startswith("Khu vực thi đua")
    assert selectors.region_name_on(demo[CENTRAL], date(2026, 12, 31)).startswith("Cụm thi đua")
    assert selectors.region_name_on(demo[SOUTH_EAST], date(2023, 12, 31)).startswith("Cụm thi đua")


def test_the_2026_rosters_hold_the_merged_units_and_no_chi_cuc(demo):
    day = date(2026, 1, 1)
    for region in demo.values():
        units = [m.unit for m in selectors.roster(region, 2026)]
        assert units
        assert all(u.is_active_on(day) for u in units)
        assert not any(u.kind in (Unit.Kind.CUC_THADS, Unit.Kind.CHI_CUC_THADS) for u in units)
    merged = Unit.objects.get(name="Thi hành án dân sự tỉnh Quảng Trị")
    assert merged.kind == Unit.Kind.THADS_TINH
    assert merged.province.valid_from == date(2025, 7, 1)
    predecessors = set(merged.predecessors.values_list("name", flat=True))
    assert {"Cục Thi hành án dân sự tỉnh Quảng Bình", "Cục Thi hành án dân sự tỉnh Quảng Trị"} <= predecessors
    assert "Chi cục Thi hành án dân sự thành phố Đồng Hới" in predecessors
    assert merged.children.filter(kind=Unit.Kind.PHONG_THADS_KHU_VUC).exists()


def test_a_merged_unit_belongs_to_the_region_of_the_province_whose_name_it_keeps(demo):
    lam_dong = Unit.objects.get(name="Thi hành án dân sự tỉnh Lâm Đồng")  # Lâm Đồng, Bình Thuận and Đắk Nông
    khanh_hoa = Unit.objects.get(name="Thi hành án dân sự tỉnh Khánh Hòa")  # Khánh Hòa and Ninh Thuận
    assert selectors.region_of_unit(lam_dong, 2026).region == demo[SOUTH_EAST]
    assert selectors.region_of_unit(khanh_hoa, 2026).region == demo[CENTRAL]


def test_the_leaders_are_resolved_by_date_and_linked_to_the_demo_logins(demo):
    cuc_quang_binh = Unit.objects.get(name="Cục Thi hành án dân sự tỉnh Quảng Bình")
    head = selectors.head_on(cuc_quang_binh, date(2018, 3, 19))
    assert (head.full_name, head.position, head.user.username) == ("Mai Công Danh", "Cục trưởng", "lanhdao.quangbinh")
    dong_thap = Unit.objects.get(name="Cục Thi hành án dân sự tỉnh Đồng Tháp")
    in_charge = selectors.head_on(dong_thap, date(2021, 3, 1))
    assert (in_charge.full_name, in_charge.kind) == ("Vũ Quang Hiện", Appointment.Kind.DEPUTY_IN_CHARGE)
    appointed = selectors.head_on(dong_thap, date(2021, 3, 2))
    assert (appointed.full_name, appointed.kind) == ("Vũ Quang Hiện", Appointment.Kind.HEAD)
    assert selectors.head_on(dong_thap, date(2018, 3, 19)).full_name != "Vũ Quang Hiện"
    for region in demo.values():
        for year in YEARS:
            for membership in RegionMembership.objects.filter(region=region, year=year).select_related("unit"):
                assert selectors.head_on(membership.unit, date(year, 6, 30)), (membership.unit, year)


def test_the_accounts_point_at_the_demo_units(demo):
    assert (
        User.objects.get(username="khuvuc.dongnambo").unit
        == RegionMembership.objects.get(region=demo[SOUTH_EAST], year=2018, role="head").unit
    )
    leader = User.objects.get(username="lanhdao.quangbinh")
    assert leader.unit.name == "Cục Thi hành án dân sự tỉnh Quảng Bình"
    assert leader.unit.memberships.filter(region=demo[CENTRAL], year=2018, role="deputy").exists()
    lam_dong = User.objects.get(username="lanhdao.lamdong")
    assert lam_dong.appointments.count() == 2
    assert selectors.appointment_of_user_on(lam_dong, lam_dong.unit.successor, date(2026, 1, 1))


def test_facts_the_article_does_not_give_are_marked_illustrative(demo):
    for region in demo.values():
        assert "(minh họa)" in region.description
    assert "suy luận" in demo[CENTRAL].description


def test_it_takes_over_the_bare_units_of_the_first_demo_instead_of_duplicating_them():
    legacy = UnitFactory(name="Sở Tư pháp tỉnh Lâm Đồng", kind=Unit.Kind.SO_TU_PHAP)
    ministry = UnitFactory(name="Vụ Tổ chức cán bộ, Bộ Tư pháp", kind=Unit.Kind.OTHER)
    call_command("seed_demo", stdout=StringIO())
    head = RegionMembership.objects.get(region__slug=SOUTH_EAST, year=2018, role="head").unit
    assert head.pk == legacy.pk
    assert head.province.name == "tỉnh Lâm Đồng"
    assert selectors.unit_name_on(head, date(2018, 12, 31)) == "Sở Tư pháp tỉnh Lâm Đồng"
    assert User.objects.get(username="bo.thidua").unit == ministry
    assert ministry.names.count() == 1
    assert ministry.names.get().valid_from is None  # taken over with its start unknown, not a made-up day
    assert not Unit.objects.filter(names=None).exists()


def test_running_it_twice_changes_nothing(demo):
    before = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == before


# ---------------------------------------------------------------------------------------------
# seed_national
# ---------------------------------------------------------------------------------------------


def _national_units():
    return Unit.objects.filter(names__basis=NATIONAL_BASIS).distinct()


def test_seed_national_makes_five_regions_over_every_province_with_the_units_asked_for():
    out = StringIO()
    call_command("seed_national", units=300, years="2024-2025", stdout=out)
    regions = Region.objects.filter(slug__startswith="qg-")
    assert regions.count() == 5
    assert _national_units().count() == 300
    assert _national_units().values("province").distinct().count() == 63
    for region in regions:
        for year in (2024, 2025):
            memberships = RegionMembership.objects.filter(region=region, year=year)
            assert memberships.filter(role="head").count() == 1
            assert memberships.filter(role="deputy").count() == 2
        assert RegionMembership.objects.get(region=region, year=2024, role="head").unit_id != (
            RegionMembership.objects.get(region=region, year=2025, role="head").unit_id
        )
    assert RegionMembership.objects.filter(region__in=regions, year=2025).count() == 300
    assert "300 units" in out.getvalue()


def test_seed_national_runs_once_and_reset_makes_the_same_data_again():
    call_command("seed_national", units=200, years="2025", stdout=StringIO())
    names = sorted(_national_units().values_list("name", flat=True))
    out = StringIO()
    call_command("seed_national", units=200, years="2025", stdout=out)
    assert "already there" in out.getvalue()
    assert Region.objects.filter(slug__startswith="qg-").count() == 5
    call_command("seed_national", units=200, years="2025", reset=True, stdout=StringIO())
    assert sorted(_national_units().values_list("name", flat=True)) == names


def test_seed_national_removes_only_what_it_made():
    own = make_unit("Sở Tư pháp tỉnh Quảng Bình", province=None)
    call_command("seed_national", units=150, years="2025", stdout=StringIO())
    call_command("seed_national", remove=True, stdout=StringIO())
    assert not Region.objects.filter(slug__startswith="qg-").exists()
    assert list(Unit.objects.all()) == [own]


def test_seed_demo_never_takes_a_unit_of_seed_national_for_its_own():
    call_command("seed_national", units=150, years="2025", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    national = set(_national_units().values_list("pk", flat=True))
    demo_units = set(RegionMembership.objects.exclude(region__slug__startswith="qg-").values_list("unit_id", flat=True))
    assert demo_units and not demo_units & national
    assert RegionMembership.objects.filter(region__slug=CENTRAL, year=2018).count() == 26


def test_seed_national_refuses_fewer_units_than_two_per_province():
    with pytest.raises(CommandError):
        call_command("seed_national", units=100, stdout=StringIO())
    assert not Region.objects.filter(slug__startswith="qg-").exists()
