"""A unit's award history: who may read it, and awards followed through renames and mergers."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from awards.services.decisions import HistoricalAward, decision_record
from awards.services.registrations import registration_create
from regions import services as region_services
from regions.models import Unit
from tests.awards.factories import GOVERNMENT_FLAG, titles
from tests.factories import UserFactory
from tests.regions.factories import make_unit

pytestmark = pytest.mark.django_db

BANG_KHEN = "bang-khen-bo-truong"


def history_url(unit: Unit) -> str:
    return reverse("awards:unit_awards", args=[unit.pk])


def _as(client, user):
    client.force_login(user)
    return client


def _award(unit: Unit, year: int, *, code: str = GOVERNMENT_FLAG, number: str = "", signed_on: date | None = None):
    return decision_record(
        number=number or f"{year}/QĐ-TTg",
        signed_on=signed_on or date(year + 1, 5, 20),
        issuer="Thủ tướng Chính phủ",
        actor=None,
        historical=[HistoricalAward(unit, titles()[code], year)],
    )


# --- access -----------------------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(client, world):
    response = client.get(history_url(world.units[0]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["ministry", "admin", "own_leader", "own_staff"])
def test_ministry_staff_administrators_and_the_units_own_people_read_it(client, world, ministry_user, admin_user, who):
    user = {"ministry": ministry_user, "admin": admin_user, "own_leader": world.leaders[0], "own_staff": world.officer}[
        who
    ]
    assert _as(client, user).get(history_url(world.units[0])).status_code == 200


@pytest.mark.parametrize("who", ["other_leader", "region_user", "leader_user", "no_role"])
def test_anyone_else_is_refused(client, world, region_user, leader_user, no_role_user, who):
    user = {
        "other_leader": world.leaders[1],
        "region_user": region_user,
        "leader_user": leader_user,
        "no_role": no_role_user,
    }[who]
    assert _as(client, user).get(history_url(world.units[0])).status_code == 403


def test_an_unknown_unit_is_not_found(client, ministry_user):
    assert _as(client, ministry_user).get(reverse("awards:unit_awards", args=[999999])).status_code == 404


def test_the_unit_page_links_to_its_award_history(client, world, ministry_user):
    body = _as(client, ministry_user).get(reverse("regions:unit_detail", args=[world.units[0].pk])).content.decode()
    assert history_url(world.units[0]) in body


# --- content ----------------------------------------------------------------------------------------


def test_it_lists_awards_newest_first_and_registrations_by_year(client, world):
    older, newer = _award(world.units[0], 2019), _award(world.units[0], 2021, code=BANG_KHEN, number="9/QĐ-BTP")
    _award(world.units[1], 2021)  # another unit's award stays off the page
    registration = registration_create(
        campaign=world.campaign,
        unit=world.units[0],
        title=world.titles[BANG_KHEN],
        actor=world.leaders[0],
        submit=True,
    )
    response = _as(client, world.leaders[0]).get(history_url(world.units[0]))
    assert [award.decision_id for award in response.context["awards"]] == [newer.pk, older.pk]
    assert [row.pk for row in response.context["registrations"]] == [registration.pk]
    row = response.context["registrations"][0]
    assert row.unit_name_that_year == world.units[0].name
    assert row.region_name_that_year == world.campaign.region.name
    body = response.content.decode()
    assert "9/QĐ-BTP" in body and "20/05/2022" in body and "Thủ tướng Chính phủ" in body
    assert world.titles[BANG_KHEN].name in body
    assert not response.context["lineage"].covers_others


def test_registrations_show_the_names_of_their_year(client, world, ministry_user):
    old_name = world.units[0].name
    registration_create(
        campaign=world.campaign, unit=world.units[0], title=world.titles[BANG_KHEN], actor=world.leaders[0]
    )
    region_services.unit_rename(
        unit=world.units[0], name="Sở Tư pháp tỉnh Tên Mới", effective=date(world.campaign.year + 1, 1, 1)
    )
    response = _as(client, ministry_user).get(history_url(world.units[0]))
    assert response.context["registrations"][0].unit_name_that_year == old_name


def test_the_page_takes_the_same_number_of_queries_for_one_award_or_five(client, world, ministry_user):
    _as(client, ministry_user)
    _award(world.units[0], 2015)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(history_url(world.units[0])).status_code == 200
        return len(queries)

    one = count()
    for year in (2016, 2017, 2018, 2019):
        _award(world.units[0], year, code=BANG_KHEN)
    assert count() == one


# --- mergers ----------------------------------------------------------------------------------------


@pytest.fixture
def dong_thap():
    """Cục THADS tỉnh Đồng Tháp, with its 2021 Government flag, merged on 01/07/2025 with Tiền Giang's."""
    old = make_unit("Cục Thi hành án dân sự tỉnh Đồng Tháp", kind=Unit.Kind.CUC_THADS, active_from=date(2009, 1, 1))
    other = make_unit("Cục Thi hành án dân sự tỉnh Tiền Giang", kind=Unit.Kind.CUC_THADS, active_from=date(2009, 1, 1))
    decision = _award(old, 2021, number="1010/QĐ-TTg", signed_on=date(2022, 6, 15))
    new = region_services.unit_merge(
        units=[old, other],
        name="Thi hành án dân sự tỉnh Đồng Tháp",
        kind=Unit.Kind.THADS_TINH,
        effective=date(2025, 7, 1),
    )
    old.refresh_from_db()
    other.refresh_from_db()
    return old, other, new, decision


def test_the_successor_lists_the_award_of_a_unit_merged_into_it_with_the_old_name(client, dong_thap, ministry_user):
    old, other, new, decision = dong_thap
    response = _as(client, ministry_user).get(history_url(new))
    assert response.status_code == 200
    awards = response.context["awards"]
    assert [(award.recipient_name, award.year, award.decision_id) for award in awards] == [
        ("Cục Thi hành án dân sự tỉnh Đồng Tháp", 2021, decision.pk)
    ]
    lineage = response.context["lineage"]
    assert {unit.pk for unit in lineage.merged_into_it} == {old.pk, other.pk}
    assert lineage.it_became == []
    body = response.content.decode()
    assert "1010/QĐ-TTg" in body and "15/06/2022" in body
    assert "Cục Thi hành án dân sự tỉnh Tiền Giang" in body
    assert titles()[GOVERNMENT_FLAG].name in body


def test_the_successors_leader_reads_the_history_and_the_old_unit_shows_what_it_became(client, dong_thap):
    old, _other, new, _decision = dong_thap
    leader = UserFactory(username="lanhdao.dongthap", unit=new, roles=[Role.LEADER])
    _as(client, leader)
    assert client.get(history_url(new)).status_code == 200
    response = client.get(history_url(old))
    assert response.status_code == 200
    assert [unit.pk for unit in response.context["lineage"].it_became] == [new.pk]
    assert len(response.context["awards"]) == 1


def test_a_leader_of_an_unrelated_unit_is_refused_the_merged_history(client, dong_thap, world):
    _old, _other, new, _decision = dong_thap
    assert _as(client, world.leaders[0]).get(history_url(new)).status_code == 403


def test_a_leaders_registrations_page_links_to_the_units_award_history(client, world):
    leader, unit = world.leaders[1], world.units[1]
    page = _as(client, leader).get(reverse("awards:my_registrations"), {"year": world.campaign.year})
    assert f'href="{history_url(unit)}"' in page.content.decode()
    assert _as(client, leader).get(history_url(unit)).status_code == 200
