"""The region pages: list, detail, create, edit and rename, for each role."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions import services
from regions.models import Region, RegionMembership, RegionName, Unit, UnitName
from tests.regions.factories import make_region, make_unit

pytestmark = pytest.mark.django_db

LIST = reverse("regions:region_list")
CREATE = reverse("regions:region_create")
Role = RegionMembership.Role


def detail(region: Region) -> str:
    return reverse("regions:region_detail", args=[region.slug])


def edit(region: Region) -> str:
    return reverse("regions:region_edit", args=[region.slug])


def rename(region: Region) -> str:
    return reverse("regions:region_rename", args=[region.slug])


@pytest.fixture
def central() -> Region:
    """The central region of the 2018 article, with Cục THADS Quảng Bình as a deputy head that year."""
    region = make_region(
        "Khu vực thi đua Khối cơ quan Tư pháp các tỉnh duyên hải miền Trung và Tây Nguyên",
        short_name="Miền Trung - Tây Nguyên",
        effective=date(2012, 1, 1),
    )
    head = make_unit("Sở Tư pháp tỉnh Quảng Nam")
    deputy = make_unit("Cục THADS tỉnh Quảng Bình", Unit.Kind.CUC_THADS, active_from=date(2009, 1, 1))
    services.membership_add(region=region, unit=head, year=2018, role=Role.HEAD)
    services.membership_add(region=region, unit=deputy, year=2018, role=Role.DEPUTY)
    return region


@pytest.fixture
def south_east() -> Region:
    region = make_region("Khu vực thi đua Khối cơ quan Tư pháp các tỉnh miền Đông Nam bộ", effective=date(2012, 1, 1))
    services.membership_add(region=region, unit=make_unit("Sở Tư pháp tỉnh Lâm Đồng"), year=2018, role=Role.HEAD)
    return region


@pytest.fixture
def ministry(client, ministry_user):
    client.force_login(ministry_user)
    return client


def _member_of(user, region: Region, year: int = 2018) -> None:
    """Puts the user's unit in the region's roster of that year."""
    services.membership_add(region=region, unit=user.unit, year=year)


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["list", "create", "detail", "edit", "rename"])
def test_every_region_page_sends_visitors_to_log_in(client, central, name):
    url = {"list": LIST, "create": CREATE, "detail": detail(central), "edit": edit(central), "rename": rename(central)}
    response = client.get(url[name])
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["admin_user", "no_role_user"])
def test_the_list_and_the_detail_refuse_those_without_a_region_role(client, request, central, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(LIST).status_code == 403
    assert client.get(detail(central)).status_code == 403


@pytest.mark.parametrize("role", ["region_user", "leader_user", "admin_user", "no_role_user"])
@pytest.mark.parametrize("name", ["create", "edit", "rename"])
def test_only_ministry_staff_create_edit_and_rename_regions(client, request, central, role, name):
    user = request.getfixturevalue(role)
    _member_of(user, central)
    client.force_login(user)
    url = {"create": CREATE, "edit": edit(central), "rename": rename(central)}[name]
    data = {"name": "Cụm thi đua lạ", "effective": "01/01/2026", "description": "Đổi"}
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    central.refresh_from_db()
    assert central.description == "" and central.names.count() == 1
    assert not Region.objects.filter(name="Cụm thi đua lạ").exists()


@pytest.mark.parametrize("name", ["region_detail", "region_edit", "region_rename"])
def test_an_unknown_region_is_not_found(ministry, name):
    assert ministry.get(reverse(f"regions:{name}", args=["khong-co-khu-vuc-nay"])).status_code == 404


# --- list ---------------------------------------------------------------------------------------


def test_ministry_staff_see_every_region_with_its_roster_of_the_latest_year(ministry, central, south_east):
    response = ministry.get(LIST)
    assert response.context["year"] == 2018
    rows = {r.pk: r for r in response.context["page"].object_list}
    assert set(rows) == {central.pk, south_east.pk}
    assert (rows[central.pk].member_count, rows[central.pk].head_name) == (2, "Sở Tư pháp tỉnh Quảng Nam")
    body = response.content.decode()
    assert "Miền Trung - Tây Nguyên" in body
    assert f'href="{detail(central)}"' in body
    assert f'href="{CREATE}"' in body


@pytest.mark.parametrize("role", ["region_user", "leader_user"])
def test_region_officers_and_leaders_see_only_the_regions_their_unit_is_or_was_in(
    client, request, central, south_east, role
):
    user = request.getfixturevalue(role)
    _member_of(user, central, year=2017)
    client.force_login(user)
    response = client.get(LIST)
    assert [r.pk for r in response.context["page"].object_list] == [central.pk]
    assert f'href="{CREATE}"' not in response.content.decode()


def test_a_region_officer_without_a_unit_sees_no_region(client, region_user, central):
    region_user.unit = None
    region_user.save()
    client.force_login(region_user)
    response = client.get(LIST)
    assert list(response.context["page"].object_list) == []
    assert "Không có khu vực thi đua nào để hiển thị." in response.content.decode()


def test_the_list_shows_the_names_of_the_chosen_year(ministry, central):
    services.region_rename(region=central, name="Cụm thi đua số 3", effective=date(2025, 7, 1))
    quang_binh = Unit.objects.get(name="Cục THADS tỉnh Quảng Bình")
    merged = services.unit_merge(
        units=[quang_binh, make_unit("Cục THADS tỉnh Quảng Trị", Unit.Kind.CUC_THADS)],
        name="Thi hành án dân sự tỉnh Quảng Trị",
        kind=Unit.Kind.THADS_TINH,
        effective=date(2025, 7, 1),
    )
    services.membership_add(region=central, unit=merged, year=2026, role=Role.HEAD)
    body_2018 = ministry.get(LIST, {"year": 2018}).content.decode()
    body_2026 = ministry.get(LIST).content.decode()  # the latest year with a roster
    assert "Khu vực thi đua Khối cơ quan Tư pháp các tỉnh duyên hải miền Trung và Tây Nguyên" in body_2018
    assert "Cụm thi đua số 3" in body_2026
    assert "Thi hành án dân sự tỉnh Quảng Trị" in body_2026
    assert "Thi hành án dân sự tỉnh Quảng Trị" not in body_2018


def test_the_list_finds_a_region_by_a_former_name(ministry, central, south_east):
    services.region_rename(region=central, name="Cụm thi đua số 3", effective=date(2025, 7, 1))
    response = ministry.get(LIST, {"q": "duyên hải"})
    assert [r.pk for r in response.context["page"].object_list] == [central.pk]


def test_a_bad_year_is_explained_and_the_list_still_shows(ministry, central):
    response = ministry.get(LIST, {"year": "1990"})
    body = response.content.decode()
    assert "Hãy nhập năm từ 2000 trở đi." in body
    assert response.context["year"] == 2018
    assert central.short_name in body


def test_the_list_issues_as_many_queries_for_1000_units_as_for_10(ministry, central, django_assert_num_queries):
    def add_members(n: int, start: int) -> None:
        units = Unit.objects.bulk_create(Unit(name=f"Sở Tư pháp số {start + i}", kind="so_tu_phap") for i in range(n))
        UnitName.objects.bulk_create(UnitName(unit=u, name=u.name, valid_from=date(2010, 1, 1)) for u in units)
        RegionMembership.objects.bulk_create(
            RegionMembership(region=central, unit=u, year=2018, rotation_position=start + i)
            for i, u in enumerate(units)
        )

    add_members(8, start=10)
    few = _query_count(ministry, LIST)
    add_members(990, start=100)
    others = Region.objects.bulk_create(Region(name=f"Cụm thi đua số {i}", slug=f"cum-{i}") for i in range(20))
    RegionName.objects.bulk_create(RegionName(region=r, name=r.name, valid_from=date(2012, 1, 1)) for r in others)
    with django_assert_num_queries(few):
        response = ministry.get(LIST)
    central_row = next(r for r in response.context["page"].object_list if r.pk == central.pk)
    assert central_row.member_count == 1000


# --- detail -------------------------------------------------------------------------------------


def test_ministry_staff_see_the_history_and_the_actions(ministry, central):
    services.region_rename(region=central, name="Cụm thi đua số 3", effective=date(2025, 7, 1))
    services.region_update(region=central, description="Các tỉnh duyên hải miền Trung và Tây Nguyên.")
    body = ministry.get(detail(central)).content.decode()
    assert "Khu vực thi đua Khối cơ quan Tư pháp các tỉnh duyên hải miền Trung và Tây Nguyên" in body
    assert "01/07/2025" in body and "Cụm thi đua số 3" in body
    assert "Các tỉnh duyên hải miền Trung và Tây Nguyên." in body
    assert f'href="/regions/{central.slug}/2018/"' in body
    assert "Sở Tư pháp tỉnh Quảng Nam" in body  # the 2018 head
    assert f'href="{edit(central)}"' in body and f'href="{rename(central)}"' in body


@pytest.mark.parametrize("role", ["region_user", "leader_user"])
def test_officers_and_leaders_read_their_own_region_without_actions(client, request, central, role):
    user = request.getfixturevalue(role)
    _member_of(user, central)
    client.force_login(user)
    response = client.get(detail(central))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="/regions/{central.slug}/2018/"' in body
    assert f'href="{edit(central)}"' not in body and f'href="{rename(central)}"' not in body
    assert reverse("regions:unit_detail", args=[user.unit.pk]) not in body  # unit pages are for ministry staff


@pytest.mark.parametrize("role", ["region_user", "leader_user"])
def test_officers_and_leaders_may_not_open_another_region(client, request, central, south_east, role):
    user = request.getfixturevalue(role)
    _member_of(user, central)
    client.force_login(user)
    assert client.get(detail(south_east)).status_code == 403


# --- create -------------------------------------------------------------------------------------


def test_ministry_staff_create_a_region(ministry):
    data = {
        "name": "Cụm thi đua các tỉnh Tây Nam bộ",
        "short_name": "Tây Nam bộ",
        "slug": "",
        "effective": "01/01/2026",
        "description": "Các Sở Tư pháp và cơ quan THADS miền Tây.",
    }
    response = ministry.post(CREATE, data)
    region = Region.objects.get(name="Cụm thi đua các tỉnh Tây Nam bộ")
    assert response.url == detail(region)
    assert region.slug == "tay-nam-bo"
    assert region.names.get().valid_from == date(2026, 1, 1)


def test_a_chosen_address_is_used_when_free(ministry):
    ministry.post(CREATE, {"name": "Cụm thi đua Tây Bắc", "slug": "Tây Bắc", "effective": "01/01/2026"})
    assert Region.objects.get(name="Cụm thi đua Tây Bắc").slug == "tay-bac"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Hãy nhập tên khu vực thi đua."),
        ({"effective": "2026"}, "Hãy nhập ngày hợp lệ theo dạng dd/mm/yyyy, ví dụ 01/07/2025."),
        ({"slug": "khu-vuc-mien-trung"}, "Địa chỉ này đã được một khu vực thi đua khác sử dụng."),
        ({"slug": "new"}, "Địa chỉ này đã được một khu vực thi đua khác sử dụng."),
        ({"slug": "!!!"}, "Chỉ dùng chữ cái, chữ số và dấu gạch ngang."),
        ({"name": "khu vực thi đua miền đông nam bộ"}, "Đã có khu vực thi đua mang tên này."),
    ],
)
def test_a_bad_region_is_refused_with_a_message_and_nothing_saved(ministry, data, message):
    make_region("Khu vực thi đua miền Đông Nam bộ", slug="khu-vuc-mien-trung")
    response = ministry.post(CREATE, {"name": "Cụm thi đua Tây Bắc", "effective": "01/01/2026", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Region.objects.count() == 1


# --- edit and rename ----------------------------------------------------------------------------


def test_ministry_staff_edit_the_description_but_not_the_name(ministry, central):
    page = ministry.get(edit(central))
    assert list(page.context["form"].fields) == ["description"]
    assert f'href="{rename(central)}"' in page.content.decode()
    response = ministry.post(edit(central), {"description": "Mô tả mới", "name": "Tên khác"})
    assert response.url == detail(central)
    central.refresh_from_db()
    assert (central.description, central.names.count()) == ("Mô tả mới", 1)


def test_ministry_staff_rename_a_region_from_a_date(ministry, central):
    data = {"name": "Cụm thi đua số 3", "short_name": "Cụm 3", "effective": "01/07/2025"}
    assert ministry.post(rename(central), data).url == detail(central)
    central.refresh_from_db()
    assert (central.name, central.short_name) == ("Cụm thi đua số 3", "Cụm 3")
    assert central.names.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Cụm thi đua số 4", "effective": "01/01/2012"}, "Khu vực đã có một tên có hiệu lực từ ngày này."),
        ({"name": "", "effective": "01/07/2025"}, "Hãy nhập tên mới."),
        ({"name": "Cụm thi đua số 4", "effective": "31/02/2025"}, "Hãy nhập ngày hợp lệ theo dạng dd/mm/yyyy"),
    ],
)
def test_a_bad_rename_is_refused_and_nothing_saved(ministry, central, data, message):
    response = ministry.post(rename(central), data)
    assert message in response.content.decode()
    central.refresh_from_db()
    assert central.names.count() == 1
    assert central.name.startswith("Khu vực thi đua Khối")
