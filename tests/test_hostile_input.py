"""No input from an anonymous visitor produces a 500: the log-in, password-reset and verification forms and
addresses, fed nasty strings (NUL, text-direction overrides, 10,000 characters, invalid UTF-8, emoji ...)."""

from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from accounts.forms import LoginForm

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
RESET = reverse("accounts:password_reset")

NASTY = [
    "",
    " ",
    "\x00",
    "quan\x00tri",
    "\u202egnp.exe",
    "\u2066Sở\u2069 Tư pháp\u202a\u202b\u202c\u202d",
    "x" * 256,
    "x" * 10_000,
    "Đ" * 3_000,
    "😀🇻🇳👍🏽" * 50,
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    '=HYPERLINK("http://evil.example")',
    "../../../etc/passwd",
    "%00%ff%c0%af",
    "a@b",
    "@" * 300 + ".vn",
    "\r\nSet-Cookie: x=1",
    "\ufeff\u200b\u200d",
    "\U0010ffff",
]
# Raw bodies and paths a browser would never send: percent-escapes that are not UTF-8.
INVALID_UTF8 = ["%FF%FE", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%00", "%E2%80%AE"]


def _fresh_address(n: int) -> dict:
    """Each try from its own address, past every lockout and throttle: each one reaches the form."""
    cache.clear()
    return {"REMOTE_ADDR": f"10.77.{n // 250}.{n % 250 + 1}"}


def _not_a_server_error(response) -> None:
    assert response.status_code < 500, response.content[:300]


def test_a_username_longer_than_axes_keeps_is_refused_without_a_500(client, leader_user):
    response = client.post(LOGIN, {"username": "x" * 300, "password": "sai"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    with translation.override("en"):
        form = LoginForm(data={"username": "x" * 300, "password": "sai"})
        assert form.errors["username"] == ["A username has at most 150 characters."]


def test_axes_keeps_an_over_long_username_cut_to_its_column(rf):
    # Whatever form asks authenticate() (the log-in's is bounded; another may not be), axes' record is cut.
    for _ in range(2):
        request = rf.post(LOGIN, {"username": "y" * 300}, REMOTE_ADDR="10.0.0.10")
        assert authenticate(request, username="y" * 300, password="sai") is None
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("y" * 255, 2)


@pytest.mark.parametrize("code", ["%00", "abc%00def", "%E2%80%AE", "x" * 10_000, "%F0%9F%98%80", *INVALID_UTF8])
def test_an_odd_verification_code_gets_the_unknown_code_page(client, code):
    response = client.get(f"/verify/{code}/")
    assert response.status_code == 404
    posted = client.post(f"/verify/{code}/", {"document": ""})
    assert posted.status_code == 404


def test_the_log_in_form_answers_every_nasty_input_without_a_500(client, leader_user):
    for n, value in enumerate(NASTY):
        for data in ({"username": value, "password": value}, {"username": leader_user.username, "password": value}):
            _not_a_server_error(client.post(LOGIN, data, **_fresh_address(n)))
        _not_a_server_error(client.get(f"{LOGIN}?next={quote(value)}", **_fresh_address(n)))
    for n, raw in enumerate(INVALID_UTF8):
        body = f"username={raw}&password={raw}"
        response = client.post(LOGIN, body, content_type="application/x-www-form-urlencoded", **_fresh_address(n))
        _not_a_server_error(response)
        _not_a_server_error(client.get(f"{LOGIN}?next={raw}", **_fresh_address(n)))
    assert "_auth_user_id" not in client.session


def test_the_password_reset_form_and_link_answer_every_nasty_input_without_a_500(client, leader_user):
    for n, value in enumerate(NASTY):
        _not_a_server_error(client.post(RESET, {"email": value}, **_fresh_address(n)))
        segment = quote(value, safe="") or "x"
        _not_a_server_error(client.get(f"/accounts/password/reset/{segment}/{segment}/", **_fresh_address(n)))
        _not_a_server_error(client.get(f"/accounts/password/reset/MQ/{segment}/", **_fresh_address(n)))
    for n, raw in enumerate(INVALID_UTF8):
        body = f"email={raw}"
        response = client.post(RESET, body, content_type="application/x-www-form-urlencoded", **_fresh_address(n))
        _not_a_server_error(response)
        _not_a_server_error(client.get(f"/accounts/password/reset/{raw}/{raw}/", **_fresh_address(n)))


def test_the_verification_page_answers_every_nasty_code_and_upload_without_a_500(client):
    for n, value in enumerate(NASTY):
        segment = quote(value, safe="") or "x"
        _not_a_server_error(client.get(f"/verify/{segment}/", **_fresh_address(n)))
        _not_a_server_error(client.get(f"/verify/{segment}/?q={segment}", **_fresh_address(n)))
        _not_a_server_error(client.post(f"/verify/{segment}/", {"document": value}, **_fresh_address(n)))


@pytest.mark.parametrize(
    ("url", "field"),
    [("accounts:login", "username"), ("accounts:password_reset", "email")],
)
def test_a_nul_or_direction_mark_in_the_anonymous_forms_gets_the_portals_own_message(client, url, field, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        for nasty in ("quan\x00tri", "quan\u202etri"):
            data = {"username": "x", "password": "y", "email": "a@b.vn", field: nasty}
            response = client.post(reverse(url), data)
            assert response.status_code == 200
            form = response.context["form"]
            assert "Remove the hidden control characters" in " ".join(str(m) for m in form.errors[field])
            assert "Null characters are not allowed" not in response.content.decode()
