"""Two-step sign-in: enrolment, the code after the password, recovery codes, throttling, turning it off."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import AccountEvent, Role
from tests.factories import PASSWORD

from .two_factor_helpers import code_of, english, enrolled, log_in, require_for

pytestmark = pytest.mark.django_db

ENROL = reverse("accounts:two_factor_enrol")
VERIFY = reverse("accounts:two_factor_verify")
CODES = reverse("accounts:recovery_codes")
HOME = reverse("home")


def events(user, action: str) -> int:
    return AccountEvent.objects.filter(user=user, action=action).count()


def password_login(client, user):
    english(client)
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


# ---------------------------------------------------------------------------------------------
# Enrolment
# ---------------------------------------------------------------------------------------------


def test_the_enrolment_page_shows_the_qr_code_inline_and_the_secret_as_text(client, leader_user):
    log_in(client, leader_user)
    response = client.get(ENROL)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/png;base64,' in body
    device = TOTPDevice.objects.get(user=leader_user, confirmed=False)
    assert two_factor.secret_text(device) in body
    assert "http" not in body.split('src="data:image/png;base64,')[1].split('"')[0]
    # The same secret on a second visit: a QR code scanned already stays right.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=leader_user).count() == 1


def test_a_wrong_first_code_is_refused_and_changes_nothing(client, leader_user):
    log_in(client, leader_user)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=leader_user)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    for bad in (wrong, "12ab56", ""):
        response = client.post(ENROL, {"code": bad})
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=leader_user).exists()
    assert events(leader_user, "two_factor_enrolled") == 0
    assert not two_factor.has_two_factor(leader_user)


def test_the_right_first_code_turns_it_on_and_shows_ten_recovery_codes_once(client, leader_user):
    log_in(client, leader_user)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=leader_user)
    response = client.post(ENROL, {"code": code_of(device)})
    assert response.status_code == 302
    assert response.url.startswith(CODES)
    device.refresh_from_db()
    assert device.confirmed
    assert events(leader_user, "two_factor_enrolled") == 1
    codes = list(StaticToken.objects.filter(device__user=leader_user).values_list("token", flat=True))
    assert len(codes) == 10 == len(set(codes))
    page = client.get(CODES).content.decode()
    assert all(code in page for code in codes)
    download = client.get(reverse("accounts:recovery_codes_download"))
    assert download["Content-Type"].startswith("text/plain")
    assert "attachment" in download["Content-Disposition"]
    assert all(code in download.content.decode() for code in codes)
    # "I have kept them": the codes leave the session and are never shown again.
    assert client.post(CODES, {"next": HOME}).url == HOME
    again = client.get(CODES)
    assert again.url == reverse("accounts:two_factor")
    assert client.get(reverse("accounts:recovery_codes_download")).status_code == 302
    # The session that enrolled is verified: every page opens.
    assert client.get(HOME).status_code == 200


def test_turning_it_on_by_choice_needs_the_password_again(client, leader_user):
    log_in(client, leader_user, reauthenticated=False)
    response = client.get(ENROL)
    assert response.url.startswith(reverse("accounts:confirm_password"))
    assert not TOTPDevice.objects.filter(user=leader_user).exists()


def test_enrolling_twice_is_refused(client, leader_user):
    device, _codes = enrolled(leader_user)
    log_in(client, leader_user, verified_with=device)
    response = client.get(ENROL)
    assert response.url == reverse("accounts:two_factor")
    assert TOTPDevice.objects.filter(user=leader_user).count() == 1


# ---------------------------------------------------------------------------------------------
# The code after the password
# ---------------------------------------------------------------------------------------------


def test_a_person_without_a_device_logs_in_as_before(client, leader_user):
    response = password_login(client, leader_user)
    assert response.url == HOME
    assert client.get(HOME).status_code == 200


def test_after_the_password_a_person_with_a_device_must_enter_the_code(client, leader_user):
    device, _codes = enrolled(leader_user)
    response = password_login(client, leader_user)
    assert response.url.startswith(VERIFY)
    # No page but the code's and the log-out before it.
    for url in (HOME, reverse("accounts:profile"), reverse("pacts:my_pacts"), reverse("people:person_list")):
        blocked = client.get(url)
        assert blocked.status_code == 302 and blocked.url.startswith(VERIFY), url
    nav = client.get(VERIFY).content.decode()
    assert reverse("pacts:my_pacts") not in nav
    wrong = client.post(VERIFY, {"code": "99999a"})
    assert "6 digits" in wrong.content.decode()
    code = code_of(device, steps_ahead=1)
    right = client.post(VERIFY, {"code": code, "next": reverse("accounts:profile")})
    assert right.url == reverse("accounts:profile")
    assert client.get(HOME).status_code == 200
    # The same code again (a second log-in) is refused: a code works once.
    client.post(reverse("accounts:logout"))
    password_login(client, leader_user)
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post(VERIFY, {"code": code}).status_code == 200
    assert client.get(HOME).status_code == 302


def test_the_log_in_keeps_the_page_asked_for_through_the_code(client, leader_user):
    device, _codes = enrolled(leader_user)
    english(client)
    response = client.post(
        reverse("accounts:login") + "?next=/accounts/profile/", {"username": leader_user.username, "password": PASSWORD}
    )
    assert response.url.startswith(VERIFY)
    verify = client.get(response.url)
    assert verify.context["next"] == "/accounts/profile/"
    done = client.post(VERIFY, {"code": code_of(device, steps_ahead=1), "next": "/accounts/profile/"})
    assert done.url == "/accounts/profile/"


def test_a_recovery_code_logs_in_once(client, leader_user):
    _device, codes = enrolled(leader_user)
    password_login(client, leader_user)
    response = client.post(VERIFY, {"code": codes[0].upper()[:4] + "-" + codes[0][4:]}, follow=True)
    assert response.redirect_chain[0][0] == HOME
    assert "9 codes are left" in response.content.decode()
    assert events(leader_user, "recovery_code_used") == 1
    assert two_factor.recovery_codes_left(leader_user) == 9
    client.post(reverse("accounts:logout"))
    password_login(client, leader_user)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200
    assert "not right" in again.content.decode()
    assert client.get(HOME).status_code == 302


def test_wrong_codes_are_throttled_per_account(client, leader_user, settings, caplog):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # only the portal's throttle here; django-otp's is tested below
    device, _codes = enrolled(leader_user)
    password_login(client, leader_user)
    wrong = "000000" if code_of(device, steps_ahead=1) != "000000" else "111111"
    with caplog.at_level("INFO", logger="thidua.security"):
        for _attempt in range(5):
            assert client.post(VERIFY, {"code": wrong}).status_code == 200
    assert "two_factor_code_refused" in caplog.text
    throttled = client.post(VERIFY, {"code": code_of(device, steps_ahead=1)})
    assert throttled.status_code == 429
    assert "Retry-After" in throttled
    assert client.get(HOME).status_code == 302  # the right code was not even checked


def test_django_otp_delays_the_next_code_after_a_wrong_one(client, leader_user):
    device, _codes = enrolled(leader_user)
    password_login(client, leader_user)
    wrong = "000000" if code_of(device, steps_ahead=1) != "000000" else "111111"
    client.post(VERIFY, {"code": wrong})
    response = client.post(VERIFY, {"code": code_of(device, steps_ahead=1)})
    assert "wait" in response.content.decode()
    assert client.get(HOME).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post(VERIFY, {"code": code_of(device, steps_ahead=1)}).status_code == 302
    assert client.get(HOME).status_code == 200


# ---------------------------------------------------------------------------------------------
# Required per role
# ---------------------------------------------------------------------------------------------


def test_a_role_that_requires_it_sends_a_person_without_a_device_to_enrol(client, leader_user, ministry_user):
    require_for(Role.LEADER)
    response = password_login(client, leader_user)
    assert response.url.startswith(ENROL)
    for url in (HOME, reverse("accounts:profile"), reverse("accounts:password_change"), VERIFY):
        blocked = client.get(url)
        assert blocked.status_code == 302 and blocked.url.startswith(ENROL), url
    assert client.post(reverse("accounts:logout")).status_code == 302
    # Other roles are untouched.
    client.logout()
    assert password_login(client, ministry_user).url == HOME


def test_a_required_enrolment_needs_no_second_password_and_opens_the_portal(client, leader_user):
    require_for(Role.LEADER)
    password_login(client, leader_user)
    page = client.get(ENROL)
    assert "requires two-step sign-in" in page.content.decode()
    device = TOTPDevice.objects.get(user=leader_user)
    done = client.post(ENROL, {"code": code_of(device), "next": reverse("pacts:my_pacts")})
    assert done.url.startswith(CODES)
    assert client.post(CODES, {"next": reverse("pacts:my_pacts")}).url == reverse("pacts:my_pacts")
    assert client.get(reverse("pacts:my_pacts")).status_code == 200


def test_a_session_opened_before_the_requirement_is_sent_to_enrol(client, leader_user):
    log_in(client, leader_user)
    assert client.get(HOME).status_code == 200
    require_for(Role.LEADER)
    assert client.get(HOME).url.startswith(ENROL)


# ---------------------------------------------------------------------------------------------
# Recovery codes renewed, turning it off
# ---------------------------------------------------------------------------------------------


def test_new_recovery_codes_cancel_the_old_ones(client, leader_user):
    device, old = enrolled(leader_user)
    log_in(client, leader_user, verified_with=device)
    assert client.get(reverse("accounts:recovery_codes_renew")).status_code == 200
    response = client.post(reverse("accounts:recovery_codes_renew"))
    assert response.url == CODES
    new = set(StaticToken.objects.filter(device__user=leader_user).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)
    assert events(leader_user, "recovery_codes_renewed") == 1
    assert all(code in client.get(CODES).content.decode() for code in new)
    assert two_factor.code_check(user=leader_user, code=old[0]) is None


def test_renewing_codes_needs_the_password_again(client, leader_user):
    device, old = enrolled(leader_user)
    log_in(client, leader_user, verified_with=device, reauthenticated=False)
    response = client.post(reverse("accounts:recovery_codes_renew"))
    assert response.url.startswith(reverse("accounts:confirm_password"))
    assert set(StaticToken.objects.filter(device__user=leader_user).values_list("token", flat=True)) == set(old)


def test_turning_it_off_needs_the_password_and_a_code(client, leader_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device, _codes = enrolled(leader_user)
    log_in(client, leader_user, verified_with=device)
    url = reverse("accounts:two_factor_disable")
    wrong_password = client.post(url, {"password": "sai-mat-khau-1", "code": code_of(device, steps_ahead=1)})
    assert wrong_password.context["form"].errors["password"]
    wrong = "000000" if code_of(device, steps_ahead=1) != "000000" else "111111"
    wrong_code = client.post(url, {"password": PASSWORD, "code": wrong})
    assert wrong_code.context["form"].errors["code"]
    assert two_factor.has_two_factor(leader_user)
    done = client.post(url, {"password": PASSWORD, "code": code_of(device, steps_ahead=1)})
    assert done.url == reverse("accounts:two_factor")
    assert not two_factor.has_two_factor(leader_user)
    assert not StaticToken.objects.filter(device__user=leader_user).exists()
    assert events(leader_user, "two_factor_disabled") == 1
    assert client.get(HOME).status_code == 200


def test_it_cannot_be_turned_off_when_the_role_requires_it(client, leader_user):
    device, _codes = enrolled(leader_user)
    require_for(Role.LEADER)
    log_in(client, leader_user, verified_with=device)
    response = client.post(
        reverse("accounts:two_factor_disable"), {"password": PASSWORD, "code": code_of(device, steps_ahead=1)}
    )
    assert response.status_code == 200
    assert "cannot be turned off" in response.content.decode()
    assert two_factor.has_two_factor(leader_user)


def test_the_account_pages_show_the_state(client, leader_user):
    log_in(client, leader_user)
    assert "Two-step sign-in is off" in client.get(reverse("accounts:two_factor")).content.decode()
    device, _codes = enrolled(leader_user)
    log_in(client, leader_user, verified_with=device)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Two-step sign-in is on" in page and "10 recovery codes left" in page
    assert reverse("accounts:two_factor") in client.get(reverse("accounts:profile")).content.decode()


def test_an_invited_leader_sets_a_password_then_enrols_when_leaders_require_it(client, ministry_user):
    from tests.factories import UnitFactory
    from tests.people.helpers import as_user, invitation_links

    require_for(Role.LEADER)
    as_user(client, ministry_user)
    client.post(
        reverse("people:person_create"),
        {
            "full_name": "Đặng Quốc Việt",
            "username": "viet.dq",
            "email": "viet@example.vn",
            "unit": UnitFactory().pk,
            "roles": ["leader"],
        },
    )
    client.logout()
    english(client)
    (link,) = invitation_links(leader := type(ministry_user).objects.get(username="viet.dq"))
    form_url = client.get(link).url
    password = "Giao-uoc-thi-dua-2027!"
    welcome = client.post(form_url, {"new_password1": password, "new_password2": password}).url
    assert welcome == reverse("accounts:invitation_welcome")
    response = client.get(welcome)
    assert response.url.startswith(ENROL) and "welcome" in response.url
    device = two_factor.enrolment_device(leader)
    assert client.post(response.url, {"code": code_of(device)}).url.startswith(CODES)
    assert client.get(welcome).status_code == 200
