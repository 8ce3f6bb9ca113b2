"""Throttles of the password reset and the log-in: per client address, per e-mail address asked, beyond axes."""

import re

import pytest
from django.urls import reverse

from outbox.models import Email

RESET = reverse("accounts:password_reset")
LOGIN = reverse("accounts:login")
THROTTLED = "There have been too many requests of this kind in a short time."

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_rates(settings):
    settings.THROTTLE_PASSWORD_RESET_PER_ADDRESS = (3, 3600)
    settings.THROTTLE_PASSWORD_RESET_PER_ACCOUNT = (2, 3600)
    settings.THROTTLE_LOGIN_FAILURES_PER_ADDRESS = (4, 900)


@pytest.fixture
def english(client):
    client.cookies["thidua_language"] = "en"
    return client


def reset(client, email: str, address: str):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def login(client, username: str, password: str, address: str = "10.0.0.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def page_without_tokens(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def assert_throttled(response, *, within: int) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= within
    page = response.content.decode()
    assert THROTTLED in page
    assert "<nav" in page  # the portal's own layout, not a bare error


def test_resets_past_the_rate_of_one_address_get_the_429_page_with_retry_after(english, ministry_user):
    emails = ["a@example.vn", "b@example.vn", "c@example.vn", "d@example.vn"]
    answers = [reset(english, email, "10.0.0.1") for email in emails]
    assert [answer.status_code for answer in answers[:3]] == [302, 302, 302]
    assert_throttled(answers[3], within=3600)


def test_the_throttled_page_is_vietnamese_by_default(client):
    for email in ["a@example.vn", "b@example.vn", "c@example.vn"]:
        reset(client, email, "10.0.0.1")
    response = reset(client, "d@example.vn", "10.0.0.1")
    assert response.status_code == 429
    assert '<html lang="vi"' in response.content.decode()


def test_another_address_is_not_affected(english):
    for email in ["a@example.vn", "b@example.vn", "c@example.vn"]:
        reset(english, email, "10.0.0.1")
    assert reset(english, "d@example.vn", "10.0.0.1").status_code == 429
    assert reset(english, "d@example.vn", "10.0.0.2").status_code == 302


def test_the_account_throttle_holds_across_addresses_and_the_case_of_the_address(english, leader_user):
    assert reset(english, leader_user.email, "10.0.0.1").status_code == 302
    assert reset(english, leader_user.email.upper(), "10.0.0.2").status_code == 302
    assert_throttled(reset(english, f" {leader_user.email} ", "10.0.0.3"), within=3600)


def test_a_throttled_reset_writes_no_email_to_the_outbox(client, leader_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for address in ["10.0.0.1", "10.0.0.2", "10.0.0.3"]:
            reset(client, leader_user.email, address)
    assert Email.objects.filter(to=leader_user.email).count() == 2


def test_a_throttled_reset_for_an_unknown_address_looks_the_same_as_for_a_known_one(client, leader_user):
    for email in [leader_user.email, "ai.do@example.vn"]:
        reset(client, email, "10.0.0.1")
        reset(client, email, "10.0.0.2")
    known = reset(client, leader_user.email, "10.0.0.3")
    unknown = reset(client, "ai.do@example.vn", "10.0.0.4")
    assert known.status_code == unknown.status_code == 429
    assert known["Retry-After"] == unknown["Retry-After"]
    assert page_without_tokens(known) == page_without_tokens(unknown)


def test_failed_log_ins_across_usernames_from_one_address_reach_a_ceiling_axes_alone_never_would(
    english, leader_user, password
):
    for n in range(4):  # four usernames, one failure each: far below axes' five per username
        assert login(english, f"doan-{n}", "sai-mat-khau").status_code == 200
    response = login(english, leader_user.username, password)
    assert_throttled(response, within=900)
    assert "_auth_user_id" not in english.session


def test_other_addresses_still_log_in_when_one_address_is_throttled(english, leader_user, password):
    for n in range(4):
        login(english, f"doan-{n}", "sai-mat-khau")
    assert login(english, leader_user.username, password, address="10.0.0.8").status_code == 302


def test_successful_log_ins_are_not_counted(client, leader_user, password):
    for _ in range(6):  # an office behind one address logging in at eight
        assert login(client, leader_user.username, password).status_code == 302
        client.logout()
    assert login(client, leader_user.username, password).status_code == 302


def test_a_cache_that_fails_lets_resets_through_rather_than_shutting_them(client, leader_user, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr("core.throttle.cache.add", refuse)
    answers = [reset(client, leader_user.email, "10.0.0.1") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [302] * 4
