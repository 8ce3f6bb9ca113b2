"""A pact's audit trail holds only what belongs to it: a signing attempt, or a wrong password on the way to a
signing page, by someone who is no party to the pact goes to the security log and leaves the trail as it was;
a party's refused attempt stays in the trail; what the client sends (its user agent) is kept bounded."""

import json
import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pacts import services
from pacts.audit import DETAIL_LENGTH, USER_AGENT_LENGTH, RequestInfo, bounded_text
from pacts.errors import PactError
from pacts.models import AuditEvent, Pact, PactSignature
from tests.pacts.factories import login, make_world

pytestmark = pytest.mark.django_db
ADDRESS = "10.9.8.7"


@pytest.fixture
def world():
    return make_world(2, prefix="trail")


@pytest.fixture
def stranger():
    """The leader of a unit of another region: no party to the pact."""
    return make_world(1, prefix="trail-la").leaders[0]


@pytest.fixture
def security(caplog):
    caplog.set_level(logging.INFO, logger="thidua.security")
    return caplog


def security_lines(caplog) -> list[dict]:
    return [record.security for record in caplog.records if record.name == "thidua.security"]


def trail(world) -> list[tuple]:
    return list(AuditEvent.objects.filter(pact=world.pact).values_list("pk", "action"))


def sign_url(world, n: int = 1) -> str:
    return reverse("pacts:pact_sign", args=[world.pact.pk, world.units[n].pk])


def post_sign(client, world, *, user_agent: str = "Firefox", consent: bool = True):
    data = {"content_hash": world.pact.content_hash, **({"consent": "on"} if consent else {})}
    return client.post(sign_url(world), data, HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ADDRESS)


@pytest.mark.parametrize("who", ["stranger", "ministry"])
def test_a_stranger_s_signing_post_leaves_the_pact_s_trail_unchanged(client, world, security, request, who):
    user = request.getfixturevalue("stranger" if who == "stranger" else "ministry_user")
    before = trail(world)
    login(client, user)
    response = post_sign(client, world, user_agent="x" * 500)
    assert response.status_code == 403
    assert trail(world) == before
    assert not PactSignature.objects.filter(pact=world.pact).exists()
    [line] = security_lines(security)
    assert line["event"] == "pact_signing_by_non_party"
    assert (line["user_id"], line["pact"], line["unit"], line["ip"]) == (
        user.pk,
        world.pact.pk,
        world.units[1].pk,
        ADDRESS,
    )
    assert line["via"] == "signing"


def test_a_stranger_s_wrong_password_on_the_way_to_a_signing_page_leaves_the_trail_unchanged(
    client, world, stranger, security
):
    before = trail(world)
    login(client, stranger, fresh=False)
    response = client.post(
        reverse("accounts:confirm_password"), {"password": "sai-mat-khau", "next": sign_url(world)}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 200
    assert trail(world) == before
    [line] = security_lines(security)
    assert (line["user_id"], line["pact"], line["unit"], line["via"]) == (
        stranger.pk,
        world.pact.pk,
        world.units[1].pk,
        "password",
    )


def test_a_wrong_password_on_the_way_to_a_unit_that_is_no_party_writes_no_trail(client, world, stranger, security):
    before = trail(world)
    login(client, world.leaders[1], fresh=False)
    url = reverse("pacts:pact_sign", args=[world.pact.pk, stranger.unit_id])
    client.post(reverse("accounts:confirm_password"), {"password": "sai-mat-khau", "next": url})
    assert trail(world) == before
    assert len(security_lines(security)) == 1


def test_the_service_writes_nothing_to_the_trail_for_a_stranger(world, stranger, security):
    before = trail(world)
    pact = Pact.objects.get(pk=world.pact.pk)
    with pytest.raises(PactError):
        services.pact_sign(pact=pact, unit=world.units[1], user=stranger, consent=True, content_hash=pact.content_hash)
    assert trail(world) == before


def test_a_party_s_refused_attempt_stays_in_the_trail(client, world, security):
    Pact.objects.filter(pk=world.pact.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    login(client, world.leaders[1])
    assert post_sign(client, world).status_code == 403
    refusal = AuditEvent.objects.get(pact=world.pact, action=AuditEvent.Action.REFUSED)
    assert (refusal.actor, refusal.unit, refusal.ip_address) == (world.leaders[1], world.units[1], ADDRESS)
    assert security_lines(security) == []


def test_a_party_s_wrong_password_stays_in_the_trail(client, world, security):
    login(client, world.leaders[1], fresh=False)
    client.post(reverse("accounts:confirm_password"), {"password": "sai-mat-khau", "next": sign_url(world)})
    refusal = AuditEvent.objects.get(pact=world.pact, action=AuditEvent.Action.REFUSED)
    assert (refusal.actor, refusal.unit_name) == (world.leaders[1], world.pact.signatories.get(order=2).unit_name)
    assert security_lines(security) == []


def test_a_5000_character_user_agent_is_stored_bounded_and_without_control_characters(client, world):
    forged = "Mozilla/5.0 Cốc Cốc" + "\r\nX-Ghi-Chu: giả\u202e\x00" + "A" * 5000
    login(client, world.leaders[1])
    assert post_sign(client, world, user_agent=forged).status_code == 302
    signature = PactSignature.objects.get(pact=world.pact)
    signed = AuditEvent.objects.get(pact=world.pact, action=AuditEvent.Action.SIGNED)
    for kept in (signature.user_agent, signed.user_agent):
        assert len(kept) == USER_AGENT_LENGTH
        assert kept.startswith("Mozilla/5.0 Cốc CốcX-Ghi-Chu: giả") and "AAAA" in kept
        assert not any(c in kept for c in "\r\n\x00\u202e")


def test_a_refused_party_s_user_agent_is_bounded_too(client, world):
    login(client, world.leaders[1])
    post_sign(client, world, consent=False, user_agent="B" * 5000)
    refusal = AuditEvent.objects.get(pact=world.pact, action=AuditEvent.Action.REFUSED)
    assert refusal.user_agent == "B" * USER_AGENT_LENGTH


def test_a_detail_is_bounded_and_keeps_its_lines():
    world = make_world(2, prefix="trail-reason")
    reason = "Bổ sung chỉ tiêu\ndòng hai\x1b[31m" + "x" * 5000
    services.pact_withdraw(pact=world.pact, reason=reason, actor=world.officer)
    event = AuditEvent.objects.get(pact=world.pact, action=AuditEvent.Action.WITHDRAWN)
    assert len(event.detail) == DETAIL_LENGTH
    assert event.detail.startswith("Bổ sung chỉ tiêu\ndòng hai[31m")


def test_request_info_is_bounded_however_it_is_made():
    assert RequestInfo(user_agent="\u202e" + "z" * 400).user_agent == "z" * USER_AGENT_LENGTH
    assert bounded_text("a\tb\nc\x00d", 10) == "abcd"
    assert bounded_text("a\tb\nc\x00d", 10, keep_lines=True) == "a\tb\ncd"


def test_the_security_line_is_one_line_of_quoted_values(world, security):
    odd = make_world(1, prefix="trail-odd").leaders[0]
    odd.username = 'la"\nforged=1'
    pact = Pact.objects.get(pk=world.pact.pk)
    with pytest.raises(PactError):
        services.pact_sign(
            pact=pact,
            unit=world.units[1],
            user=odd,
            consent=True,
            content_hash=pact.content_hash,
            info=RequestInfo(ip_address=ADDRESS),
        )
    [record] = [r for r in security.records if r.name == "thidua.security"]
    message = record.getMessage()
    assert "\n" not in message
    assert f"username={json.dumps(odd.username, ensure_ascii=False)}" in message
    assert f'ip="{ADDRESS}"' in message
