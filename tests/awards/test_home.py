"""The home page tells a leader of returned registrations and a region officer of registrations to approve."""

import pytest
from django.urls import reverse

from awards.services.registrations import registration_create, registration_return
from tests.awards.factories import FLAG, make_awards_world

pytestmark = pytest.mark.django_db


def test_the_home_page_counts_what_awaits_each_person(client):
    world = make_awards_world(3)
    sent = [
        registration_create(campaign=world.campaign, unit=unit, title=world.titles[FLAG], actor=leader, submit=True)
        for unit, leader in zip(world.units, world.leaders, strict=True)
    ]
    registration_return(registration=sent[1], actor=world.officer, reason="Bổ sung báo cáo thành tích.")

    client.force_login(world.officer)
    assert client.get(reverse("home")).context["dashboard"]["registrations_awaiting"] == 2
    client.force_login(world.leaders[1])
    home = client.get(reverse("home"))
    assert home.context["dashboard"]["registrations_returned"] == 1
    assert 'id="registrations-returned"' in home.content.decode()
    client.force_login(world.leaders[2])
    home = client.get(reverse("home"))
    assert home.context["dashboard"]["registrations_returned"] == 0
    assert 'id="registrations-returned"' not in home.content.decode()
