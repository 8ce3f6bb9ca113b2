"""Ministry staff bring the 4 leaders of a region's roster on board from the roster page, in at most 15 clicks:
two leaders recorded without an account get one by their e-mail address, two new heads are recorded with theirs.
Each leader accepts the invitation in their own browser and sets a password; one of them then signs the region's
open pact. Every page passes axe with no serious or critical violation.

The pages are read in English (the language cookie): the new words reach Vietnamese with the catalogue."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role, User
from pacts import services as pact_services
from pacts.models import PactSignature
from regions import services
from regions.models import Appointment, RegionMembership
from tests.factories import PASSWORD, UserFactory
from tests.regions.factories import make_region, make_unit

from .steps import label

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_CLICKS = 15
NEW_PASSWORD = "Giao-uoc-thi-dua-2027!"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/\S+/)")
NEW_HEADS = [("Đinh Thị Thu Hà", "ha.dtt@stp-quangtri.example.vn"), ("Võ Văn Kiệt", "kiet.vv@stp-hue.example.vn")]
RECORDED = [("Lê Quang Vinh", "vinh.lq@stp-quangbinh.example.vn"), ("Phan Thị Lan", "lan.pt@stp-nghean.example.vn")]


def _in_english(page, live_server) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])


class Clicks:
    """Counts every click (and choice in a list) of ministry staff."""

    def __init__(self) -> None:
        self.count = 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()


@pytest.fixture
def world(transactional_db):
    year = timezone.localdate().year
    region = make_region("Khu vực thi đua Bắc Trung bộ")
    units = [
        make_unit(name, active_from=date(2000, 1, 1))
        for name in (
            "Sở Tư pháp tỉnh Quảng Bình",
            "Sở Tư pháp tỉnh Nghệ An",
            "Sở Tư pháp tỉnh Quảng Trị",
            "Sở Tư pháp thành phố Huế",
        )
    ]
    for n, unit in enumerate(units):
        role = RegionMembership.Role.HEAD if n == 0 else RegionMembership.Role.MEMBER
        services.membership_add(region=region, unit=unit, year=year, role=role)
    for unit, (name, _email) in zip(units[:2], RECORDED, strict=True):
        services.appointment_start(unit=unit, full_name=name, position="Giám đốc", start=date(2023, 3, 1))
    officer = UserFactory(username="canbo.khuvuc", full_name="Lê Hoàng Nam", unit=units[0], roles=[Role.REGION])
    campaign = pact_services.campaign_create(
        region=region, year=year, title=f"Kế hoạch thi đua năm {year}", actor=officer, conference_place="Đồng Hới"
    )
    pact = pact_services.pact_create(campaign=campaign, actor=officer)
    pact_services.pact_update_draft(pact=pact, actor=officer, clauses=["Hoàn thành xuất sắc nhiệm vụ được giao."])
    pact = pact_services.pact_open(pact=pact, deadline=timezone.now() + timedelta(days=14), actor=officer)
    staff = UserFactory(username="bo.thidua", full_name="Trần Thị Minh Hằng", roles=[Role.MINISTRY])
    return {"region": region, "year": year, "units": units, "pact": pact, "staff": staff}


def test_ministry_staff_onboard_four_leaders_from_the_roster_in_at_most_15_clicks(
    world, open_page, live_server, assert_accessible
):
    region, year, units = world["region"], world["year"], world["units"]
    staff = open_page()
    _in_english(staff, live_server)
    staff.goto("/accounts/login/")
    staff.get_by_label(label("Username")).fill("bo.thidua")
    staff.get_by_label(label("Password")).fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.goto(f"/regions/{region.slug}/{year}/")  # the roster page: counting starts here

    clicks = Clicks()
    clicks.click(staff.get_by_role("link", name="Bring leaders on board"))
    expect(staff.get_by_role("heading", name="Confirm your password")).to_be_visible()
    staff.get_by_label(label("Password")).fill(PASSWORD)
    clicks.click(staff.get_by_role("button", name="Confirm"))
    expect(staff.get_by_role("heading", name="Bring leaders on board")).to_be_visible()
    assert_accessible(staff)

    for name, email in RECORDED:
        staff.get_by_label(re.compile(rf"^E-mail · {name} · ")).fill(email)
    for (name, email), unit in zip(NEW_HEADS, units[2:], strict=True):
        row = staff.locator(f"#row-u{unit.pk}")
        row.get_by_label(re.compile(r"^Full name · ")).fill(name)
        row.get_by_label(re.compile(r"^Position · ")).fill("Giám đốc")
        row.get_by_label(re.compile(r"^From · ")).fill("01/01/2025")
        row.get_by_label(re.compile(r"^E-mail · ")).fill(email)
    # A mistake first: a new head without a from-date; nothing is saved, the row says why.
    staff.locator(f"#row-u{units[3].pk}").get_by_label(re.compile(r"^From · ")).fill("")
    clicks.click(staff.get_by_role("button", name="Create the accounts and send the invitations"))
    expect(staff.locator("#onboard-errors")).to_contain_text("1 row has errors: nothing was saved")
    expect(staff.locator(f"#row-u{units[3].pk}")).to_contain_text("Enter the date (dd/mm/yyyy).")
    assert not User.objects.filter(email__in=[email for _name, email in RECORDED + NEW_HEADS]).exists()
    assert_accessible(staff)
    staff.locator(f"#row-u{units[3].pk}").get_by_label(re.compile(r"^From · ")).fill("01/01/2025")
    clicks.click(staff.get_by_role("button", name="Create the accounts and send the invitations"))
    expect(staff.locator(".alert-success")).to_contain_text("4 leaders have been brought on board.")
    assert_accessible(staff)
    assert clicks.count <= MAX_CLICKS, f"{clicks.count} clicks"

    leaders = []
    for name, email in RECORDED + NEW_HEADS:
        account = User.objects.get(email=email)
        appointment = Appointment.objects.get(user=account)
        assert appointment.full_name == name and account.unit == appointment.unit
        (message,) = [m for m in mail.outbox if m.to == [email] and "/accounts/invitation/" in m.body]
        leaders.append((account, LINK.search(message.body).group(1)))

    for n, (account, link) in enumerate(leaders):
        page = open_page()
        _in_english(page, live_server)
        page.goto(link)
        expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
        if n == 0:
            assert_accessible(page)
        page.get_by_label(label("New password")).fill(NEW_PASSWORD)
        page.get_by_label(label("New password confirmation")).fill(NEW_PASSWORD)
        page.get_by_role("button", name="Save the password and log in").click()
        expect(page.get_by_role("heading", name="Welcome to the emulation portal")).to_be_visible()
        assert User.objects.get(pk=account.pk).check_password(NEW_PASSWORD)
        if n == 0:
            signer = page

    # The first, who led the unit before they had an account, signs the region's open pact.
    unit = units[0]
    signer.get_by_role("navigation").get_by_role("link", name="Pacts to sign", exact=True).click()
    row = signer.locator("#to-sign").get_by_role("row").filter(has_text=unit.name)
    expect(row).to_be_visible()
    row.get_by_role("link", name=f"Sign {unit.name}").click()
    expect(signer.get_by_role("heading", name="Confirm your password")).to_be_visible()
    signer.get_by_label(label("Password")).fill(NEW_PASSWORD)
    signer.get_by_role("button", name="Confirm").click()
    signer.get_by_label(re.compile(r"I have read the whole text of the pact above")).check()
    signer.get_by_role("button", name="Sign", exact=True).click()
    expect(signer.get_by_role("heading", name="Signature recorded")).to_be_visible()
    assert PactSignature.objects.filter(pact=world["pact"], unit=unit, signer=leaders[0][0]).exists()
