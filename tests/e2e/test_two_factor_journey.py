"""Two-step sign-in in a real browser: ministry staff require it for unit leaders; a leader logs in, is sent to
enrol, scans nothing but types the key shown into "the app" (the code is computed here from that key), keeps the
recovery codes and reaches the signing page; at the next log-in the code is asked after the password. Axe on
the policy, enrolment, recovery-code and code pages; the portal's CSP refuses nothing (the QR code is inline)."""

import base64
import re
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from accounts import two_factor
from accounts.models import AccountEvent, Role
from tests.e2e.steps import label, menu_link
from tests.factories import PASSWORD, UserFactory
from tests.pacts.factories import PactWorld, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db) -> PactWorld:
    return make_world(2)


def _in_english(page: Page, live_server) -> None:
    # The new strings are reviewed in Vietnamese by the lead's merge; the journey reads them in English.
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])


def _code(secret_shown: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed in: RFC 6238, 30-second steps, 6 digits."""
    key = base64.b32decode(secret_shown.replace(" ", "") + "=" * (-len(secret_shown.replace(" ", "")) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(label("Username")).fill(username)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_leader_required_to_use_two_step_sign_in_enrols_and_reaches_the_signing_page(
    open_page, live_server, assert_accessible, world
):
    UserFactory(username="bo.thidua", full_name="Trần Thị Minh Hằng", roles=[Role.MINISTRY])
    leader = world.leaders[1]
    unit = world.units[1]

    # Ministry staff require it for unit leaders.
    staff = open_page()
    _in_english(staff, live_server)
    _log_in(staff, "bo.thidua")
    menu_link(staff, "Users")
    staff.get_by_role("link", name="Two-step sign-in by role").click()
    staff.get_by_label(label("Password")).fill(PASSWORD)
    staff.get_by_role("button", name="Confirm").click()
    expect(staff.get_by_role("heading", name="Two-step sign-in by role", level=1)).to_be_visible()
    assert_accessible(staff)
    staff.get_by_label("Unit leader").check()
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator(".alert-success")).to_contain_text("Saved.")
    expect(staff.get_by_label("Unit leader")).to_be_checked()
    assert two_factor.required_roles() == {"leader"}

    # The leader logs in: straight to the enrolment, with no menu and no other page.
    page = open_page()
    _in_english(page, live_server)
    _log_in(page, leader.username)
    expect(page.get_by_role("heading", name="Turn two-step sign-in on", level=1)).to_be_visible()
    expect(page.get_by_text("Your role requires two-step sign-in.")).to_be_visible()
    expect(page.get_by_role("link", name="Pacts to sign")).to_have_count(0)
    qr = page.get_by_role("img", name="QR code to scan with the authenticator app")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/png;base64,")
    assert qr.evaluate("img => img.naturalWidth") > 0  # the browser drew it under the portal's CSP
    assert_accessible(page)
    page.goto(reverse("pacts:my_pacts"))
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))

    secret = page.locator("#two-factor-secret").inner_text()
    wrong = "000000" if _code(secret) != "000000" else "111111"
    page.get_by_label(label("OTP code shown by the app")).fill(wrong)
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_text("This code is not right.")).to_be_visible()
    assert_accessible(page)
    assert not two_factor.has_two_factor(leader)

    # django-otp waits a second after a wrong code before it checks another.
    time.sleep(2.1)
    page.get_by_label(label("OTP code shown by the app")).fill(_code(secret))
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes", level=1)).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download (.txt)").click()
    codes = [item.inner_text() for item in page.locator(".recovery-codes li").all()]
    assert all(code in download.value.path().read_text(encoding="utf-8") for code in codes)
    page.get_by_role("button", name="I have kept them: continue").click()

    # The portal opens; the leader goes to sign.
    page.get_by_role("navigation").get_by_role("link", name="Pacts to sign", exact=True).click()
    expect(page.get_by_role("heading", name="Pacts to sign", level=1)).to_be_visible()
    page.locator(f"a[href='{reverse('pacts:pact_sign', args=[world.pact.pk, unit.pk])}']").click()
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Sign the pact", level=1)).to_be_visible()
    expect(page.locator("#signer-unit")).to_have_text(unit.name)
    assert AccountEvent.objects.filter(user=leader, action="two_factor_enrolled").count() == 1

    # Next time, the code after the password.
    page.get_by_role("button", name=leader.full_name).click()
    page.get_by_role("button", name="Log out").click()
    _log_in(page, leader.username)
    expect(page.get_by_role("heading", name="Enter the OTP code", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Pacts to sign")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label(label("OTP code or recovery code")).fill("12")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Enter the 6 digits of the app, or a recovery code")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label("OTP code or recovery code")).fill(_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Pacts to sign", exact=True)).to_be_visible()
