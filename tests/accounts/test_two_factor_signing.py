"""When two-step sign-in is required for unit leaders, signing a pact needs a session verified with a code."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from accounts.models import Role
from pacts.models import PactSignature
from tests.pacts.factories import make_world

from .two_factor_helpers import enrolled, log_in, require_for

pytestmark = pytest.mark.django_db

WITHOUT_THE_MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.TwoFactorMiddleware"]


@pytest.fixture
def world():
    return make_world(2)


def sign_url(world) -> str:
    return reverse("pacts:pact_sign", args=[world.pact.pk, world.units[1].pk])


def post_sign(client, world):
    return client.post(sign_url(world), {"content_hash": world.pact.content_hash, "consent": "on"})


def signed(world) -> bool:
    return PactSignature.objects.filter(pact=world.pact, unit=world.units[1]).exists()


def test_without_the_requirement_a_leader_signs_as_before(client, world):
    log_in(client, world.leaders[1])
    assert client.get(sign_url(world)).status_code == 200
    assert post_sign(client, world).status_code == 302
    assert signed(world)


@override_settings(MIDDLEWARE=WITHOUT_THE_MIDDLEWARE)
def test_the_signing_view_itself_refuses_a_leader_without_two_step_sign_in_when_required(client, world):
    require_for(Role.LEADER)
    log_in(client, world.leaders[1])
    response = post_sign(client, world)
    assert response.status_code == 403
    assert "Nothing was done" in response.content.decode()
    assert reverse("accounts:two_factor_enrol") in response.content.decode()
    assert not signed(world)
    page = client.get(sign_url(world))
    assert page.url.startswith(reverse("accounts:two_factor_enrol"))


@override_settings(MIDDLEWARE=WITHOUT_THE_MIDDLEWARE)
def test_the_signing_view_refuses_a_session_not_verified_with_the_code(client, world):
    require_for(Role.LEADER)
    enrolled(world.leaders[1])
    log_in(client, world.leaders[1])  # password only: the code was never entered
    response = post_sign(client, world)
    assert response.status_code == 403
    assert "needs a session confirmed with your OTP code" in response.content.decode()
    assert reverse("accounts:two_factor_verify") in response.content.decode()
    assert not signed(world)


def test_with_the_middleware_an_unverified_leader_never_reaches_the_signing_page(client, world):
    require_for(Role.LEADER)
    log_in(client, world.leaders[1])
    assert client.get(sign_url(world)).url.startswith(reverse("accounts:two_factor_enrol"))
    assert post_sign(client, world).status_code == 302
    assert not signed(world)


def test_a_verified_leader_signs_when_it_is_required(client, world):
    require_for(Role.LEADER)
    device, _codes = enrolled(world.leaders[1])
    log_in(client, world.leaders[1], verified_with=device)
    assert client.get(sign_url(world)).status_code == 200
    response = post_sign(client, world)
    assert response.status_code == 302
    assert response.url == reverse("pacts:pact_signed", args=[world.pact.pk, world.units[1].pk])
    assert signed(world)


def test_the_requirement_for_another_role_does_not_touch_leaders(client, world):
    require_for(Role.MINISTRY, Role.REGION)
    log_in(client, world.leaders[1])
    assert post_sign(client, world).status_code == 302
    assert signed(world)
