"""Issue 13's journey, end to end, from a database holding only the regions and units (and, as set up through the
services, the ministry user, the region's roster for the year and its open pact for the 4 units):

ministry staff require two-step sign-in for unit leaders, invite the region officer from the people area and bring
the region's 4 leaders on board from the roster page, in at most 15 clicks (counted); then each leader, in their own
browser context, opens the link of their invitation e-mail, sets a password, enrols two-step sign-in (one of them
types a wrong code first, refused) and signs the pact; the region officer accepts their invitation and follows the
signing, which ends with the pact executed. Axe finds no serious or critical violation on each kind of page the
first time it is seen.

The pages are read in English (the language cookie), as the other journeys of the area: the words reach
Vietnamese with the catalogue; fields are found by their name attributes where they have no visible label."""

import base64
import re
import time
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from accounts import two_factor
from accounts.models import Role, User
from pacts import services as pact_services
from pacts.models import Pact, PactSignature
from regions import services
from regions.models import Appointment, RegionMembership
from tests.factories import PASSWORD, UserFactory
from tests.regions.factories import make_region, make_unit

from .steps import label, menu_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_CLICKS = 15
NEW_PASSWORD = "Giao-uoc-thi-dua-2027!"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/\S+/)")
UNITS = [
    "Sở Tư pháp tỉnh Quảng Bình",
    "Sở Tư pháp tỉnh Nghệ An",
    "Sở Tư pháp tỉnh Quảng Trị",
    "Sở Tư pháp thành phố Huế",
]
LEADERS = [
    ("Lê Quang Vinh", "Giám đốc", "vinh.lq@stp-quangbinh.example.vn"),
    ("Phan Thị Lan", "Giám đốc", "lan.pt@stp-nghean.example.vn"),
    ("Đinh Thị Thu Hà", "Phó Giám đốc phụ trách", "ha.dtt@stp-quangtri.example.vn"),
    ("Võ Văn Kiệt", "Giám đốc", "kiet.vv@stp-hue.example.vn"),
]
OFFICER = ("Lê Hoàng Nam", "nam.lh", "nam.lh@stp-quangbinh.example.vn")


class Clicks:
    """Counts every click of ministry staff (typing in a box is not a click; ticking one is)."""

    def __init__(self) -> None:
        self.count = 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def check(self, locator) -> None:
        self.count += 1
        locator.check()

    def choose(self, select, value: str) -> None:
        self.count += 1
        select.select_option(value=value)

    def menu(self, page: Page, name: str) -> None:
        """An entry of the menu bar: two clicks when it sits in a drop-down, one otherwise."""
        grouped = page.locator("header nav li.dropdown").filter(
            has=page.get_by_role("link", name=name, exact=True, include_hidden=True)
        )
        self.count += 2 if grouped.count() else 1
        menu_link(page, name)


class Accessible:
    """Axe on each kind of page (its URL's path, ids and tokens left out) the first time it is seen."""

    def __init__(self, check) -> None:
        self.check = check
        self.seen: set[str] = set()

    def first_time(self, page: Page) -> None:
        path = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]
        kind = re.sub(r"/accounts/invitation/[^/]+/", "/accounts/invitation/*/", path)
        kind = "/".join("*" if segment.isdigit() else segment for segment in kind.split("/"))
        if kind not in self.seen:
            self.seen.add(kind)
            self.check(page)


def _in_english(page: Page, live_server) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])


def _code(secret_shown: str) -> str:
    """What an authenticator app shows for the key typed in: RFC 6238, 30-second steps, 6 digits."""
    secret = secret_shown.replace(" ", "")
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)), step=30, t0=0, digits=6)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _invitation_link(email: str) -> str:
    (message,) = [m for m in mail.outbox if m.to == [email] and "/accounts/invitation/" in m.body]
    return LINK.search(message.body).group(1)


def _set_password(page: Page, link: str, axe: Accessible) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
    axe.first_time(page)
    page.get_by_label(label("New password")).fill(NEW_PASSWORD)
    page.get_by_label(label("New password confirmation")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the password and log in").click()


@pytest.fixture
def world(transactional_db):
    """The regions and units; the ministry user; the roster of the year and the region's open pact."""
    year = timezone.localdate().year
    region = make_region("Khu vực thi đua Bắc Trung bộ")
    make_region("Khu vực thi đua Tây Nguyên")
    units = [make_unit(name, active_from=date(2000, 1, 1)) for name in UNITS]
    make_unit("Sở Tư pháp tỉnh Gia Lai", active_from=date(2000, 1, 1))
    for n, unit in enumerate(units):
        role = RegionMembership.Role.HEAD if n == 0 else RegionMembership.Role.MEMBER
        services.membership_add(region=region, unit=unit, year=year, role=role)
    staff = UserFactory(username="bo.thidua", full_name="Trần Thị Minh Hằng", roles=[Role.MINISTRY])
    campaign = pact_services.campaign_create(
        region=region, year=year, title=f"Kế hoạch thi đua năm {year}", actor=staff, conference_place="Đồng Hới"
    )
    pact = pact_services.pact_create(campaign=campaign, actor=staff)
    pact_services.pact_update_draft(pact=pact, actor=staff, clauses=["Hoàn thành xuất sắc nhiệm vụ được giao."])
    pact = pact_services.pact_open(pact=pact, deadline=timezone.now() + timedelta(days=14), actor=staff)
    assert not Appointment.objects.exists() and User.objects.count() == 1
    return {"region": region, "year": year, "units": units, "pact": pact}


def test_ministry_staff_bring_a_region_on_board_and_its_four_leaders_enrol_and_sign(
    world, open_page, live_server, assert_accessible
):
    region, year, units, pact = world["region"], world["year"], world["units"], world["pact"]
    axe = Accessible(assert_accessible)

    # Ministry staff log in.
    staff = open_page()
    _in_english(staff, live_server)
    staff.goto("/")
    expect(staff).to_have_url(re.compile(r"/accounts/login/"))
    axe.first_time(staff)
    staff.get_by_label(label("Username")).fill("bo.thidua")
    staff.get_by_label(label("Password")).fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    expect(staff.get_by_role("navigation", name="Main navigation")).to_be_visible()
    axe.first_time(staff)

    # 1. Two-step sign-in required for unit leaders.
    setup = Clicks()
    setup.menu(staff, "Users")
    expect(staff).to_have_url(re.compile(r"/people/$"))
    axe.first_time(staff)
    setup.click(staff.locator(f"a[href='{reverse('accounts:two_factor_policy')}']"))
    expect(staff.get_by_role("heading", name="Confirm your password")).to_be_visible()
    axe.first_time(staff)
    staff.get_by_label(label("Password")).fill(PASSWORD)
    setup.click(staff.get_by_role("button", name="Confirm"))
    expect(staff).to_have_url(re.compile(r"/accounts/two-factor/policy/"))
    axe.first_time(staff)
    setup.check(staff.locator("input[type=checkbox][value='leader']"))
    setup.click(staff.locator("main form button[type=submit]"))
    expect(staff.locator(".alert-success")).to_be_visible()
    assert two_factor.required_roles() == {"leader"}

    # 2. The region officer, invited from the people area, bound to the region's head unit.
    setup.menu(staff, "Users")
    setup.click(staff.locator(f"a[href='{reverse('people:person_create')}']"))
    expect(staff).to_have_url(re.compile(r"/people/new/"))  # the password was confirmed a moment ago
    axe.first_time(staff)
    name, username, email = OFFICER
    staff.locator("input[name=full_name]").fill(name)
    staff.locator("input[name=username]").fill(username)
    staff.locator("input[name=email]").fill(email)
    staff.locator("input[name=position]").fill("Chuyên viên")
    unit_picker = staff.locator("select[name=unit]")
    # The picker labels the unit so that namesakes cannot be confused: its name and province at least.
    expect(unit_picker.locator(f"option[value='{units[0].pk}']")).to_contain_text(units[0].name)
    setup.choose(unit_picker, str(units[0].pk))
    setup.check(staff.locator("input[name=roles][value='region']"))
    setup.click(staff.locator("main form button[type=submit]"))
    expect(staff.locator(".alert-success")).to_contain_text(email)
    axe.first_time(staff)
    officer_account = User.objects.get(username=username)
    assert officer_account.unit == units[0] and not officer_account.has_usable_password()

    # 3. The 4 leaders from the roster page, counted from the staff's home page (the password was confirmed for
    # the policy a moment ago; in a session without that, the onboarding page asks it first: one click more).
    staff.goto("/")
    clicks = Clicks()
    clicks.menu(staff, "Emulation regions")
    axe.first_time(staff)
    clicks.click(staff.locator(f"main a[href='{reverse('regions:region_detail', args=[region.slug])}']").first)
    axe.first_time(staff)
    clicks.click(staff.locator(f"main a[href='{reverse('regions:roster_detail', args=[region.slug, year])}']").first)
    axe.first_time(staff)
    onboard = reverse("regions:roster_leaders_onboard", args=[region.slug, year])
    clicks.click(staff.locator(f"main a[href='{onboard}']"))
    expect(staff).to_have_url(re.compile(re.escape(onboard) + "$"))
    axe.first_time(staff)
    for unit, (full_name, position, email) in zip(units, LEADERS, strict=True):
        staff.locator(f"input[name='u{unit.pk}-full_name']").fill(full_name)
        staff.locator(f"input[name='u{unit.pk}-position']").fill(position)
        staff.locator(f"input[name='u{unit.pk}-start']").fill(f"01/01/{year}")
        staff.locator(f"input[name='u{unit.pk}-email']").fill(email)
    clicks.click(staff.locator("main form button[type=submit]"))
    expect(staff.locator(".alert-success")).to_contain_text("4 leaders have been brought on board.")
    expect(staff).to_have_url(re.compile(re.escape(reverse("regions:roster_detail", args=[region.slug, year]))))
    assert clicks.count <= MAX_CLICKS, f"bringing the 4 leaders on board took {clicks.count} clicks"
    for unit, (full_name, position, email) in zip(units, LEADERS, strict=True):
        account = User.objects.get(email=email)
        appointment = Appointment.objects.get(user=account)
        assert (appointment.unit, appointment.full_name, appointment.position) == (unit, full_name, position)
        assert account.unit == unit and not account.has_usable_password()

    # 4. Each leader, in their own browser: the e-mailed link, a password, two-step sign-in, the signature.
    sign_list = reverse("pacts:my_pacts")
    for n, (unit, (full_name, _position, email)) in enumerate(zip(units, LEADERS, strict=True)):
        page = open_page()
        _in_english(page, live_server)
        _set_password(page, _invitation_link(email), axe)
        # The role requires two-step sign-in: straight to the enrolment, nothing else is open.
        expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))
        expect(page.get_by_role("heading", name="Turn two-step sign-in on", level=1)).to_be_visible()
        axe.first_time(page)
        secret = page.locator("#two-factor-secret").inner_text()
        if n == 1:
            wrong = "000000" if _code(secret) != "000000" else "111111"
            page.locator("main input[name=code]").fill(wrong)
            page.locator("main form button[type=submit]").click()
            expect(page.locator("main")).to_contain_text("This code is not right.")
            assert_accessible(page)  # the enrolment page with its error
            assert not two_factor.has_two_factor(User.objects.get(email=email))
            time.sleep(2.1)  # django-otp waits a second after a wrong code before it checks another
        page.locator("main input[name=code]").fill(_code(secret))
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".recovery-codes li")).to_have_count(10)
        axe.first_time(page)
        page.locator("main form button[type=submit]").click()  # "I have kept them: continue"
        expect(page.get_by_role("heading", name="Welcome to the emulation portal")).to_be_visible()
        axe.first_time(page)

        page.get_by_role("navigation", name="Main navigation").locator(f"a[href='{sign_list}']").click()
        axe.first_time(page)
        page.locator(f"a[href='{reverse('pacts:pact_sign', args=[pact.pk, unit.pk])}']").click()
        expect(page.get_by_role("heading", name="Confirm your password")).to_be_visible()
        page.get_by_label(label("Password")).fill(NEW_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        expect(page.locator("#signer-unit")).to_have_text(unit.name)
        axe.first_time(page)
        page.locator("input[name=consent]").check()
        page.get_by_role("button", name="Sign", exact=True).click()
        expect(page.get_by_role("heading", name="Signature recorded")).to_be_visible()
        axe.first_time(page)
        account = User.objects.get(email=email)
        assert account.check_password(NEW_PASSWORD) and two_factor.has_two_factor(account)
        signature = PactSignature.objects.get(pact=pact, unit=unit)
        assert (signature.signer, signature.signer_name) == (account, full_name)

    # 5. The region officer accepts too (no two-step sign-in for that role) and sees the pact executed.
    officer = open_page()
    _in_english(officer, live_server)
    _set_password(officer, _invitation_link(OFFICER[2]), axe)
    expect(officer.get_by_role("heading", name="Welcome to the emulation portal")).to_be_visible()
    expect(officer.locator("main")).to_contain_text("Region officer")
    officer.get_by_role("navigation", name="Main navigation").locator(
        f"a[href='{reverse('signing_progress')}']"
    ).click()
    row = officer.locator("main tr").filter(
        has=officer.locator(f"a[href='{reverse('pacts:pact_progress', args=[pact.pk])}']")
    )
    expect(row).to_contain_text("4/4")
    axe.first_time(officer)

    pact.refresh_from_db()
    assert pact.status == Pact.Status.EXECUTED
    assert pact.signatures.count() == 4
    assert User.objects.get(username=OFFICER[1]).check_password(NEW_PASSWORD)
