"""The home page shows each person their next steps: a leader's sheets sent back (reason and link), a region
officer's sheets awaiting review and the region's open pact with its signing progress, the nation's figures
for ministry staff; in a number of queries that does not grow with the data."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from awards.services import scoring as scoring_services
from regions import services as region_services
from regions.models import RegionMembership
from tests.awards.factories import make_table
from tests.factories import UserFactory
from tests.pacts.factories import leader_signs, make_world

pytestmark = pytest.mark.django_db

HOME = reverse("home")
FULL = {"1.1": "18", "1.2": "9", "2.1": "15"}


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def scored(table, unit, leader, *, submit: bool = True):
    sheet = scoring_services.sheet_open(table=table, unit=unit)
    by_code = {entry.criterion.code: entry.criterion_id for entry in sheet.entries.select_related("criterion")}
    scores = {by_code[code]: scoring_services.SelfScore(Decimal(points)) for code, points in FULL.items()}
    scoring_services.sheet_save_self_scores(sheet=sheet, actor=leader, scores=scores)
    return scoring_services.sheet_submit(sheet=sheet, actor=leader) if submit else sheet


def block(body: str, element_id: str, end: str = "</div>") -> str:
    """The page from the element with this id up to ``end`` (its first closing tag unless told)."""
    assert f'id="{element_id}"' in body, element_id
    return body.split(f'id="{element_id}"', 1)[1].split(end, 1)[0]


# --- the leader ------------------------------------------------------------------------------------


def test_a_leader_sees_a_returned_sheet_with_its_reason_and_a_link(english):
    world = make_world(3, open_pact=False, prefix="tl")
    table = make_table(world.campaign.year)
    sheet = scored(table, world.units[1], world.leaders[1])
    scoring_services.sheet_return_to_unit(sheet=sheet, actor=world.officer, reason="Thiếu minh chứng tiêu chí 1.1.")
    scored(table, world.units[2], world.leaders[2])  # sent, not returned

    english.force_login(world.leaders[1])
    body = english.get(HOME).content.decode()
    returned = block(body, "sheets-returned")
    assert "1 score sheet was sent back by the reviewers" in returned
    assert "Thiếu minh chứng tiêu chí 1.1." in returned
    assert reverse("awards:sheet", args=[table.pk, world.units[1].pk]) in returned
    assert world.units[1].name in returned

    english.force_login(world.leaders[2])
    assert 'id="sheets-returned"' not in english.get(HOME).content.decode()
    # Sent again, it leaves the home page.
    scoring_services.sheet_submit(sheet=sheet, actor=world.leaders[1])
    english.force_login(world.leaders[1])
    assert 'id="sheets-returned"' not in english.get(HOME).content.decode()


# --- the region officer ----------------------------------------------------------------------------


def test_the_region_officer_sees_the_open_pact_its_progress_and_the_sheets_to_review(english):
    world = make_world(4, prefix="ro")
    leader_signs(world, 1)
    table = make_table(world.campaign.year)
    first = scored(table, world.units[1], world.leaders[1])
    second = scored(table, world.units[2], world.leaders[2])
    scored(table, world.units[3], world.leaders[3], submit=False)  # a draft: not the reviewers' yet
    other = make_world(2, open_pact=False, prefix="other")
    scored(table, other.units[1], other.leaders[1])  # another region's sheet

    english.force_login(world.officer)
    response = english.get(HOME)
    body = response.content.decode()
    pact = block(body, f"open-pact-{world.pact.pk}", 'id="region-sheets-awaiting"')
    assert world.pact.title in pact
    assert "1 of 4 units" in pact
    assert timezone.localtime(world.pact.deadline).strftime("%d/%m/%Y %H:%M") in pact
    assert reverse("pacts:pact_progress", args=[world.pact.pk]) in pact
    assert reverse("pacts:pact_detail", args=[world.pact.pk]) in pact
    assert 'aria-valuenow="25"' in pact

    awaiting = block(body, "region-sheets-awaiting")
    assert "2 score sheets await your review." in awaiting
    assert reverse("awards:sheet_review", args=[first.pk]) in awaiting
    assert reverse("awards:sheet_review", args=[second.pk]) in awaiting
    assert other.units[1].name not in awaiting
    assert response.context["dashboard"]["sheets_awaiting_count"] == 2

    # The other region's officer (its head unit) sees its own sheet and no open pact.
    english.force_login(other.officer)
    body = english.get(HOME).content.decode()
    assert "No pact of your region is open for signing." in body
    assert "1 score sheet awaits your review." in block(body, "region-sheets-awaiting")


def test_an_officer_of_a_member_unit_reviews_nothing_and_sees_no_pact_to_follow(english):
    world = make_world(3, prefix="mem")
    table = make_table(world.campaign.year)
    scored(table, world.units[1], world.leaders[1])
    member_officer = UserFactory(username="canbo.thanhvien", unit=world.units[2], roles=[Role.REGION])
    english.force_login(member_officer)
    body = english.get(HOME).content.decode()
    assert f'id="open-pact-{world.pact.pk}"' not in body
    assert "No score sheet awaits your review." in body


def test_an_executed_pact_leaves_the_officers_home(english):
    world = make_world(2, prefix="closed")
    english.force_login(world.officer)
    assert f'id="open-pact-{world.pact.pk}"' in english.get(HOME).content.decode()
    for n in range(2):
        leader_signs(world, n)
    world.pact.refresh_from_db()
    assert world.pact.status == world.pact.Status.EXECUTED
    assert f'id="open-pact-{world.pact.pk}"' not in english.get(HOME).content.decode()


# --- ministry staff --------------------------------------------------------------------------------


def test_ministry_staff_see_the_nations_open_pacts_and_what_awaits_review(english, ministry_user):
    world = make_world(4, prefix="nat")
    leader_signs(world, 0)
    leader_signs(world, 2)
    table = make_table(world.campaign.year)
    scored(table, world.units[1], world.leaders[1])
    english.force_login(ministry_user)
    body = english.get(HOME).content.decode()
    national = block(body, "national-next-steps")
    assert "1 pact open for signing" in national
    assert "2 of 4 units" in national
    assert "(50%)" in national
    assert reverse("pacts:national_progress_now") in national
    assert "1 score sheet sent for review and not yet closed" in national
    assert "0 award registrations await their regions" in national


# --- queries ---------------------------------------------------------------------------------------


def _same_queries(client, user, grow) -> None:
    client.force_login(user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(HOME).status_code == 200
    grow()
    with CaptureQueriesContext(connection) as many:
        assert client.get(HOME).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_officers_home_reads_a_fixed_number_of_queries(client):
    world = make_world(6, prefix="q")
    table = make_table(world.campaign.year)
    leader_signs(world, 1)
    scored(table, world.units[1], world.leaders[1])

    def grow():
        for n in (2, 3, 4):
            leader_signs(world, n)
            scored(table, world.units[n], world.leaders[n])

    _same_queries(client, world.officer, grow)


def test_the_leaders_home_reads_a_fixed_number_of_queries(client):
    world = make_world(3, open_pact=False, prefix="ql")
    year = world.campaign.year
    table = make_table(year)
    sheet = scored(table, world.units[1], world.leaders[1])
    scoring_services.sheet_return_to_unit(sheet=sheet, actor=world.officer, reason="Bổ sung minh chứng.")

    def grow():
        region = world.campaign.region
        region_services.membership_add(
            region=region, unit=world.units[0], year=year + 1, role=RegionMembership.Role.HEAD
        )
        region_services.membership_add(
            region=region, unit=world.units[1], year=year + 1, role=RegionMembership.Role.MEMBER
        )
        later = scored(make_table(year + 1), world.units[1], world.leaders[1])
        scoring_services.sheet_return_to_unit(sheet=later, actor=world.officer, reason="Sửa điểm tiêu chí 2.1.")

    _same_queries(client, world.leaders[1], grow)
    assert RegionMembership.objects.filter(unit=world.units[1]).count() == 2


def test_the_ministry_home_reads_a_fixed_number_of_queries(client, ministry_user):
    world = make_world(5, prefix="qm")
    table = make_table(world.campaign.year)
    scored(table, world.units[1], world.leaders[1])

    def grow():
        other = make_world(3, prefix="qm2")
        for n in (2, 3):
            leader_signs(world, n)
            scored(table, world.units[n], world.leaders[n])
        leader_signs(other, 1)

    _same_queries(client, ministry_user, grow)
