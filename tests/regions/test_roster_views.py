"""The yearly roster pages of a region: reading, editing by ministry staff, and copying into a new year."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from regions import services
from regions.models import Province, Region, RegionMembership, Unit, UnitName
from tests.regions.factories import make_region, make_unit

pytestmark = pytest.mark.django_db
Role = RegionMembership.Role
SLUG = "mien-dong-nam-bo"


def old_province(name: str) -> Province:
    """One of the 63 provinces in force until 30/06/2025."""
    return Province.objects.get(name=name, valid_to__isnull=False)


def url(name: str, year: int, *args, slug: str = SLUG) -> str:
    return reverse(f"regions:{name}", args=[slug, year, *args])


@pytest.fixture
def region() -> Region:
    return make_region("Khu vực thi đua miền Đông Nam bộ", slug=SLUG)


@pytest.fixture
def units() -> dict[str, Unit]:
    """Four units of the 2018 article, active since 2010, with their provinces."""
    since = date(2010, 1, 1)
    return {
        "lam_dong": make_unit("Sở Tư pháp tỉnh Lâm Đồng", province=old_province("tỉnh Lâm Đồng"), active_from=since),
        "dong_nai": make_unit("Sở Tư pháp tỉnh Đồng Nai", province=old_province("tỉnh Đồng Nai"), active_from=since),
        "ninh_thuan": make_unit(
            "Cục Thi hành án dân sự tỉnh Ninh Thuận",
            Unit.Kind.CUC_THADS,
            province=old_province("tỉnh Ninh Thuận"),
            active_from=since,
        ),
        "binh_phuoc": make_unit(
            "Sở Tư pháp tỉnh Bình Phước", province=old_province("tỉnh Bình Phước"), active_from=since
        ),
    }


@pytest.fixture
def roster_2024(region, units) -> list[RegionMembership]:
    """Lâm Đồng heads the 2024 roster, Đồng Nai and Ninh Thuận are deputies, Bình Phước a member."""
    roles = {"lam_dong": Role.HEAD, "dong_nai": Role.DEPUTY, "ninh_thuan": Role.DEPUTY, "binh_phuoc": Role.MEMBER}
    return [services.membership_add(region=region, unit=units[k], year=2024, role=r) for k, r in roles.items()]


@pytest.fixture
def other_region() -> Region:
    return make_region("Khu vực thi đua duyên hải miền Trung và Tây Nguyên", slug="mien-trung-tay-nguyen")


def roster_state(region: Region, year: int) -> list[tuple[str, str, int]]:
    memberships = RegionMembership.objects.filter(region=region, year=year).select_related("unit")
    return sorted((m.unit.name, m.role, m.rotation_position) for m in memberships)


def body(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# Who may see and change a roster
# ---------------------------------------------------------------------------------------------


def test_ministry_staff_see_the_roster_in_rotation_order_with_its_counts(client, ministry_user, roster_2024):
    client.force_login(ministry_user)
    response = client.get(url("roster_detail", 2024))
    assert response.status_code == 200
    page = body(response)
    names = ["Sở Tư pháp tỉnh Lâm Đồng", "Sở Tư pháp tỉnh Đồng Nai", "Cục Thi hành án dân sự tỉnh Ninh Thuận"]
    assert page.index(names[0]) < page.index(names[1]) < page.index(names[2])
    assert "Trưởng khu vực" in page and "Phó trưởng khu vực" in page and "Thành viên" in page
    assert "tỉnh Ninh Thuận" in page
    assert response.context["unit_count"] == 4
    assert response.context["province_count"] == 4
    assert dict(response.context["kind_counts"]) == {Unit.Kind.SO_TU_PHAP.label: 3, Unit.Kind.CUC_THADS.label: 1}
    assert url("roster_edit", 2024) in page
    assert url("roster_copy", 2024) in page


@pytest.mark.parametrize("role", ["region", "leader"])
def test_officers_and_leaders_of_a_member_unit_read_the_roster_without_edit_controls(
    client, request, role, roster_2024, units
):
    user = request.getfixturevalue(f"{role}_user")
    user.unit = units["binh_phuoc"]
    user.save()
    client.force_login(user)
    response = client.get(url("roster_detail", 2024))
    assert response.status_code == 200
    page = body(response)
    assert "Sở Tư pháp tỉnh Lâm Đồng" in page
    assert url("roster_edit", 2024) not in page
    assert url("roster_copy", 2024) not in page
    assert "/units/" not in page


@pytest.mark.parametrize("role", ["region", "leader"])
def test_officers_and_leaders_of_a_member_unit_cannot_change_anything(
    client, request, role, region, roster_2024, units
):
    user = request.getfixturevalue(f"{role}_user")
    user.unit = units["binh_phuoc"]
    user.save()
    client.force_login(user)
    newcomer = make_unit("Sở Tư pháp tỉnh Bình Dương")
    before = roster_state(region, 2024)
    unit_id = units["binh_phuoc"].pk
    posts = [
        (url("roster_add", 2024), {"unit": newcomer.pk, "role": Role.MEMBER}),
        (url("roster_set_role", 2024, unit_id), {"role": Role.HEAD}),
        (url("roster_remove", 2024, unit_id), {}),
        (url("roster_order", 2024), {}),
        (url("roster_copy", 2024), {"to_year": 2025, "head": unit_id}),
    ]
    for address, data in posts:
        assert client.post(address, data).status_code == 403, address
    for address in [url("roster_edit", 2024), url("roster_order", 2024), url("roster_copy", 2024)]:
        assert client.get(address).status_code == 403, address
    assert roster_state(region, 2024) == before
    assert not RegionMembership.objects.filter(year=2025).exists()


def test_a_leader_of_a_unit_in_another_region_is_refused(client, leader_user, roster_2024, other_region):
    elsewhere = make_unit("Cục Thi hành án dân sự tỉnh Quảng Bình", Unit.Kind.CUC_THADS)
    services.membership_add(region=other_region, unit=elsewhere, year=2024)
    leader_user.unit = elsewhere
    leader_user.save()
    client.force_login(leader_user)
    assert client.get(url("roster_detail", 2024)).status_code == 403


@pytest.mark.parametrize("role", ["no_role", "admin"])
def test_accounts_without_a_roster_role_are_refused(client, request, role, roster_2024):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    assert client.get(url("roster_detail", 2024)).status_code == 403
    assert client.get(url("roster_edit", 2024)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, roster_2024):
    for address in [url("roster_detail", 2024), url("roster_edit", 2024), url("roster_copy", 2024)]:
        response = client.get(address)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_an_unknown_region_or_member_is_not_found(client, ministry_user, roster_2024):
    client.force_login(ministry_user)
    for name in ["roster_detail", "roster_edit", "roster_order", "roster_copy"]:
        assert client.get(url(name, 2024, slug="khong-ton-tai")).status_code == 404, name
    stranger = make_unit("Sở Tư pháp tỉnh Tây Ninh")
    assert client.get(url("roster_remove", 2024, stranger.pk)).status_code == 404
    assert client.post(url("roster_set_role", 2024, stranger.pk), {"role": Role.MEMBER}).status_code == 404
    assert client.get(url("roster_detail", 1900)).status_code == 404


def test_post_only_actions_reject_get(client, ministry_user, roster_2024, units):
    client.force_login(ministry_user)
    assert client.get(url("roster_add", 2024)).status_code == 405
    assert client.get(url("roster_set_role", 2024, units["lam_dong"].pk)).status_code == 405


# ---------------------------------------------------------------------------------------------
# Reading: years, empty years, names as of the year
# ---------------------------------------------------------------------------------------------


def test_the_page_links_the_previous_and_next_years_that_have_rosters(client, ministry_user, region, units):
    for year in (2018, 2020, 2024):
        services.membership_add(region=region, unit=units["lam_dong"], year=year)
    client.force_login(ministry_user)
    response = client.get(url("roster_detail", 2020))
    assert response.context["previous_year"] == 2018
    assert response.context["next_year"] == 2024
    page = body(response)
    assert f'href="{url("roster_detail", 2018)}" rel="prev"' in page
    assert f'href="{url("roster_detail", 2024)}" rel="next"' in page
    assert 'aria-current="page">2020</span>' in page


def test_a_year_without_a_roster_offers_ministry_staff_to_copy_or_add(client, ministry_user, roster_2024):
    client.force_login(ministry_user)
    page = body(client.get(url("roster_detail", 2026)))
    assert "Chưa có danh sách thành viên năm 2026." in page
    assert f"{url('roster_copy', 2024)}?to_year=2026" in page
    assert url("roster_edit", 2026) in page


def test_a_member_sees_an_empty_year_without_actions(client, leader_user, roster_2024, units):
    leader_user.unit = units["lam_dong"]
    leader_user.save()
    client.force_login(leader_user)
    response = client.get(url("roster_detail", 2026))
    assert response.status_code == 200
    assert "Chưa có danh sách thành viên năm 2026." in body(response)
    assert url("roster_copy", 2024) not in body(response)


def test_a_2018_roster_shows_2018_names_and_a_2026_roster_the_names_after_2025(client, ministry_user, region):
    unit = make_unit(
        "Cục Thi hành án dân sự tỉnh Quảng Trị",
        Unit.Kind.CUC_THADS,
        province=old_province("tỉnh Quảng Trị"),
        active_from=date(2010, 1, 1),
    )
    services.region_rename(region=region, name="Cụm thi đua miền Đông Nam bộ", effective=date(2025, 7, 1))
    services.unit_rename(unit=unit, name="Thi hành án dân sự tỉnh Quảng Trị", effective=date(2025, 7, 1))
    services.membership_add(region=region, unit=unit, year=2018, role=Role.HEAD)
    services.membership_add(region=region, unit=unit, year=2026, role=Role.HEAD)
    client.force_login(ministry_user)
    page_2018 = body(client.get(url("roster_detail", 2018)))
    page_2026 = body(client.get(url("roster_detail", 2026)))
    assert "Cục Thi hành án dân sự tỉnh Quảng Trị" in page_2018
    assert "Khu vực thi đua miền Đông Nam bộ" in page_2018
    assert "Thi hành án dân sự tỉnh Quảng Trị" in page_2026
    assert "Cục Thi hành án dân sự tỉnh Quảng Trị" not in page_2026
    assert "Cụm thi đua miền Đông Nam bộ" in page_2026


def _fill_roster(region: Region, year: int, count: int, provinces: list[Province]) -> None:
    units = Unit.objects.bulk_create(
        Unit(name=f"Chi cục THADS huyện Thử {year}-{n}", kind=Unit.Kind.CHI_CUC_THADS, province=provinces[n % 13])
        for n in range(count)
    )
    UnitName.objects.bulk_create(UnitName(unit=u, name=u.name, valid_from=date(2010, 1, 1)) for u in units)
    RegionMembership.objects.bulk_create(
        RegionMembership(
            region=region, unit=u, year=year, rotation_position=n, role=Role.HEAD if n == 1 else Role.MEMBER
        )
        for n, u in enumerate(units, start=1)
    )


@pytest.mark.parametrize("role", ["ministry", "leader"])
def test_the_query_count_is_the_same_for_10_units_as_for_200(client, request, role, region, django_assert_num_queries):
    provinces = list(Province.objects.filter(valid_to__isnull=False)[:13])
    _fill_roster(region, 2019, 10, provinces)
    _fill_roster(region, 2020, 200, provinces)
    user = request.getfixturevalue(f"{role}_user")
    user.unit = RegionMembership.objects.filter(year=2019).first().unit
    user.save()
    client.force_login(user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("roster_detail", 2019)).context["unit_count"] == 10
    with django_assert_num_queries(len(few)):
        assert client.get(url("roster_detail", 2020)).context["unit_count"] == 200


def test_the_editor_issues_the_same_queries_for_10_units_as_for_200(
    client, ministry_user, region, django_assert_num_queries
):
    provinces = list(Province.objects.filter(valid_to__isnull=False)[:13])
    _fill_roster(region, 2019, 10, provinces)
    _fill_roster(region, 2020, 200, provinces)
    client.force_login(ministry_user)
    with CaptureQueriesContext(connection) as few:
        client.get(url("roster_edit", 2019))
    with django_assert_num_queries(len(few)):
        client.get(url("roster_edit", 2020))


def test_the_editor_shows_one_page_of_members_and_a_role_changed_there_comes_back_to_it(client, ministry_user, region):
    provinces = list(Province.objects.filter(valid_to__isnull=False)[:13])
    _fill_roster(region, 2020, 120, provinces)
    client.force_login(ministry_user)
    first = client.get(url("roster_edit", 2020))
    assert [m.rotation_position for m in first.context["memberships"]] == list(range(1, 51))
    assert first.context["unit_count"] == 120 and first.context["head"].rotation_position == 1
    third = client.get(url("roster_edit", 2020), {"page": 3})
    rows = third.context["memberships"]
    assert [m.rotation_position for m in rows] == list(range(101, 121))
    assert f'href="{url("roster_edit", 2020)}?page=2"' in body(third)
    member = rows[0]
    action = f"{url('roster_set_role', 2020, member.unit_id)}?page=3"
    assert f'action="{action}"' in body(third)
    done = client.post(action, {"role": Role.DEPUTY})
    assert done.status_code == 302 and done.url == f"{url('roster_edit', 2020)}?page=3"
    assert RegionMembership.objects.get(region=region, year=2020, unit_id=member.unit_id).role == Role.DEPUTY
    refused = client.post(action, {"role": "chief"})
    assert refused.status_code == 200 and refused.context["page"].number == 3
    assert refused.context["error_unit_id"] == member.unit_id
    assert f'id="role-error-{member.unit_id}"' in body(refused)
    # Shown by a POST to another address: its page links lead to the editor's, not to the form's.
    assert f'href="{url("roster_edit", 2020)}?page=2"' in body(refused) and 'href="?page=2"' not in body(refused)
    assert RegionMembership.objects.get(region=region, year=2020, unit_id=member.unit_id).role == Role.DEPUTY


# ---------------------------------------------------------------------------------------------
# Editing: add, change role, remove, reorder
# ---------------------------------------------------------------------------------------------


def test_the_editor_offers_only_units_free_that_year_and_searches_every_name(
    client, ministry_user, roster_2024, units, other_region
):
    free = make_unit("Sở Tư pháp tỉnh Bình Dương", active_from=date(2010, 1, 1))
    services.unit_rename(unit=free, name="Sở Tư pháp Thành phố Hồ Chí Minh (mới)", effective=date(2025, 7, 1))
    closed = make_unit("Sở Tư pháp tỉnh Đã Đóng", active_from=date(2010, 1, 1), active_to=date(2020, 12, 31))
    elsewhere = make_unit("Sở Tư pháp tỉnh Khánh Hòa")
    services.membership_add(region=other_region, unit=elsewhere, year=2024)
    client.force_login(ministry_user)
    choices = dict(client.get(url("roster_edit", 2024)).context["add_form"].fields["unit"].choices)
    # Named as in 2024, with its dates: two namesakes of one year never look alike.
    assert choices[free.pk].startswith("Sở Tư pháp tỉnh Bình Dương (") and "01/01/2010" in choices[free.pk]
    assert closed.pk not in choices and elsewhere.pk not in choices and units["lam_dong"].pk not in choices
    found = dict(client.get(url("roster_edit", 2024), {"q": "bình dương"}).context["add_form"].fields["unit"].choices)
    assert free.pk in found and ministry_user.unit_id not in found


def test_ministry_staff_add_a_unit_with_its_role(client, ministry_user, region, roster_2024):
    newcomer = make_unit("Sở Tư pháp tỉnh Bình Dương", province=old_province("tỉnh Bình Dương"))
    client.force_login(ministry_user)
    response = client.post(url("roster_add", 2024), {"unit": newcomer.pk, "role": Role.MEMBER}, follow=True)
    assert response.redirect_chain[-1][0] == url("roster_edit", 2024)
    assert "Sở Tư pháp tỉnh Bình Dương" in body(response)
    added = RegionMembership.objects.get(unit=newcomer, year=2024)
    assert (added.region, added.role, added.rotation_position) == (region, Role.MEMBER, 5)


def test_a_second_head_is_refused_when_adding_and_nothing_changes(client, ministry_user, region, roster_2024):
    newcomer = make_unit("Sở Tư pháp tỉnh Bình Dương")
    client.force_login(ministry_user)
    before = roster_state(region, 2024)
    response = client.post(url("roster_add", 2024), {"unit": newcomer.pk, "role": Role.HEAD})
    assert response.status_code == 200
    assert "Năm 2024 đã có trưởng khu vực: Sở Tư pháp tỉnh Lâm Đồng." in body(response)
    assert roster_state(region, 2024) == before


def test_a_third_deputy_is_refused_when_adding_and_nothing_changes(client, ministry_user, region, roster_2024):
    newcomer = make_unit("Sở Tư pháp tỉnh Bình Dương")
    client.force_login(ministry_user)
    before = roster_state(region, 2024)
    response = client.post(url("roster_add", 2024), {"unit": newcomer.pk, "role": Role.DEPUTY})
    assert "Mỗi khu vực thi đua có tối đa hai phó trưởng khu vực trong một năm." in body(response)
    assert roster_state(region, 2024) == before


def test_a_unit_already_in_another_region_that_year_is_refused_naming_that_region(
    client, ministry_user, region, roster_2024, other_region
):
    elsewhere = make_unit("Cục Thi hành án dân sự tỉnh Quảng Bình", Unit.Kind.CUC_THADS)
    services.membership_add(region=other_region, unit=elsewhere, year=2024)
    client.force_login(ministry_user)
    response = client.post(url("roster_add", 2024), {"unit": elsewhere.pk, "role": Role.MEMBER})
    assert (
        "Cục Thi hành án dân sự tỉnh Quảng Bình đã thuộc Khu vực thi đua duyên hải miền Trung và Tây Nguyên "
        "năm 2024" in body(response)
    )
    assert not RegionMembership.objects.filter(region=region, unit=elsewhere).exists()


def test_a_unit_inactive_that_year_is_refused(client, ministry_user, region, roster_2024):
    closed = make_unit("Sở Tư pháp tỉnh Đã Đóng", active_from=date(2010, 1, 1), active_to=date(2020, 12, 31))
    client.force_login(ministry_user)
    response = client.post(url("roster_add", 2024), {"unit": closed.pk, "role": Role.MEMBER})
    assert "Sở Tư pháp tỉnh Đã Đóng không hoạt động trong năm 2024." in body(response)
    assert not RegionMembership.objects.filter(unit=closed).exists()


def test_adding_without_a_unit_or_with_a_bad_role_is_refused(client, ministry_user, region, roster_2024):
    newcomer = make_unit("Sở Tư pháp tỉnh Bình Dương")
    client.force_login(ministry_user)
    before = roster_state(region, 2024)
    assert "Hãy chọn một đơn vị." in body(client.post(url("roster_add", 2024), {"role": Role.MEMBER}))
    assert "Hãy chọn một đơn vị trong danh sách." in body(
        client.post(url("roster_add", 2024), {"unit": 999999, "role": Role.MEMBER})
    )
    page = body(client.post(url("roster_add", 2024), {"unit": newcomer.pk, "role": "boss"}))
    assert "Hãy chọn trưởng khu vực, phó trưởng khu vực hoặc thành viên." in page
    assert roster_state(region, 2024) == before


def test_ministry_staff_change_a_members_role(client, ministry_user, roster_2024, units):
    services.membership_set_role(membership=roster_2024[2], role=Role.MEMBER)
    client.force_login(ministry_user)
    address = url("roster_set_role", 2024, units["binh_phuoc"].pk)
    response = client.post(address, {"role": Role.DEPUTY}, follow=True)
    assert response.redirect_chain[-1][0] == url("roster_edit", 2024)
    assert RegionMembership.objects.get(unit=units["binh_phuoc"], year=2024).role == Role.DEPUTY


def test_changing_a_role_to_a_second_head_or_third_deputy_is_refused(client, ministry_user, region, roster_2024, units):
    client.force_login(ministry_user)
    before = roster_state(region, 2024)
    address = url("roster_set_role", 2024, units["binh_phuoc"].pk)
    page = body(client.post(address, {"role": Role.HEAD}))
    assert "Năm 2024 đã có trưởng khu vực: Sở Tư pháp tỉnh Lâm Đồng." in page
    assert f'id="role-error-{units["binh_phuoc"].pk}"' in page
    assert "Mỗi khu vực thi đua có tối đa hai phó trưởng khu vực trong một năm." in body(
        client.post(address, {"role": Role.DEPUTY})
    )
    assert "Hãy chọn trưởng khu vực" in body(client.post(address, {"role": "boss"}))
    assert roster_state(region, 2024) == before


def test_removing_a_unit_asks_for_confirmation_first(client, ministry_user, region, roster_2024, units):
    client.force_login(ministry_user)
    address = url("roster_remove", 2024, units["lam_dong"].pk)
    page = body(client.get(address))
    assert "Sở Tư pháp tỉnh Lâm Đồng" in page and "không có trưởng khu vực" in page
    assert RegionMembership.objects.filter(region=region, year=2024).count() == 4
    response = client.post(address)
    assert response.status_code == 302
    assert not RegionMembership.objects.filter(unit=units["lam_dong"], year=2024).exists()


def test_the_rotation_order_follows_the_numbers_typed(client, ministry_user, region, roster_2024, units):
    client.force_login(ministry_user)
    places = {units["lam_dong"].pk: 1, units["dong_nai"].pk: 2, units["ninh_thuan"].pk: 3, units["binh_phuoc"].pk: 1}
    response = client.post(url("roster_order", 2024), {f"place_{pk}": place for pk, place in places.items()})
    assert response.status_code == 302
    order = RegionMembership.objects.filter(region=region, year=2024).order_by("rotation_position")
    assert [m.unit_id for m in order] == [units[k].pk for k in ("binh_phuoc", "lam_dong", "dong_nai", "ninh_thuan")]


def test_a_unit_moved_down_onto_a_taken_place_goes_after_the_one_there(
    client, ministry_user, region, roster_2024, units
):
    client.force_login(ministry_user)
    places = {units["lam_dong"].pk: 3, units["dong_nai"].pk: 2, units["ninh_thuan"].pk: 3, units["binh_phuoc"].pk: 4}
    client.post(url("roster_order", 2024), {f"place_{pk}": place for pk, place in places.items()})
    order = RegionMembership.objects.filter(region=region, year=2024).order_by("rotation_position")
    assert [m.unit_id for m in order] == [units[k].pk for k in ("dong_nai", "ninh_thuan", "lam_dong", "binh_phuoc")]


def test_a_bad_place_in_the_order_is_refused_and_nothing_changes(client, ministry_user, region, roster_2024, units):
    client.force_login(ministry_user)
    before = roster_state(region, 2024)
    data = {f"place_{m.unit_id}": m.rotation_position for m in roster_2024}
    data[f"place_{units['dong_nai'].pk}"] = "hai"
    data[f"place_{units['ninh_thuan'].pk}"] = "0"
    del data[f"place_{units['binh_phuoc'].pk}"]
    page = body(client.post(url("roster_order", 2024), data))
    assert "Hãy nhập một số nguyên." in page
    assert "Hãy nhập một số từ 1 trở lên." in page
    assert "Hãy nhập vị trí trong thứ tự." in page
    assert roster_state(region, 2024) == before


def test_an_empty_order_or_copy_submission_is_refused(client, ministry_user, region, roster_2024):
    client.force_login(ministry_user)
    before = roster_state(region, 2024)
    assert "Hãy nhập vị trí trong thứ tự." in body(client.post(url("roster_order", 2024), {}))
    assert "Hãy nhập năm cần tạo danh sách." in body(client.post(url("roster_copy", 2024), {}))
    assert roster_state(region, 2024) == before
    assert not RegionMembership.objects.filter(year=2025).exists()


# ---------------------------------------------------------------------------------------------
# Copying a roster into a new year
# ---------------------------------------------------------------------------------------------


def test_the_copy_proposes_the_next_unit_in_rotation_as_head(client, ministry_user, roster_2024, units):
    client.force_login(ministry_user)
    response = client.get(url("roster_copy", 2024))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["to_year"] == 2025
    assert form.initial["head"] == units["dong_nai"].pk
    assert form.initial["deputies"] == [units["ninh_thuan"].pk]
    page = body(response)
    assert re.search(rf'<option value="{units["dong_nai"].pk}" selected>Sở Tư pháp tỉnh Đồng Nai[ <(]', page)
    assert "Vai trò trưởng khu vực được chuyển cho đơn vị kế tiếp" in page


def test_copying_with_another_head_creates_the_new_year_and_opens_it(client, ministry_user, region, roster_2024, units):
    client.force_login(ministry_user)
    data = {"to_year": 2025, "head": units["binh_phuoc"].pk, "deputies": [units["lam_dong"].pk]}
    response = client.post(url("roster_copy", 2024), data, follow=True)
    assert response.redirect_chain[-1][0] == url("roster_detail", 2025)
    assert "Đã tạo danh sách thành viên năm 2025 gồm 4 đơn vị." in body(response)
    roles = dict(RegionMembership.objects.filter(region=region, year=2025).values_list("unit_id", "role"))
    assert roles == {
        units["lam_dong"].pk: Role.DEPUTY,
        units["dong_nai"].pk: Role.MEMBER,
        units["ninh_thuan"].pk: Role.MEMBER,
        units["binh_phuoc"].pk: Role.HEAD,
    }


def test_merged_units_are_replaced_by_their_successor_and_dropped_units_are_explained(
    client, ministry_user, region, roster_2024, units, other_region
):
    for membership in roster_2024:
        services.membership_add(region=region, unit=membership.unit, year=2025, role=membership.role)
    merged = services.unit_merge(
        units=[units["ninh_thuan"], make_unit("Cục THADS tỉnh Khánh Hòa", Unit.Kind.CUC_THADS)],
        name="Thi hành án dân sự tỉnh Khánh Hòa",
        kind=Unit.Kind.THADS_TINH,
        effective=date(2025, 7, 1),
    )
    services.unit_merge(
        units=[units["dong_nai"], units["binh_phuoc"]],
        name="Sở Tư pháp tỉnh Đồng Nai (sau sắp xếp)",
        kind=Unit.Kind.SO_TU_PHAP,
        effective=date(2025, 7, 1),
    )
    closed = make_unit("Sở Tư pháp tỉnh Giải Thể", active_from=date(2010, 1, 1), active_to=date(2025, 12, 31))
    services.membership_add(region=region, unit=closed, year=2025)
    services.membership_add(region=other_region, unit=merged, year=2026)
    client.force_login(ministry_user)
    response = client.get(url("roster_copy", 2025), {"to_year": 2026})
    names = [name for _unit, name in response.context["new_units"]]
    assert names == ["Sở Tư pháp tỉnh Lâm Đồng", "Sở Tư pháp tỉnh Đồng Nai (sau sắp xếp)"]
    dropped = body(response)
    assert "Sở Tư pháp tỉnh Giải Thể: không còn hoạt động" in dropped
    assert "Thi hành án dân sự tỉnh Khánh Hòa: đã thuộc Khu vực thi đua duyên hải miền Trung và Tây Nguyên" in dropped
    head = response.context["form"].initial["head"]
    created = client.post(url("roster_copy", 2025), {"to_year": 2026, "head": head})
    assert created.status_code == 302
    assert RegionMembership.objects.filter(region=region, year=2026).count() == 2


def test_copying_into_a_year_that_has_a_roster_is_refused(client, ministry_user, region, roster_2024, units):
    services.membership_add(region=region, unit=units["lam_dong"], year=2025)
    client.force_login(ministry_user)
    page = body(client.get(url("roster_copy", 2024)))
    assert "Năm 2025 đã có danh sách thành viên; hãy chỉnh sửa danh sách đó." in page
    assert 'id="copy-form"' not in page
    response = client.post(url("roster_copy", 2024), {"to_year": 2025, "head": units["dong_nai"].pk})
    assert "Năm 2025 đã có danh sách thành viên; hãy chỉnh sửa danh sách đó." in body(response)
    assert RegionMembership.objects.filter(region=region, year=2025).count() == 1


def test_copying_with_three_deputies_or_a_head_outside_the_roster_is_refused(
    client, ministry_user, region, roster_2024, units
):
    client.force_login(ministry_user)
    deputies = [units["lam_dong"].pk, units["ninh_thuan"].pk, units["binh_phuoc"].pk]
    data = {"to_year": 2025, "head": units["dong_nai"].pk, "deputies": deputies}
    assert "Mỗi khu vực thi đua có tối đa hai phó trưởng khu vực trong một năm." in body(
        client.post(url("roster_copy", 2024), data)
    )
    outsider = make_unit("Sở Tư pháp tỉnh Bình Dương")
    page = body(client.post(url("roster_copy", 2024), {"to_year": 2025, "head": outsider.pk}))
    assert "Trưởng khu vực phải là một đơn vị trong danh sách thành viên." in page
    assert "Hãy chọn trưởng khu vực." in body(client.post(url("roster_copy", 2024), {"to_year": 2025}))
    assert not RegionMembership.objects.filter(year=2025).exists()


def test_a_bad_target_year_is_explained(client, ministry_user, roster_2024):
    client.force_login(ministry_user)
    assert "Hãy nhập một năm, ví dụ 2026." in body(client.get(url("roster_copy", 2024), {"to_year": "năm sau"}))
    assert "Năm của danh sách mới phải sau năm 2024." in body(client.get(url("roster_copy", 2024), {"to_year": 2023}))
    assert "Năm 2023 chưa có danh sách thành viên để sao chép." in body(
        client.get(url("roster_copy", 2023), {"to_year": 2025})
    )
    assert not RegionMembership.objects.filter(year__gt=2024).exists()


@pytest.mark.django_db
def test_the_region_page_opens_the_roster_of_any_year(client, ministry_user):
    from django.urls import reverse

    from tests.regions.factories import make_region

    region = make_region("Khu vực thi đua mới")
    client.force_login(ministry_user)
    assert 'name="year"' in client.get(reverse("regions:region_detail", args=[region.slug])).content.decode()
    response = client.get(reverse("regions:roster_year", args=[region.slug]), {"year": "2018"})
    assert response.url == reverse("regions:roster_detail", args=[region.slug, 2018])
    bad = client.get(reverse("regions:roster_year", args=[region.slug]), {"year": "hai nghìn"}, follow=True)
    assert "Năm phải từ 2000 đến 2100" in bad.content.decode()


# The rows as regions/roster_detail.html wrote them with template tags, before regions.templatetags.regions_rows.
ROSTER_ROWS = (Path(__file__).parent / "fixtures" / "roster_rows_before.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("viewer", ["ministry_user", "leader"])
def test_the_rows_written_in_python_are_the_markup_the_template_wrote(client, request, roster_2024, language, viewer):
    user = request.getfixturevalue(viewer if viewer == "ministry_user" else "leader_user")
    if viewer == "leader":
        user.unit = roster_2024[3].unit
        user.save()
    client.force_login(user)
    client.cookies["thidua_language"] = language
    response = client.get(url("roster_detail", 2024))
    assert response.status_code == 200
    written = _rows_compared_with(response, ROSTER_ROWS, language)
    assert written.count("<tr>") == 4 and ("/units/" in written) == (viewer == "ministry_user")


def _rows_compared_with(response, former_rows: str, language: str) -> str:
    """The page's first table body, checked to be the markup the former row template writes in its context."""
    from django.template import engines
    from django.test.html import parse_html

    page = body(response)
    start = page.index("<tbody>")
    written = page[start + len("<tbody>") : page.index("</tbody>", start)]
    with translation.override(language):
        expected = engines["django"].from_string(former_rows).render(response.context[0].flatten())
    assert parse_html(written) == parse_html(expected)
    return written


ORDER_ROWS = (Path(__file__).parent / "fixtures" / "roster_order_rows_before.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("refused", [False, True])
def test_the_rotation_order_rows_written_in_python_are_the_markup_the_template_wrote(
    client, ministry_user, roster_2024, units, language, refused
):
    """The rows of the order's form, as read (places as they are) and refused (the typed values kept, their
    errors under their fields, marked invalid)."""
    client.force_login(ministry_user)
    client.cookies["thidua_language"] = language
    if refused:
        data = {f"place_{m.unit_id}": m.rotation_position for m in roster_2024}
        data[f"place_{units['dong_nai'].pk}"] = "<hai>"
        data[f"place_{units['ninh_thuan'].pk}"] = "0"
        response = client.post(url("roster_order", 2024), data)
    else:
        response = client.get(url("roster_order", 2024))
    assert response.status_code == 200
    written = _rows_compared_with(response, ORDER_ROWS, language)
    assert written.count("<tr>") == 4 and ("is-invalid" in written) == refused and "<hai>" not in written
