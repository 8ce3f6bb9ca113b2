"""'Signing progress' in the region officer's menu: it leads to the progress of their region's campaign."""

from datetime import date

import pytest
from django.urls import reverse

from pacts import services as pact_services
from regions import services as region_services
from regions.models import Appointment, RegionMembership
from tests.pacts.factories import make_world

pytestmark = pytest.mark.django_db

PROGRESS = reverse("signing_progress")
HOME = reverse("home")


def menu(client) -> str:
    body = client.get(HOME).content.decode()
    return body.split("<nav", 1)[1].split("</nav>", 1)[0]


def test_visitors_are_sent_to_log_in(client):
    response = client.get(PROGRESS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_region_officer_has_it_in_the_menu_and_it_leads_to_the_campaigns_progress(client):
    world = make_world(3, prefix="menu")
    client.force_login(world.officer)
    nav = menu(client)
    assert f'href="{PROGRESS}"' in nav
    assert reverse("pacts:national_progress_now") not in nav
    response = client.get(PROGRESS)
    assert response.status_code == 302
    assert response.url == reverse("pacts:campaign_progress", args=[world.campaign.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert reverse("pacts:pact_progress", args=[world.pact.pk]) in page.content.decode()


def test_the_newest_year_is_chosen_and_two_campaigns_that_year_lead_to_the_years_list(client):
    world = make_world(2, prefix="years")
    year = world.campaign.year
    region = world.campaign.region
    region_services.membership_add(region=region, unit=world.units[0], year=year - 1, role=RegionMembership.Role.HEAD)
    pact_services.campaign_create(region=region, year=year - 1, title="Kế hoạch năm trước", actor=world.officer)
    client.force_login(world.officer)
    assert client.get(PROGRESS).url == reverse("pacts:campaign_progress", args=[world.campaign.pk])

    # The officer also acts for a unit of another region (a deputy's appointment there): two campaigns that year.
    other = make_world(2, prefix="second")
    region_services.appointment_start(
        unit=other.units[1],
        full_name=world.officer.full_name,
        position="Phó Giám đốc",
        start=date(2016, 1, 1),
        kind=Appointment.Kind.DEPUTY,
        user=world.officer,
    )
    assert client.get(PROGRESS).url == f"{reverse('pacts:campaign_list')}?year={year}"


def test_an_officer_without_a_campaign_is_told_so(client, region_user, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(region_user)
    response = client.get(PROGRESS, follow=True)
    assert response.redirect_chain[0][0] == reverse("pacts:campaign_list")
    assert [str(m) for m in response.context["messages"]] == [
        "No campaign of your region has been started yet, so there is no signing to follow."
    ]


def test_ministry_staff_keep_the_national_page_and_leaders_are_refused(client, ministry_user, leader_user):
    client.force_login(ministry_user)
    nav = menu(client)
    assert reverse("pacts:national_progress_now") in nav
    assert f'href="{PROGRESS}"' not in nav
    assert client.get(PROGRESS).url == reverse("pacts:national_progress_now")
    client.force_login(leader_user)
    assert f'href="{PROGRESS}"' not in menu(client)
    assert client.get(PROGRESS).status_code == 403
    assert client.post(PROGRESS).status_code == 405
