from datetime import date

import pytest

from regions import selectors, services
from regions.errors import RegionsError
from regions.models import Appointment, Province, RegionMembership, Unit
from tests.regions.factories import make_region, make_unit

pytestmark = pytest.mark.django_db
Role = RegionMembership.Role


def test_the_provinces_are_63_before_the_merger_and_34_after():
    assert selectors.provinces_valid_on(date(2024, 6, 1)).count() == 63
    assert selectors.provinces_valid_on(date(2025, 6, 30)).count() == 63
    assert selectors.provinces_valid_on(date(2025, 7, 1)).count() == 34
    quang_binh = Province.objects.get(name="tỉnh Quảng Bình")
    assert quang_binh.valid_to == date(2025, 6, 30)
    assert quang_binh.successor.name == "tỉnh Quảng Trị"
    assert quang_binh.successor.valid_from == date(2025, 7, 1)
    assert Province.objects.get(name="tỉnh Thừa Thiên Huế").successor.name == "thành phố Huế"


def test_a_rename_keeps_the_old_name_for_earlier_dates():
    unit = make_unit("Cục Thi hành án dân sự tỉnh Đồng Tháp", Unit.Kind.CUC_THADS, active_from=date(2010, 1, 1))
    services.unit_rename(unit=unit, name="Cục THADS tỉnh Đồng Tháp (tên mới)", effective=date(2025, 3, 1))
    assert selectors.unit_name_on(unit, date(2018, 3, 19)) == "Cục Thi hành án dân sự tỉnh Đồng Tháp"
    assert selectors.unit_name_on(unit, date(2025, 3, 1)) == "Cục THADS tỉnh Đồng Tháp (tên mới)"
    unit.refresh_from_db()
    assert unit.name == "Cục THADS tỉnh Đồng Tháp (tên mới)"
    assert unit.names.count() == 2


def test_a_rename_is_refused_twice_on_one_day_and_before_the_unit_existed():
    unit = make_unit("Sở Tư pháp tỉnh A", active_from=date(2010, 1, 1))
    services.unit_rename(unit=unit, name="Sở Tư pháp tỉnh B", effective=date(2020, 1, 1))
    with pytest.raises(RegionsError):
        services.unit_rename(unit=unit, name="Sở Tư pháp tỉnh C", effective=date(2020, 1, 1))
    with pytest.raises(RegionsError):
        services.unit_rename(unit=unit, name="Sở Tư pháp tỉnh C", effective=date(2009, 1, 1))
    assert unit.names.count() == 2


def test_names_are_normalised_to_nfc():
    import unicodedata

    unit = make_unit(unicodedata.normalize("NFD", "Sở Tư pháp tỉnh Đắk Lắk"))
    assert unit.name == unicodedata.normalize("NFC", "Sở Tư pháp tỉnh Đắk Lắk")
    assert unit.names.get().name == unit.name


def test_an_end_date_before_the_start_date_is_refused():
    with pytest.raises(RegionsError, match="(?i)ngày kết thúc|end date"):
        make_unit("Sở Tư pháp tỉnh X", active_from=date(2020, 1, 1), active_to=date(2019, 1, 1))
    assert not Unit.objects.exists()


def test_a_merger_ends_the_old_units_and_keeps_their_names_for_earlier_years():
    quang_binh = make_unit("Cục THADS tỉnh Quảng Bình", Unit.Kind.CUC_THADS)
    quang_tri = make_unit("Cục THADS tỉnh Quảng Trị", Unit.Kind.CUC_THADS)
    merged = services.unit_merge(
        units=[quang_binh, quang_tri],
        name="Thi hành án dân sự tỉnh Quảng Trị",
        kind=Unit.Kind.THADS_TINH,
        effective=date(2025, 7, 1),
    )
    quang_binh.refresh_from_db()
    assert quang_binh.active_to == date(2025, 6, 30)
    assert quang_binh.successor == merged
    assert merged.active_from == date(2025, 7, 1)
    assert selectors.unit_name_on(quang_binh, date(2018, 3, 19)) == "Cục THADS tỉnh Quảng Bình"


def test_a_merger_needs_two_active_units():
    unit = make_unit("Cục THADS tỉnh Quảng Bình", Unit.Kind.CUC_THADS)
    with pytest.raises(RegionsError):
        services.unit_merge(units=[unit], name="X", kind=Unit.Kind.THADS_TINH, effective=date(2025, 7, 1))


def test_a_chi_cuc_must_sit_under_a_cuc():
    so = make_unit("Sở Tư pháp tỉnh Ninh Thuận")
    with pytest.raises(RegionsError):
        make_unit("Chi cục THADS huyện Ninh Hải", Unit.Kind.CHI_CUC_THADS)
    with pytest.raises(RegionsError):
        make_unit("Chi cục THADS huyện Ninh Hải", Unit.Kind.CHI_CUC_THADS, parent=so)
    cuc = make_unit("Cục THADS tỉnh Ninh Thuận", Unit.Kind.CUC_THADS)
    assert make_unit("Chi cục THADS huyện Ninh Hải", Unit.Kind.CHI_CUC_THADS, parent=cuc).parent == cuc


def test_a_new_head_ends_the_previous_heads_term():
    unit = make_unit("Cục THADS tỉnh Đồng Tháp", Unit.Kind.CUC_THADS)
    first = services.appointment_start(
        unit=unit, full_name="Nguyễn Văn Trước", position="Cục trưởng", start=date(2016, 1, 1)
    )
    second = services.appointment_start(
        unit=unit, full_name="Vũ Quang Hiện", position="Cục trưởng", start=date(2021, 3, 2)
    )
    first.refresh_from_db()
    assert first.end == date(2021, 3, 1)
    assert selectors.head_on(unit, date(2021, 3, 1)) == first
    assert selectors.head_on(unit, date(2021, 3, 2)) == second
    deputy = services.appointment_start(
        unit=unit, full_name="Trần Phó", position="Phó Cục trưởng", start=date(2020, 1, 1), kind=Appointment.Kind.DEPUTY
    )
    assert set(selectors.appointments_on(unit, date(2021, 6, 1))) == {second, deputy}


def test_a_roster_has_one_head_at_most_two_deputies_and_a_unit_in_one_region_a_year():
    region, other = make_region(), make_region("Khu vực thi đua duyên hải miền Trung và Tây Nguyên")
    units = [make_unit(f"Sở Tư pháp tỉnh {n}") for n in range(5)]
    services.membership_add(region=region, unit=units[0], year=2018, role=Role.HEAD)
    with pytest.raises(RegionsError, match=units[0].name):
        services.membership_add(region=region, unit=units[1], year=2018, role=Role.HEAD)
    services.membership_add(region=region, unit=units[1], year=2018, role=Role.DEPUTY)
    services.membership_add(region=region, unit=units[2], year=2018, role=Role.DEPUTY)
    with pytest.raises(RegionsError):
        services.membership_add(region=region, unit=units[3], year=2018, role=Role.DEPUTY)
    services.membership_add(region=region, unit=units[3], year=2018)
    with pytest.raises(RegionsError, match=region.name):
        services.membership_add(region=other, unit=units[3], year=2018)
    member = RegionMembership.objects.get(unit=units[3], year=2018)
    with pytest.raises(RegionsError):
        services.membership_set_role(membership=member, role=Role.DEPUTY)
    assert RegionMembership.objects.filter(region=region, year=2018).count() == 4
    assert RegionMembership.objects.filter(role=Role.DEPUTY).count() == 2


def test_the_database_refuses_a_second_head_and_a_unit_in_two_regions():
    from django.db import IntegrityError, transaction

    region, other = make_region(), make_region("Khu vực B")
    a, b = make_unit("Sở A"), make_unit("Sở B")
    RegionMembership.objects.create(region=region, unit=a, year=2018, role=Role.HEAD)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionMembership.objects.create(region=region, unit=b, year=2018, role=Role.HEAD)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionMembership.objects.create(region=other, unit=a, year=2018)


def test_copy_forward_rotates_the_head_and_follows_mergers():
    region = make_region()
    a, b, c = (make_unit(f"Sở Tư pháp tỉnh {x}") for x in "ABC")
    closed = make_unit("Cục THADS tỉnh D", Unit.Kind.CUC_THADS)
    for unit, role in [(a, Role.HEAD), (b, Role.DEPUTY), (c, Role.MEMBER), (closed, Role.DEPUTY)]:
        services.membership_add(region=region, unit=unit, year=2024, role=role)
    successor = services.unit_merge(
        units=[closed, make_unit("Cục THADS tỉnh E", Unit.Kind.CUC_THADS)],
        name="Thi hành án dân sự tỉnh D",
        kind=Unit.Kind.THADS_TINH,
        effective=date(2025, 7, 1),
    )
    proposal = services.roster_propose(region=region, from_year=2024, to_year=2026)
    assert [u.pk for u in proposal.units] == [a.pk, b.pk, c.pk, successor.pk]
    assert proposal.proposed_head == b
    services.roster_copy_forward(region=region, from_year=2024, to_year=2026, head=proposal.proposed_head)
    roster = {m.unit_id: m.role for m in RegionMembership.objects.filter(region=region, year=2026)}
    assert roster == {a.pk: Role.MEMBER, b.pk: Role.HEAD, c.pk: Role.MEMBER, successor.pk: Role.DEPUTY}
    with pytest.raises(RegionsError):
        services.roster_copy_forward(region=region, from_year=2024, to_year=2026, head=b)


def test_copy_forward_proposes_once_the_successor_of_two_members_merged_together():
    region = make_region()
    a, d, b, e = (make_unit(f"Cục THADS tỉnh {x}", Unit.Kind.CUC_THADS) for x in "ADBE")
    for unit, role in [(a, Role.MEMBER), (d, Role.HEAD), (b, Role.MEMBER), (e, Role.DEPUTY)]:
        services.membership_add(region=region, unit=unit, year=2024, role=role)
    successor = services.unit_merge(
        units=[d, e], name="Thi hành án dân sự tỉnh D", kind=Unit.Kind.THADS_TINH, effective=date(2025, 7, 1)
    )
    proposal = services.roster_propose(region=region, from_year=2024, to_year=2026)
    assert [u.pk for u in proposal.units] == [a.pk, successor.pk, b.pk]
    assert proposal.proposed_head == b
    assert proposal.deputies == []


def test_the_roster_shows_names_as_of_its_year():
    region = make_region()
    unit = make_unit("Sở Tư pháp tỉnh Bình Dương", active_from=date(2000, 1, 1))
    services.membership_add(region=region, unit=unit, year=2018)
    services.unit_rename(unit=unit, name="Sở Tư pháp Thành phố Hồ Chí Minh (mới)", effective=date(2025, 7, 1))
    services.membership_add(region=region, unit=unit, year=2026)
    assert [m.name_on_day for m in selectors.roster(region, 2018)] == ["Sở Tư pháp tỉnh Bình Dương"]
    assert [m.name_on_day for m in selectors.roster(region, 2026)] == ["Sở Tư pháp Thành phố Hồ Chí Minh (mới)"]
