"""No dead ends: a person who cannot sign a pact (or, as a region officer, draft and open it) is told why and
whom to ask, on the pages they reach: the home page, "pacts to sign", the pact page and the signing page."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.models import Role
from pacts import selectors, services
from pacts.models import Pact
from pacts.selectors import ObstacleCode
from regions.models import Appointment
from tests.factories import UserFactory
from tests.pacts.factories import leader_signs, login, make_world
from tests.regions.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world(3)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def new_leader(world, username: str = "lanhdaomoi", unit_index: int = 1):
    """A new account with the leader role and its unit, but no appointment (the issue's dead end)."""
    return UserFactory(username=username, full_name="Phạm Thị Mới", unit=world.units[unit_index], roles=[Role.LEADER])


def obstacle_of(user, pact, **kwargs):
    with translation.override("en"):
        return selectors.signing_obstacle(user, pact, timezone.localdate(), **kwargs)


# ---------------------------------------------------------------------------------------------
# The reasons, one by one (selectors.signing_obstacle)
# ---------------------------------------------------------------------------------------------


def test_a_leader_who_may_sign_meets_no_obstacle(world):
    assert obstacle_of(world.leaders[1], world.pact) is None
    assert obstacle_of(world.leaders[1], world.pact, unit=world.units[1]) is None


def test_no_appointment_on_the_day_names_the_region_officer_and_the_unit_page(world):
    found = obstacle_of(new_leader(world), world.pact)
    assert found.code == ObstacleCode.NO_APPOINTMENT
    assert "Sở Tư pháp tỉnh Thử 1" in found.message
    assert timezone.localdate().strftime("%d/%m/%Y") in found.message
    assert "Lê Hoàng Nam" in found.ask  # the region officer of the head unit (tests/pacts/factories.py)
    assert "ministry staff" in found.ask and "unit's page" in found.ask
    assert list(found.contacts) == [world.officer]


def test_a_former_leader_has_no_appointment_on_the_day(world):
    Appointment.objects.filter(user=world.leaders[1]).update(end=timezone.localdate() - timedelta(days=1))
    assert obstacle_of(world.leaders[1], world.pact).code == ObstacleCode.NO_APPOINTMENT


def test_without_a_region_officer_only_ministry_staff_are_named(world):
    world.officer.is_active = False
    world.officer.save()
    found = obstacle_of(new_leader(world), world.pact)
    assert found.code == ObstacleCode.NO_APPOINTMENT
    assert found.ask.startswith("Ask ministry staff") and not found.contacts


def test_a_unit_that_is_not_a_party(world):
    outsider_unit = make_unit("Sở Tư pháp tỉnh Ngoài Cuộc", active_from=date(2000, 1, 1))
    outsider = UserFactory(username="ngoaicuoc", full_name="Đỗ Văn Ngoài", unit=outsider_unit, roles=[Role.LEADER])
    found = obstacle_of(outsider, world.pact)
    assert found.code == ObstacleCode.NOT_PARTY
    assert "Sở Tư pháp tỉnh Ngoài Cuộc" in found.message
    assert "Lê Hoàng Nam" in found.ask and "new version" in found.ask
    assert obstacle_of(world.leaders[1], world.pact, unit=outsider_unit).code == ObstacleCode.NOT_PARTY


def test_an_account_without_a_unit(world):
    nobody = UserFactory(username="khongdonvi", full_name="Vũ Văn Trống", unit=None, roles=[Role.LEADER])
    found = obstacle_of(nobody, world.pact)
    assert found.code == ObstacleCode.NO_UNIT
    assert "not linked to any unit" in found.message and "ministry staff" in found.ask


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("draft", ObstacleCode.DRAFT),
        ("withdrawn", ObstacleCode.WITHDRAWN),
        ("deadline", ObstacleCode.DEADLINE_PASSED),
    ],
)
def test_a_pact_that_is_not_open(world, change, code):
    if change == "draft":
        pact = make_world(3, open_pact=False, prefix="b").pact
        leader = pact.signatories.order_by("order")[1].unit.users.get()
    elif change == "withdrawn":
        services.pact_withdraw(pact=world.pact, reason="Sai số liệu chỉ tiêu.", actor=world.officer)
        pact, leader = Pact.objects.get(pk=world.pact.pk), world.leaders[1]
    else:
        Pact.objects.filter(pk=world.pact.pk).update(deadline=timezone.now() - timedelta(hours=1))
        pact, leader = Pact.objects.get(pk=world.pact.pk), world.leaders[1]
    found = obstacle_of(leader, pact)
    assert found.code == code
    if change == "deadline":
        assert "has passed" in found.message and "new deadline" in found.ask


def test_an_executed_pact_and_a_unit_that_has_signed(world):
    leader_signs(world, 1)
    found = obstacle_of(world.leaders[1], world.pact)
    assert found.code == ObstacleCode.SIGNED and "Sở Tư pháp tỉnh Thử 1" in found.message
    leader_signs(world, 0)
    leader_signs(world, 2)
    world.pact.refresh_from_db()
    assert obstacle_of(world.leaders[1], world.pact).code == ObstacleCode.EXECUTED


def test_the_obstacle_agrees_with_the_service(world):
    """Whenever the service refuses a signature, the page has a reason to give; when it accepts, none."""
    newcomer = new_leader(world)
    for user in (newcomer, world.leaders[0], world.leaders[1], world.leaders[2]):
        for unit in world.units:
            try:
                services.pact_sign_check(pact=world.pact, unit=unit, user=user, consent=True, now=timezone.now())
            except services.PactError:
                assert obstacle_of(user, world.pact, unit=unit) is not None
            else:
                assert obstacle_of(user, world.pact, unit=unit) is None


# ---------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------


def test_pacts_to_sign_tells_a_leader_without_appointment_why_and_whom_to_ask(client, world):
    newcomer = new_leader(world)
    client.force_login(newcomer)
    page = page_of(english(client), reverse("pacts:my_pacts"))
    assert 'id="nothing-to-sign"' in page
    assert 'data-obstacle="no_appointment"' in page
    assert reverse("pacts:pact_detail", args=[world.pact.pk]) in page
    assert "Lê Hoàng Nam" in page and f"mailto:{world.officer.email}" in page
    assert "add your appointment" in page


def test_pacts_to_sign_without_an_open_pact_still_says_the_appointment_is_missing(client):
    draft_world = make_world(2, open_pact=False, prefix="c")
    newcomer = UserFactory(username="moi2", full_name="Hồ Văn Hai", unit=draft_world.units[1], roles=[Role.LEADER])
    client.force_login(newcomer)
    page = page_of(english(client), reverse("pacts:my_pacts"))
    assert 'data-obstacle="no_appointment"' in page and "Lê Hoàng Nam" in page


def test_a_leader_who_may_sign_is_told_nothing_more(client, world):
    client.force_login(world.leaders[1])
    page = page_of(client, reverse("pacts:my_pacts"))
    assert "data-obstacle" not in page
    assert "data-obstacle" not in page_of(client, reverse("pacts:pact_detail", args=[world.pact.pk]))


def test_an_account_without_a_unit_is_told_on_pacts_to_sign_and_home(client, world):
    nobody = UserFactory(username="khongdonvi", full_name="Vũ Văn Trống", unit=None, roles=[Role.LEADER])
    client.force_login(nobody)
    english(client)
    assert 'data-obstacle="no_unit"' in page_of(client, reverse("pacts:my_pacts"))
    assert 'data-obstacle="no_unit"' in page_of(client, reverse("home"))


def test_the_home_page_tells_a_leader_without_appointment(client, world):
    client.force_login(new_leader(world))
    page = page_of(english(client), reverse("home"))
    assert 'data-obstacle="no_appointment"' in page and "Lê Hoàng Nam" in page


def test_the_pact_page_tells_a_leader_without_appointment(client, world):
    client.force_login(new_leader(world))
    page = page_of(english(client), reverse("pacts:pact_detail", args=[world.pact.pk]))
    assert 'data-obstacle="no_appointment"' in page
    assert reverse("pacts:pact_sign", args=[world.pact.pk, world.units[1].pk]) not in page


def test_the_pact_page_tells_a_leader_the_deadline_has_passed(client, world):
    Pact.objects.filter(pk=world.pact.pk).update(deadline=timezone.now() - timedelta(hours=1))
    client.force_login(world.leaders[1])
    page = page_of(english(client), reverse("pacts:pact_detail", args=[world.pact.pk]))
    assert 'data-obstacle="deadline_passed"' in page


def test_ministry_staff_are_not_told_they_cannot_sign(client, world, ministry_user):
    client.force_login(ministry_user)
    assert "data-obstacle" not in page_of(client, reverse("pacts:pact_detail", args=[world.pact.pk]))


def test_the_signing_page_says_whom_to_ask(client, world):
    newcomer = new_leader(world)
    login(client, newcomer)
    response = english(client).get(reverse("pacts:pact_sign", args=[world.pact.pk, world.units[1].pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert 'id="sign-refusal"' in page
    assert 'data-obstacle="no_appointment"' in page and "Lê Hoàng Nam" in page
    assert 'name="consent"' not in page


def test_the_signing_page_of_a_signed_unit_asks_nobody(client, world):
    leader_signs(world, 1)
    login(client, world.leaders[1])
    response = client.get(reverse("pacts:pact_sign", args=[world.pact.pk, world.units[1].pk]))
    assert response.status_code == 409
    assert "data-obstacle" not in response.content.decode()


def test_the_signing_page_of_another_region_stays_hidden(client, world):
    other = make_world(2, prefix="d")
    login(client, new_leader(world))
    response = client.get(reverse("pacts:pact_sign", args=[other.pact.pk, world.units[1].pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# A region officer whose account is not linked to the region's head unit
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def stray_officer(world):
    """A region officer of a member unit (not the head unit) of the world's region."""
    return UserFactory(username="canbolac", full_name="Trịnh Văn Lạc", unit=world.units[2], roles=[Role.REGION])


def test_drafting_obstacle_names_the_head_unit(world, stray_officer):
    with translation.override("en"):
        found = selectors.drafting_obstacle(stray_officer, campaign=world.campaign)
    assert found.code == ObstacleCode.NOT_HEAD_UNIT
    assert "Sở Tư pháp tỉnh Thử 2" in found.message and "Sở Tư pháp tỉnh Thử 0" in found.message
    assert "ministry staff" in found.ask
    assert selectors.drafting_obstacle(world.officer, campaign=world.campaign) is None
    assert selectors.drafting_obstacle(world.leaders[1], campaign=world.campaign) is None


def test_a_region_officer_of_a_unit_that_ceased(world):
    old_unit = make_unit("Sở Tư pháp tỉnh Cũ", active_from=date(2000, 1, 1), active_to=date(2020, 6, 30))
    officer = UserFactory(username="canbocu", full_name="Mạc Văn Cũ", unit=old_unit, roles=[Role.REGION])
    with translation.override("en"):
        found = selectors.drafting_obstacle(officer, year=timezone.localdate().year)
    assert found.code == ObstacleCode.NOT_HEAD_UNIT
    assert "heads no region" in found.message and "30/06/2020" in found.message


def test_a_region_officer_without_a_unit(client, world):
    officer = UserFactory(username="canbotrong", full_name="Lý Văn Trống", unit=None, roles=[Role.REGION])
    with translation.override("en"):
        assert selectors.drafting_obstacle(officer, year=2025).code == ObstacleCode.NO_UNIT
    client.force_login(officer)
    english(client)
    assert 'data-obstacle="no_unit"' in page_of(client, reverse("pacts:campaign_create"))
    assert 'data-obstacle="no_unit"' in page_of(client, reverse("pacts:campaign_list"))
    assert 'data-obstacle="no_unit"' in page_of(client, reverse("home"))


def test_the_pages_of_a_stray_region_officer_say_why(client, world, stray_officer):
    client.force_login(stray_officer)
    english(client)
    for url in (
        reverse("pacts:campaign_detail", args=[world.campaign.pk]),
        reverse("pacts:pact_detail", args=[world.pact.pk]),
        reverse("pacts:campaign_create"),
        reverse("pacts:campaign_list"),
        reverse("home"),
    ):
        page = page_of(client, url)
        assert 'data-obstacle="not_head_unit"' in page, url
        assert escape("ask ministry staff to link your account") in page, url
    # Still no way in: the pages that manage the campaign stay closed.
    assert client.get(reverse("pacts:campaign_edit", args=[world.campaign.pk])).status_code == 403


def test_the_head_units_officer_is_told_nothing(client, world):
    client.force_login(world.officer)
    for url in (
        reverse("pacts:campaign_detail", args=[world.campaign.pk]),
        reverse("pacts:pact_detail", args=[world.pact.pk]),
        reverse("pacts:campaign_create"),
        reverse("pacts:campaign_list"),
        reverse("home"),
    ):
        assert "data-obstacle" not in page_of(client, url), url
