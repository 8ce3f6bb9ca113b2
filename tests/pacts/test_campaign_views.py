"""The campaign pages: list, create, detail, edit, phases, targets, launch and close, for each role."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from pacts import services
from pacts.models import AuditEvent, Campaign, Movement
from regions import services as region_services
from regions.models import RegionMembership, Unit
from tests.factories import UserFactory
from tests.pacts.factories import make_world
from tests.regions.factories import make_region, make_unit

pytestmark = pytest.mark.django_db

LIST = reverse("pacts:campaign_list")
CREATE = reverse("pacts:campaign_create")


def url(name: str, campaign: Campaign) -> str:
    return reverse(f"pacts:campaign_{name}", args=[campaign.pk])


@pytest.fixture(autouse=True)
def movements_of_2018() -> None:
    """The movements of the data migration, which the flush after a transactional (browser) test removes."""
    if not Movement.objects.exists():
        migration = importlib.import_module("pacts.migrations.0002_movements_and_evidence_guards")
        migration.load_movements(apps, None)


@pytest.fixture
def world():
    return make_world(3, open_pact=False)


@pytest.fixture
def other_world():
    """Another region of the same year, with its own leaders and campaign."""
    return make_world(2, open_pact=False, prefix="khac")


@pytest.fixture
def member_officer(world):
    """A region officer whose unit is a member, not the head, of the region."""
    return UserFactory(
        username="canbo.thanhvien", full_name="Phan Thị Thành Viên", unit=world.units[1], roles=[Role.REGION]
    )


def _as(client, user):
    client.force_login(user)
    return client


def _next_year_roster(world) -> int:
    """Puts the world's units in next year's roster (same head), where no campaign exists yet."""
    year = world.campaign.year + 1
    for n, unit in enumerate(world.units):
        role = RegionMembership.Role.HEAD if n == 0 else RegionMembership.Role.MEMBER
        region_services.membership_add(region=world.campaign.region, unit=unit, year=year, role=role)
    return year


def _campaign_data(**overrides) -> dict:
    data = {
        "title": "Kế hoạch phát động phong trào thi đua năm sau",
        "theme": "Đoàn kết, kỷ cương, hành động, sáng tạo",
        "movements": [m.pk for m in Movement.objects.order_by("id")[:2]],
        "conference_date": "19/03/2018",
        "conference_place": "TP. Đồng Hới",
        "conference_host": "",
        "conference_guests": "Lãnh đạo Bộ Tư pháp",
    }
    return data | overrides


def _query_count(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["list", "create", "detail", "edit", "phases", "targets"])
def test_every_campaign_page_sends_visitors_to_log_in(client, world, name):
    address = {"list": LIST, "create": CREATE}.get(name) or url(name, world.campaign)
    response = client.get(address)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["list", "create", "detail", "edit", "phases", "targets"])
def test_an_account_without_a_role_is_refused_everywhere(client, world, no_role_user, name):
    address = {"list": LIST, "create": CREATE}.get(name) or url(name, world.campaign)
    assert _as(client, no_role_user).get(address).status_code == 403


@pytest.mark.parametrize("name", ["detail", "edit", "phases", "targets"])
def test_a_leader_of_another_region_is_refused(client, world, other_world, name):
    assert _as(client, other_world.leaders[0]).get(url(name, world.campaign)).status_code == 403


@pytest.mark.parametrize("name", ["edit", "phases", "targets"])
def test_members_who_do_not_head_the_region_may_only_read(client, world, member_officer, name):
    assert _as(client, member_officer).get(url(name, world.campaign)).status_code == 403
    assert _as(client, world.leaders[1]).get(url(name, world.campaign)).status_code == 403
    assert client.get(url("detail", world.campaign)).status_code == 200


@pytest.mark.parametrize("name", ["detail", "edit", "phases", "targets"])
def test_an_unknown_campaign_is_not_found(client, ministry_user, name):
    assert _as(client, ministry_user).get(reverse(f"pacts:campaign_{name}", args=[999999])).status_code == 404


# --- list -----------------------------------------------------------------------------------------


def test_ministry_staff_see_every_campaign_with_its_pacts(client, world, other_world, ministry_user):
    body = _as(client, ministry_user).get(LIST).content.decode()
    assert world.campaign.region.name in body
    assert other_world.campaign.region.name in body
    assert reverse("pacts:pact_detail", args=[world.pact.pk]) in body
    assert "Dự thảo" in body


def test_a_region_officer_and_a_leader_see_only_their_region(client, world, other_world, member_officer):
    for user in (world.officer, member_officer, world.leaders[2]):
        body = _as(client, user).get(LIST).content.decode()
        assert url("detail", world.campaign) in body
        assert url("detail", other_world.campaign) not in body


def test_the_list_filters_by_region_and_year(client, world, other_world, ministry_user):
    _as(client, ministry_user)
    body = client.get(LIST, {"region": other_world.campaign.region.pk}).content.decode()
    assert url("detail", other_world.campaign) in body
    assert url("detail", world.campaign) not in body
    body = client.get(LIST, {"year": 2001}).content.decode()
    assert "Không có kế hoạch thi đua nào" in body


def test_the_list_shows_the_region_name_of_the_campaign_year(client, ministry_user):
    region = make_region("Cụm thi đua cũ", effective=date(2012, 1, 1))
    unit = make_unit("Sở Tư pháp tỉnh Cũ")
    region_services.membership_add(region=region, unit=unit, year=2018, role=RegionMembership.Role.HEAD)
    services.campaign_create(region=region, year=2018, title="Kế hoạch 2018", actor=ministry_user)
    region_services.region_rename(region=region, name="Cụm thi đua mới", effective=date(2025, 7, 1))
    body = _as(client, ministry_user).get(LIST).content.decode()
    assert "<td>Cụm thi đua cũ</td>" in body
    assert "<td>Cụm thi đua mới</td>" not in body


def test_the_list_issues_as_many_queries_for_twenty_campaigns_as_for_one(client, ministry_user):
    region = make_region("Khu vực nhiều năm", effective=date(2000, 1, 1))
    unit = make_unit("Sở Tư pháp tỉnh Nhiều Năm", active_from=date(2000, 1, 1))

    def add_campaign(year: int) -> None:
        region_services.membership_add(region=region, unit=unit, year=year, role=RegionMembership.Role.HEAD)
        campaign = services.campaign_create(region=region, year=year, title=f"Kế hoạch {year}", actor=ministry_user)
        services.pact_create(campaign=campaign, actor=ministry_user, block="Khối A")
        services.pact_create(campaign=campaign, actor=ministry_user, block="Khối B")

    add_campaign(2001)
    _as(client, ministry_user)
    one = _query_count(client, LIST)
    for year in range(2002, 2021):
        add_campaign(year)
    assert Campaign.objects.count() == 20
    assert _query_count(client, LIST) == one


# --- create ---------------------------------------------------------------------------------------


def test_the_head_units_officer_creates_a_campaign_in_two_steps(client, world):
    year = _next_year_roster(world)
    _as(client, world.officer)
    step_one = client.get(CREATE)
    assert step_one.status_code == 200
    assert "Bước 1" in step_one.content.decode()
    query = f"?region={world.campaign.region.pk}&year={year}"
    step_two = client.get(CREATE + query)
    assert step_two.status_code == 200
    body = step_two.content.decode()
    assert f'value="{world.units[1].pk}"' in body  # the host unit is chosen among that year's members
    response = client.post(CREATE + query, _campaign_data(conference_host=world.units[1].pk))
    campaign = Campaign.objects.get(region=world.campaign.region, year=year)
    assert response.status_code == 302
    assert response.url == url("detail", campaign)
    assert campaign.conference_host == world.units[1]
    assert campaign.conference_date == date(2018, 3, 19)
    assert campaign.movements.count() == 2
    assert campaign.phases.count() == 2
    assert AuditEvent.objects.filter(campaign=campaign, action="created", actor=world.officer).exists()


def test_ministry_staff_create_a_campaign_for_any_region(client, world, ministry_user):
    year = _next_year_roster(world)
    query = f"?region={world.campaign.region.pk}&year={year}"
    response = _as(client, ministry_user).post(CREATE + query, _campaign_data())
    assert response.status_code == 302
    assert Campaign.objects.filter(region=world.campaign.region, year=year).exists()


def test_the_five_movements_of_2018_are_offered(client, world, ministry_user):
    query = f"?region={world.campaign.region.pk}&year={_next_year_roster(world)}"
    body = _as(client, ministry_user).get(CREATE + query).content.decode()
    assert Movement.objects.count() == 5
    for movement in Movement.objects.all():
        assert f'value="{movement.pk}"' in body


def test_an_officer_of_a_member_unit_cannot_create_the_regions_campaign(client, world, member_officer):
    year = _next_year_roster(world)
    query = f"?region={world.campaign.region.pk}&year={year}"
    response = _as(client, member_officer).post(CREATE + query, _campaign_data())
    assert response.status_code == 200
    assert "Đơn vị của đồng chí không phải là đơn vị trưởng khu vực nào" in response.content.decode()
    assert not Campaign.objects.filter(year=year).exists()


def test_an_officer_is_told_when_their_unit_does_not_head_the_region_that_year(client, world):
    year = _next_year_roster(world)
    _as(client, world.officer)
    body = client.get(CREATE, {"region": world.campaign.region.pk, "year": year + 1}).content.decode()
    assert "không phải là đơn vị trưởng khu vực" in body
    assert not Campaign.objects.filter(year=year + 1).exists()


def test_a_leader_cannot_create_campaigns(client, world):
    assert _as(client, world.leaders[1]).get(CREATE).status_code == 403


def test_a_second_campaign_for_the_same_region_and_year_is_refused(client, world, ministry_user):
    query = f"?region={world.campaign.region.pk}&year={world.campaign.year}"
    response = _as(client, ministry_user).post(CREATE + query, _campaign_data())
    assert response.status_code == 200
    assert f"Khu vực đã có kế hoạch thi đua năm {world.campaign.year}" in response.content.decode()
    assert Campaign.objects.filter(region=world.campaign.region).count() == 1


def test_an_empty_title_is_refused(client, world, ministry_user):
    year = _next_year_roster(world)
    query = f"?region={world.campaign.region.pk}&year={year}"
    response = _as(client, ministry_user).post(CREATE + query, _campaign_data(title="  "))
    assert "Hãy nhập tiêu đề kế hoạch thi đua." in response.content.decode()
    assert not Campaign.objects.filter(year=year).exists()


def test_a_host_unit_outside_the_region_is_refused(client, world, other_world, ministry_user):
    year = _next_year_roster(world)
    query = f"?region={world.campaign.region.pk}&year={year}"
    data = _campaign_data(conference_host=other_world.units[0].pk)
    response = _as(client, ministry_user).post(CREATE + query, data)
    assert response.status_code == 200
    assert not Campaign.objects.filter(year=year).exists()


def test_a_region_without_a_roster_that_year_is_refused(client, world, ministry_user):
    query = f"?region={world.campaign.region.pk}&year=2005"
    response = _as(client, ministry_user).post(CREATE + query, _campaign_data())
    assert "Khu vực chưa có danh sách thành viên năm 2005" in response.content.decode()
    assert not Campaign.objects.filter(year=2005).exists()


# --- detail -----------------------------------------------------------------------------------------


def test_every_member_reads_the_campaign_with_phases_targets_and_pacts(
    client, world, member_officer, ministry_user, admin_user
):
    services.campaign_set_targets(
        campaign=world.campaign,
        targets=[("100% hồ sơ đúng hạn", ""), ("Thi hành xong 75% số việc", Unit.Kind.CUC_THADS)],
        actor=world.officer,
    )
    for user in (ministry_user, admin_user, world.officer, member_officer, world.leaders[2]):
        response = _as(client, user).get(url("detail", world.campaign))
        assert response.status_code == 200
        body = response.content.decode()
        assert world.campaign.title in body
        assert "Đợt 1" in body and "30/06/" in body
        assert "Thi hành xong 75% số việc" in body
        assert reverse("pacts:pact_detail", args=[world.pact.pk]) in body


def test_only_those_who_manage_see_the_editing_buttons(client, world, member_officer):
    assert url("edit", world.campaign) in _as(client, world.officer).get(url("detail", world.campaign)).content.decode()
    body = _as(client, member_officer).get(url("detail", world.campaign)).content.decode()
    assert url("edit", world.campaign) not in body
    assert url("launch", world.campaign) not in body


# --- edit -----------------------------------------------------------------------------------------


def test_the_head_units_officer_edits_the_campaign(client, world):
    data = _campaign_data(title="Kế hoạch đã sửa", conference_host=world.units[2].pk)
    response = _as(client, world.officer).post(url("edit", world.campaign), data)
    assert response.status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.title == "Kế hoạch đã sửa"
    assert world.campaign.conference_host == world.units[2]
    assert world.campaign.movements.count() == 2


def test_an_edit_without_a_title_changes_nothing(client, world, ministry_user):
    before = world.campaign.title
    response = _as(client, ministry_user).post(url("edit", world.campaign), _campaign_data(title=""))
    assert response.status_code == 200
    assert "Hãy nhập tiêu đề kế hoạch thi đua." in response.content.decode()
    world.campaign.refresh_from_db()
    assert world.campaign.title == before


def test_a_badly_typed_conference_date_changes_nothing(client, world, ministry_user):
    response = _as(client, ministry_user).post(
        url("edit", world.campaign), _campaign_data(conference_date="32/13/2018")
    )
    assert "dd/mm/yyyy" in response.content.decode()
    world.campaign.refresh_from_db()
    assert world.campaign.conference_date != date(2018, 3, 19)


# --- phases ---------------------------------------------------------------------------------------


def _phase_data(rows: list[tuple], extra_blank: bool = True) -> dict:
    data = {"phases-TOTAL_FORMS": len(rows) + extra_blank, "phases-INITIAL_FORMS": 0}
    for n, (name, start, end, kinds) in enumerate(rows):
        data |= {f"phases-{n}-name": name, f"phases-{n}-start": start, f"phases-{n}-end": end}
        data[f"phases-{n}-unit_kinds"] = kinds
    return data


def test_an_enforcement_phase_from_october_to_september_can_be_added(client, world):
    year = world.campaign.year
    rows = [
        ("Đợt 1", f"01/01/{year}", f"30/06/{year}", []),
        ("Đợt 2", f"01/07/{year}", f"31/12/{year}", []),
        ("Năm công tác THADS", f"01/10/{year - 1}", f"30/09/{year}", [Unit.Kind.CUC_THADS, Unit.Kind.CHI_CUC_THADS]),
    ]
    _as(client, world.officer)
    assert client.get(url("phases", world.campaign)).status_code == 200
    response = client.post(url("phases", world.campaign), _phase_data(rows))
    assert response.status_code == 302
    phases = list(world.campaign.phases.order_by("number"))
    assert [p.name for p in phases] == ["Đợt 1", "Đợt 2", "Năm công tác THADS"]
    assert phases[2].start == date(year - 1, 10, 1)
    assert phases[2].unit_kinds == ["cuc_thads", "chi_cuc_thads"]


def test_a_phase_ending_before_it_starts_changes_nothing(client, world, ministry_user):
    before = list(world.campaign.phases.values_list("name", "start", "end"))
    rows = [("Đợt 1", "30/06/2018", "01/01/2018", [])]
    response = _as(client, ministry_user).post(url("phases", world.campaign), _phase_data(rows))
    assert response.status_code == 200
    assert "Đợt thi đua kết thúc trước khi bắt đầu" in response.content.decode()
    assert list(world.campaign.phases.values_list("name", "start", "end")) == before


def test_every_phase_cannot_be_removed(client, world, ministry_user):
    response = _as(client, ministry_user).post(url("phases", world.campaign), _phase_data([]))
    assert "Hãy giữ ít nhất một đợt thi đua." in response.content.decode()
    assert world.campaign.phases.count() == 2


def test_a_phase_ticked_for_deletion_is_removed(client, world):
    year = world.campaign.year
    data = _phase_data(
        [("Đợt 1", f"01/01/{year}", f"30/06/{year}", []), ("Đợt 2", f"01/07/{year}", f"31/12/{year}", [])]
    )
    data |= {"phases-INITIAL_FORMS": 2, "phases-1-DELETE": "on"}
    assert _as(client, world.officer).post(url("phases", world.campaign), data).status_code == 302
    assert list(world.campaign.phases.values_list("name", flat=True)) == ["Đợt 1"]


# --- targets --------------------------------------------------------------------------------------


def test_targets_are_saved_by_kind_of_unit(client, world):
    data = {
        "targets-TOTAL_FORMS": 3,
        "targets-INITIAL_FORMS": 0,
        "targets-0-text": "Giải quyết 100% yêu cầu lý lịch tư pháp đúng hạn",
        "targets-0-unit_kind": Unit.Kind.SO_TU_PHAP,
        "targets-1-text": "Thi hành xong trên 75% số việc có điều kiện",
        "targets-1-unit_kind": Unit.Kind.CUC_THADS,
        "targets-2-text": "",
        "targets-2-unit_kind": "",
    }
    _as(client, world.officer)
    assert client.get(url("targets", world.campaign)).status_code == 200
    assert client.post(url("targets", world.campaign), data).status_code == 302
    assert list(world.campaign.targets.values_list("number", "unit_kind")) == [(1, "so_tu_phap"), (2, "cuc_thads")]


def test_a_target_with_a_kind_but_no_text_changes_nothing(client, world, ministry_user):
    data = {"targets-TOTAL_FORMS": 1, "targets-INITIAL_FORMS": 0, "targets-0-unit_kind": Unit.Kind.CUC_THADS}
    response = _as(client, ministry_user).post(url("targets", world.campaign), data)
    assert response.status_code == 200
    assert "Hãy nhập nội dung chỉ tiêu." in response.content.decode()
    assert not world.campaign.targets.exists()


# --- launch and close -------------------------------------------------------------------------------


def test_a_campaign_is_launched_then_closed(client, world):
    _as(client, world.officer)
    assert client.post(url("launch", world.campaign)).status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.status == Campaign.Status.LAUNCHED
    assert client.post(url("close", world.campaign)).status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.status == Campaign.Status.CLOSED


def test_a_draft_campaign_cannot_be_closed(client, world, ministry_user):
    response = _as(client, ministry_user).post(url("close", world.campaign), follow=True)
    assert "Chỉ phát động được kế hoạch dự thảo" in response.content.decode()
    world.campaign.refresh_from_db()
    assert world.campaign.status == Campaign.Status.DRAFT


@pytest.mark.parametrize("name", ["launch", "close"])
def test_the_status_actions_reject_get(client, world, ministry_user, name):
    assert _as(client, ministry_user).get(url(name, world.campaign)).status_code == 405


@pytest.mark.parametrize("name", ["launch", "close"])
def test_only_those_who_manage_change_the_status(client, world, member_officer, other_world, name):
    for user in (member_officer, world.leaders[1], other_world.officer):
        assert _as(client, user).post(url(name, world.campaign)).status_code == 403
    world.campaign.refresh_from_db()
    assert world.campaign.status == Campaign.Status.DRAFT
