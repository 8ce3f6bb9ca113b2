"""The client's address behind the configured proxies: the lockout, a signature and an audit event take the one
the last proxy appended to X-Forwarded-For, never what the client wrote to its left."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.client import client_ip
from pacts.models import AuditEvent, PactSignature
from tests.pacts.factories import login, make_world

LOGIN = reverse("accounts:login")
PROXY = "172.18.0.5"  # the reverse proxy, as gunicorn sees it
CLIENT = "203.0.113.7"
SPOOFED = "198.51.100.66"  # what the client wrote into X-Forwarded-For itself


def through_proxy(*chain: str) -> dict:
    """What a request carries after one proxy appended the address it received it from."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ", ".join(chain)}


def _ip(settings, proxies: int, **meta) -> str | None:
    settings.AXES_IPWARE_PROXY_COUNT = proxies
    return client_ip(RequestFactory().get("/", **meta))


def test_behind_one_proxy_it_takes_the_address_the_proxy_appended(settings):
    assert _ip(settings, 1, **through_proxy(CLIENT)) == CLIENT


def test_behind_one_proxy_a_spoofed_left_most_address_is_not_believed(settings):
    assert _ip(settings, 1, **through_proxy(SPOOFED, CLIENT)) == CLIENT
    assert _ip(settings, 1, **through_proxy("unknown", "not an address", SPOOFED, CLIENT)) == CLIENT


def test_behind_two_proxies_it_takes_the_second_address_from_the_right(settings):
    assert _ip(settings, 2, **through_proxy(SPOOFED, CLIENT, "10.0.0.2")) == CLIENT


def test_with_no_proxy_configured_the_header_is_ignored(settings):
    assert _ip(settings, 0, **through_proxy(SPOOFED)) == PROXY


def test_a_request_that_bypassed_the_proxies_gets_the_socket_s_peer(settings):
    assert _ip(settings, 1, REMOTE_ADDR="127.0.0.1") == "127.0.0.1"
    assert _ip(settings, 2, **through_proxy(CLIENT)) == PROXY


def test_a_huge_forwarded_header_costs_nothing_and_still_gives_the_client(settings):
    header = ", ".join([SPOOFED] * 50_000 + [CLIENT])
    assert _ip(settings, 1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header) == CLIENT


def test_ipv6_and_a_port_are_read(settings):
    assert _ip(settings, 1, **through_proxy("[2001:db8::1]:443")) == "2001:db8::1"
    assert _ip(settings, 1, **through_proxy(f"{CLIENT}:51234")) == CLIENT


@pytest.mark.django_db
def test_the_lockout_is_keyed_on_the_client_behind_the_proxy_not_on_the_proxy(client, settings, leader_user, password):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    attacker = "192.0.2.44"
    for n in range(5):
        # Each failure claims another address on the left: the attacker is locked out all the same ...
        response = client.post(
            LOGIN, {"username": leader_user.username, "password": "sai"}, **through_proxy(f"192.0.2.{n}", attacker)
        )
    assert response.status_code == 429
    # ... and the leader, through the same proxy from their own address, still logs in.
    response = client.post(
        LOGIN, {"username": leader_user.username, "password": password}, **through_proxy(attacker, CLIENT)
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_signature_and_its_audit_events_keep_the_signer_s_address_behind_the_proxy(client, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    world = make_world(2, prefix="xff")
    login(client, world.leaders[1])
    url = reverse("pacts:pact_sign", args=[world.pact.pk, world.units[1].pk])
    client.get(url, **through_proxy(SPOOFED, CLIENT))
    data = {"content_hash": world.pact.content_hash, "consent": "on"}
    response = client.post(url, data, **through_proxy(SPOOFED, CLIENT))
    assert response.status_code == 302
    signature = PactSignature.objects.get(pact=world.pact, unit=world.units[1])
    assert signature.ip_address == CLIENT
    events = AuditEvent.objects.filter(pact=world.pact, unit=world.units[1], action__in=["viewed", "signed"])
    assert sorted(events.values_list("action", "ip_address")) == [("signed", CLIENT), ("viewed", CLIENT)]
