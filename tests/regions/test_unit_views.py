"""The unit pages: list, detail, create, edit, rename, merge and leaders, for each role."""

from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from regions import services
from regions.models import Appointment, Province, RegionMembership, Unit, UnitName
from tests.factories import UserFactory
from tests.regions.factories import make_region, make_unit

pytestmark = pytest.mark.django_db

LIST = reverse("regions:unit_list")
CREATE = reverse("regions:unit_create")
MERGE = reverse("regions:unit_merge")
REFUSED_ROLES = ["region_user", "leader_user", "admin_user", "no_role_user"]


def detail(unit: Unit) -> str:
    return reverse("regions:unit_detail", args=[unit.pk])


def edit(unit: Unit) -> str:
    return reverse("regions:unit_edit", args=[unit.pk])


def rename(unit: Unit) -> str:
    return reverse("regions:unit_rename", args=[unit.pk])


def add_leader(unit: Unit) -> str:
    return reverse("regions:appointment_create", args=[unit.pk])


@pytest.fixture
def cuc() -> Unit:
    return make_unit(
        "Cục THADS tỉnh Quảng Bình",
        Unit.Kind.CUC_THADS,
        province=Province.objects.get(name="tỉnh Quảng Bình"),
        active_from=date(2009, 1, 1),
    )


@pytest.fixture
def ministry(client, ministry_user):
    client.force_login(ministry_user)
    return client


def _bulk_units(n: int, *, parent: Unit | None = None, prefix: str = "Chi cục THADS huyện Số") -> list[Unit]:
    """Many units fast, each with its first name in the history, as the service would make them."""
    kind = Unit.Kind.CHI_CUC_THADS if parent else Unit.Kind.SO_TU_PHAP
    units = Unit.objects.bulk_create(
        Unit(name=f"{prefix} {i:04}", kind=kind, parent=parent, active_from=date(2010, 1, 1)) for i in range(n)
    )
    UnitName.objects.bulk_create(UnitName(unit=u, name=u.name, valid_from=date(2010, 1, 1)) for u in units)
    return units


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- access -------------------------------------------------------------------------------------

UNIT_PAGES = ["list", "create", "merge", "detail", "edit", "rename", "leader"]


def unit_page(name: str, unit: Unit) -> str:
    """The address of the unit page called ``name``; the pages of one unit are those of ``unit``."""
    return {
        "list": LIST,
        "create": CREATE,
        "merge": MERGE,
        "detail": detail(unit),
        "edit": edit(unit),
        "rename": rename(unit),
        "leader": add_leader(unit),
    }[name]


@pytest.mark.parametrize("name", UNIT_PAGES)
def test_every_unit_page_sends_visitors_to_log_in(client, cuc, name):
    url = unit_page(name, cuc)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", REFUSED_ROLES)
@pytest.mark.parametrize("name", UNIT_PAGES)
def test_every_unit_page_refuses_everyone_but_ministry_staff(client, request, cuc, role, name):
    client.force_login(request.getfixturevalue(role))
    url = unit_page(name, cuc)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Đơn vị lạ", "kind": Unit.Kind.OTHER}).status_code == 403
    assert not Unit.objects.filter(name="Đơn vị lạ").exists()


@pytest.mark.parametrize("name", ["unit_detail", "unit_edit", "unit_rename", "appointment_create"])
def test_an_unknown_unit_is_not_found(ministry, name):
    assert ministry.get(reverse(f"regions:{name}", args=[987654])).status_code == 404


# --- list ---------------------------------------------------------------------------------------


def test_the_list_shows_name_kind_province_parent_and_dates(ministry, cuc):
    make_unit("Chi cục THADS huyện Bố Trạch", Unit.Kind.CHI_CUC_THADS, parent=cuc, active_from=date(2010, 1, 1))
    body = ministry.get(LIST).content.decode()
    assert "Chi cục THADS huyện Bố Trạch" in body
    assert "tỉnh Quảng Bình" in body
    assert "01/01/2010" in body
    assert "Chi cục Thi hành án dân sự" in body  # the kind, in Vietnamese
    assert f'href="{detail(cuc)}"' in body
    for name in ("unit_create", "unit_merge", "unit_import", "unit_export"):
        assert reverse(f"regions:{name}") in body


def test_the_list_finds_a_unit_by_a_former_name(ministry, cuc):
    services.unit_rename(unit=cuc, name="Thi hành án dân sự tỉnh Quảng Bình (mới)", effective=date(2025, 7, 1))
    make_unit("Sở Tư pháp tỉnh Lâm Đồng")
    units = ministry.get(LIST, {"q": "Cục THADS tỉnh Quảng"}).context["units"]
    assert [u.pk for u in units] == [cuc.pk]


@pytest.mark.parametrize("typed", ["quang binh", "QUANG BÌNH", "cuc thads tinh quang", "Quảng Bình"])
def test_the_list_finds_a_unit_typed_with_or_without_diacritics(ministry, cuc, typed):
    make_unit("Sở Tư pháp thành phố Đà Nẵng")
    units = ministry.get(LIST, {"q": typed}).context["units"]
    assert [u.pk for u in units] == [cuc.pk]


def test_the_d_with_a_stroke_is_searched_as_a_d(ministry):
    da_nang = make_unit("Sở Tư pháp thành phố Đà Nẵng")
    make_unit("Sở Tư pháp tỉnh Lâm Đồng")
    assert [u.pk for u in ministry.get(LIST, {"q": "da nang"}).context["units"]] == [da_nang.pk]


def test_the_list_filters_by_kind_province_and_activity(ministry, cuc):
    lam_dong = Province.objects.get(name="tỉnh Lâm Đồng", valid_to__isnull=False)
    so = make_unit("Sở Tư pháp tỉnh Lâm Đồng", province=lam_dong)
    closed = make_unit("Sở Tư pháp tỉnh Đã Đóng", active_from=date(2000, 1, 1), active_to=date(2020, 12, 31))

    def names(**params) -> set[str]:
        return {u.name_on_day for u in ministry.get(LIST, params).context["units"]}

    assert names(kind=Unit.Kind.CUC_THADS) == {cuc.name}
    assert names(province=lam_dong.pk) == {so.name}
    assert closed.name not in names(active="yes")
    assert names(active="no") == {closed.name}
    assert closed.name in names(active="yes", year=2019)


def test_the_province_select_offers_provinces_before_and_after_2025(ministry):
    body = ministry.get(LIST).content.decode()
    assert "tỉnh Quảng Bình (đến 30/06/2025)" in body
    assert "Tỉnh, thành phố hiện nay" in body


def test_the_list_filters_by_region_and_year_and_shows_the_region_of_that_year(ministry, cuc):
    other = make_unit("Sở Tư pháp tỉnh Gia Lai")
    region = make_region("Khu vực thi đua duyên hải miền Trung và Tây Nguyên", effective=date(2012, 1, 1))
    services.region_rename(region=region, name="Cụm thi đua miền Trung", effective=date(2024, 1, 1))
    services.membership_add(region=region, unit=cuc, year=2018, role=RegionMembership.Role.DEPUTY)
    services.membership_add(region=region, unit=other, year=2024)
    response = ministry.get(LIST, {"region": region.pk, "year": 2018})
    assert [u.pk for u in response.context["units"]] == [cuc.pk]
    body = response.content.decode()
    assert "Khu vực thi đua duyên hải miền Trung và Tây Nguyên" in body  # the region's 2018 name
    assert "Phó trưởng khu vực" in body
    assert {u.pk for u in ministry.get(LIST, {"region": region.pk}).context["units"]} == {cuc.pk, other.pk}


def test_a_unit_renamed_in_2025_shows_its_old_name_for_2018_and_the_new_one_for_2026(ministry, cuc):
    services.unit_rename(unit=cuc, name="Thi hành án dân sự tỉnh Quảng Trị", effective=date(2025, 7, 1))
    body_2018 = ministry.get(LIST, {"year": 2018}).content.decode()
    body_2026 = ministry.get(LIST, {"year": 2026}).content.decode()
    assert "Cục THADS tỉnh Quảng Bình" in body_2018
    assert "Thi hành án dân sự tỉnh Quảng Trị" not in body_2018
    assert "Thi hành án dân sự tỉnh Quảng Trị" in body_2026
    assert "Cục THADS tỉnh Quảng Bình" not in body_2026


def test_a_parent_is_shown_with_its_name_of_the_chosen_year(ministry, cuc):
    make_unit("Chi cục THADS huyện Bố Trạch", Unit.Kind.CHI_CUC_THADS, parent=cuc, active_from=date(2010, 1, 1))
    services.unit_rename(unit=cuc, name="Cục THADS Quảng Bình (tên 2020)", effective=date(2020, 1, 1))
    units = {u.name_on_day: u for u in ministry.get(LIST, {"year": 2018}).context["units"]}
    assert units["Chi cục THADS huyện Bố Trạch"].parent_name_on_day == "Cục THADS tỉnh Quảng Bình"


def test_the_list_shows_fifty_units_a_page(ministry):
    _bulk_units(120)
    first = ministry.get(LIST)
    assert len(first.context["units"]) == 50
    assert 'aria-current="page">1<' in first.content.decode()
    last = ministry.get(LIST, {"page": 3})
    assert len(last.context["units"]) == 20 + 1  # the ministry user's own unit comes from the factory


def test_a_bad_filter_is_explained_and_the_list_still_shows(ministry, cuc):
    response = ministry.get(LIST, {"year": "hai nghìn", "kind": "khong-co"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hãy nhập một năm, ví dụ 2018." in body
    assert "Hãy chọn một loại trong danh sách." in body
    assert cuc.name in body


def test_the_list_issues_as_many_queries_for_1000_units_as_for_10(ministry, django_assert_num_queries):
    region = make_region()
    units = _bulk_units(10)
    for unit in units[:5]:
        services.membership_add(region=region, unit=unit, year=2018)
    url = f"{LIST}?year=2018&q=huy%E1%BB%87n"
    few = _query_count(ministry, url)
    more = _bulk_units(990, prefix="Chi cục THADS huyện Khác")
    RegionMembership.objects.bulk_create(
        RegionMembership(region=region, unit=u, year=2018, rotation_position=10 + i) for i, u in enumerate(more)
    )
    with django_assert_num_queries(few):
        response = ministry.get(url)
    assert response.context["page"].paginator.count == 1000


# --- detail -------------------------------------------------------------------------------------


def test_the_detail_shows_the_units_history(ministry, cuc, leader_user):
    child = make_unit("Chi cục THADS huyện Bố Trạch", Unit.Kind.CHI_CUC_THADS, parent=cuc)
    other = make_unit("Cục THADS tỉnh Quảng Trị", Unit.Kind.CUC_THADS)
    region = make_region("Khu vực thi đua duyên hải miền Trung và Tây Nguyên", effective=date(2012, 1, 1))
    services.region_rename(region=region, name="Cụm thi đua số 3", effective=date(2025, 7, 1))
    services.membership_add(region=region, unit=cuc, year=2018, role=RegionMembership.Role.DEPUTY)
    services.appointment_start(unit=cuc, full_name="Nguyễn Văn Cũ", position="Cục trưởng", start=date(2012, 1, 1))
    services.appointment_start(
        unit=cuc, full_name="Mai Công Danh", position="Cục trưởng", start=date(2016, 5, 1), user=leader_user
    )
    merged = services.unit_merge(
        units=[cuc, other],
        name="Thi hành án dân sự tỉnh Quảng Trị",
        kind=Unit.Kind.THADS_TINH,
        effective=date(2025, 7, 1),
    )
    services.membership_add(region=region, unit=merged, year=2026)
    body = ministry.get(detail(cuc)).content.decode()
    assert "Cục THADS tỉnh Quảng Bình" in body
    assert child.name in body and f'href="{detail(child)}"' in body
    assert f'href="{detail(merged)}"' in body and "Thi hành án dân sự tỉnh Quảng Trị" in body
    assert body.index("Mai Công Danh") < body.index("Nguyễn Văn Cũ")  # newest first
    assert "30/04/2016" in body  # the earlier head's term ended the day before
    assert leader_user.username in body
    assert "Khu vực thi đua duyên hải miền Trung và Tây Nguyên" in body  # the region's 2018 name
    assert "Phó trưởng khu vực" in body
    assert f'href="/regions/{region.slug}/2018/"' in body
    merged_body = ministry.get(detail(merged)).content.decode()
    assert f'href="{detail(cuc)}"' in merged_body and f'href="{detail(other)}"' in merged_body
    assert "Cụm thi đua số 3" in merged_body  # the region's 2026 name


def test_the_detail_offers_the_ministrys_actions(ministry, cuc):
    body = ministry.get(detail(cuc)).content.decode()
    for url in (edit(cuc), rename(cuc), add_leader(cuc)):
        assert f'href="{url}"' in body


def test_the_detail_issues_as_many_queries_for_1000_units_as_for_10(ministry, cuc, django_assert_num_queries):
    region = make_region()
    services.membership_add(region=region, unit=cuc, year=2018)
    services.appointment_start(unit=cuc, full_name="Mai Công Danh", position="Cục trưởng", start=date(2016, 5, 1))
    _bulk_units(10, parent=cuc)
    few = _query_count(ministry, detail(cuc))
    _bulk_units(990, parent=cuc, prefix="Chi cục THADS huyện Thêm")
    for year in range(2019, 2027):
        services.membership_add(region=region, unit=cuc, year=year)
    with django_assert_num_queries(few):
        ministry.get(detail(cuc))


# --- create and edit ----------------------------------------------------------------------------


def _unit_data(**overrides) -> dict:
    data = {
        "name": "Chi cục THADS huyện Lệ Thủy",
        "short_name": "",
        "kind": Unit.Kind.CHI_CUC_THADS,
        "province": "",
        "parent": "",
        "active_from": "01/01/2010",
        "active_to": "",
        "basis": "",
    }
    return {**data, **overrides}


def test_ministry_staff_create_a_unit(ministry, cuc):
    response = ministry.post(CREATE, _unit_data(parent=cuc.pk, province=cuc.province_id))
    unit = Unit.objects.get(name="Chi cục THADS huyện Lệ Thủy")
    assert response.url == detail(unit)
    assert unit.parent == cuc
    assert unit.active_from == date(2010, 1, 1)
    assert unit.names.get().valid_from == date(2010, 1, 1)


def test_the_parent_select_offers_only_units_that_can_have_sub_units(ministry, cuc):
    make_unit("Sở Tư pháp tỉnh Quảng Bình")
    parents = list(ministry.get(CREATE).context["form"].fields["parent"].queryset)
    assert parents == [cuc]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "  "}, "Hãy nhập tên đơn vị."),
        ({"active_to": "31/12/2009"}, "Ngày kết thúc không được trước ngày bắt đầu."),
        ({"parent": ""}, "Chi cục Thi hành án dân sự phải trực thuộc một Cục Thi hành án dân sự."),
        ({"active_from": "32/13/2010"}, "Hãy nhập ngày hợp lệ theo dạng dd/mm/yyyy, ví dụ 01/07/2025."),
        ({"kind": ""}, "Hãy chọn loại đơn vị."),
    ],
)
def test_a_bad_unit_is_refused_with_a_message_and_nothing_saved(ministry, cuc, overrides, message):
    before = Unit.objects.count()
    response = ministry.post(CREATE, _unit_data(**{"parent": cuc.pk, **overrides}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Unit.objects.count() == before


def test_ministry_staff_edit_a_unit_but_not_its_name(ministry, cuc):
    page = ministry.get(edit(cuc)).content.decode()
    assert "name" not in ministry.get(edit(cuc)).context["form"].fields
    assert f'href="{rename(cuc)}"' in page
    quang_tri = Province.objects.get(name="tỉnh Quảng Trị", valid_to__isnull=True)
    data = {
        "kind": Unit.Kind.CUC_THADS,
        "province": quang_tri.pk,
        "active_from": "01/01/2009",
        "active_to": "30/06/2025",
    }
    assert ministry.post(edit(cuc), data).url == detail(cuc)
    cuc.refresh_from_db()
    assert (cuc.province, cuc.active_to, cuc.name) == (quang_tri, date(2025, 6, 30), "Cục THADS tỉnh Quảng Bình")


def test_an_end_date_before_the_start_date_is_refused_on_edit(ministry, cuc):
    data = {"kind": Unit.Kind.CUC_THADS, "active_from": "01/01/2009", "active_to": "31/12/2008"}
    response = ministry.post(edit(cuc), data)
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    cuc.refresh_from_db()
    assert cuc.active_to is None and cuc.province is not None


# --- rename -------------------------------------------------------------------------------------


def test_ministry_staff_rename_a_unit_from_a_date(ministry, cuc):
    data = {"name": "Thi hành án dân sự tỉnh Quảng Trị", "effective": "01/07/2025", "basis": "Nghị quyết 202/2025/QH15"}
    assert ministry.post(rename(cuc), data).url == detail(cuc)
    cuc.refresh_from_db()
    assert cuc.name == "Thi hành án dân sự tỉnh Quảng Trị"
    assert list(cuc.names.values_list("name", flat=True)) == ["Cục THADS tỉnh Quảng Bình", cuc.name]


def test_a_second_rename_on_the_same_day_is_refused(ministry, cuc):
    services.unit_rename(unit=cuc, name="Tên thứ hai", effective=date(2020, 1, 1))
    response = ministry.post(rename(cuc), {"name": "Tên thứ ba", "effective": "01/01/2020"})
    assert "Đơn vị đã có một tên có hiệu lực từ ngày này." in response.content.decode()
    assert cuc.names.count() == 2


def test_a_rename_needs_a_name_and_a_date(ministry, cuc):
    body = ministry.post(rename(cuc), {"name": "", "effective": ""}).content.decode()
    assert "Hãy nhập tên mới." in body
    assert "Hãy nhập ngày (dd/mm/yyyy)." in body
    assert cuc.names.count() == 1


# --- merge --------------------------------------------------------------------------------------


def _merge_data(units: list[Unit], **overrides) -> dict:
    quang_tri = Province.objects.get(name="tỉnh Quảng Trị", valid_to__isnull=True)
    data = {
        "units": [u.pk for u in units],
        "name": "Thi hành án dân sự tỉnh Quảng Trị",
        "kind": Unit.Kind.THADS_TINH,
        "province": quang_tri.pk,
        "effective": "01/07/2025",
        "basis": "Nghị quyết 202/2025/QH15",
        "merge": "1",
    }
    return {**data, **overrides}


def test_ministry_staff_merge_units_into_a_new_one(ministry, cuc):
    other = make_unit("Cục THADS tỉnh Quảng Trị", Unit.Kind.CUC_THADS)
    response = ministry.post(MERGE, _merge_data([cuc, other]))
    merged = Unit.objects.get(name="Thi hành án dân sự tỉnh Quảng Trị")
    assert response.url == detail(merged)
    cuc.refresh_from_db()
    assert (cuc.successor, cuc.active_to) == (merged, date(2025, 6, 30))


def test_searching_keeps_the_ticked_units_and_merges_nothing(ministry, cuc):
    make_unit("Cục THADS tỉnh Quảng Trị", Unit.Kind.CUC_THADS)
    make_unit("Sở Tư pháp tỉnh Lâm Đồng")
    data = _merge_data([cuc], q="Quảng Trị", search="1")
    del data["merge"]
    response = ministry.post(MERGE, data)
    form = response.context["form"]
    shown = {u.name for u in form.fields["units"].queryset}
    assert shown == {"Cục THADS tỉnh Quảng Bình", "Cục THADS tỉnh Quảng Trị"}
    assert form["units"].value() == [cuc.pk]
    assert form["name"].value() == "Thi hành án dân sự tỉnh Quảng Trị"
    assert not Unit.objects.filter(name="Thi hành án dân sự tỉnh Quảng Trị").exists()


def test_the_merge_page_can_start_from_a_unit(ministry, cuc):
    response = ministry.get(MERGE, {"units": cuc.pk})
    assert response.context["form"]["units"].value() == [cuc.pk]
    assert "tỉnh Quảng Trị (từ 01/07/2025)" in response.content.decode()


@pytest.mark.parametrize(
    ("how", "message"),
    [("one unit", "Hãy chọn ít nhất hai đơn vị để hợp nhất."), ("no date", "Hãy nhập ngày (dd/mm/yyyy).")],
)
def test_a_bad_merger_is_refused_and_changes_nothing(ministry, cuc, how, message):
    other = make_unit("Cục THADS tỉnh Quảng Trị", Unit.Kind.CUC_THADS)
    data = _merge_data([cuc]) if how == "one unit" else _merge_data([cuc, other], effective="")
    response = ministry.post(MERGE, data)
    assert message in response.content.decode()
    assert Unit.objects.filter(successor__isnull=False).count() == 0
    assert not Unit.objects.filter(name="Thi hành án dân sự tỉnh Quảng Trị").exists()


# --- leaders ------------------------------------------------------------------------------------


def test_ministry_staff_add_a_leader_linked_to_an_account(ministry, cuc, leader_user):
    data = {
        "full_name": "Mai Công Danh",
        "position": "Cục trưởng",
        "kind": Appointment.Kind.HEAD,
        "start": "01/05/2016",
        "username": leader_user.username.upper(),
    }
    assert ministry.post(add_leader(cuc), data).url == detail(cuc)
    appointment = cuc.appointments.get()
    assert (appointment.user, appointment.start, appointment.end) == (leader_user, date(2016, 5, 1), None)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "khong.ton.tai"}, "Không có tài khoản nào mang tên đăng nhập này."),
        ({"end": "01/01/2016"}, "Ngày kết thúc không được trước ngày bắt đầu."),
        ({"full_name": ""}, "Hãy nhập họ và tên lãnh đạo."),
        ({"kind": "boss"}, "Hãy chọn người đứng đầu, quyền người đứng đầu hoặc cấp phó."),
    ],
)
def test_a_bad_leader_is_refused_and_nothing_saved(ministry, cuc, overrides, message):
    UserFactory(username="someone.else")
    data = {"full_name": "Mai Công Danh", "position": "Cục trưởng", "kind": "head", "start": "01/05/2016"}
    response = ministry.post(add_leader(cuc), {**data, **overrides})
    assert message in response.content.decode()
    assert not Appointment.objects.exists()


# The rows as regions/unit_list.html wrote them with template tags, before regions.templatetags.regions_rows.
UNIT_ROWS = (Path(__file__).parent / "fixtures" / "unit_rows_before.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("query", [{}, {"year": 2018}, {"year": 2026, "active": "no"}])
def test_the_rows_written_in_python_are_the_markup_the_template_wrote(ministry, cuc, language, query):
    from django.template import engines
    from django.test.html import parse_html

    region = make_region("Khu vực thi đua <miền> Trung", effective=date(2012, 1, 1))
    services.membership_add(region=region, unit=cuc, year=2018, role=RegionMembership.Role.DEPUTY)
    services.membership_add(region=region, unit=make_unit("Sở Tư pháp tỉnh Gia Lai"), year=2018)
    closed = make_unit("Chi cục THADS huyện Cũ", Unit.Kind.CHI_CUC_THADS, parent=cuc, active_from=date(2010, 1, 1))
    closed.active_to = date(2020, 6, 30)
    closed.save()
    make_unit("Chi cục THADS huyện Mới", Unit.Kind.CHI_CUC_THADS, parent=cuc).save()
    ministry.cookies["thidua_language"] = language
    response = ministry.get(LIST, query)
    page = response.content.decode()
    written = page[page.index("<tbody>") + len("<tbody>") : page.index("</tbody>")]
    with translation.override(language):
        expected = engines["django"].from_string(UNIT_ROWS).render(response.context[0].flatten())
    assert parse_html(written) == parse_html(expected)
    assert written.count("<tr>") == len(response.context["units"]) >= 1
