"""Ministry staff invite a leader from the people area; the leader sets their own password through the e-mailed
link in their own browser. Every page passes axe with no serious or critical violation.

The area's words are checked in English (the language cookie): its Vietnamese arrives with the catalogue."""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role, User
from tests.e2e.steps import menu_link
from tests.factories import PASSWORD, UnitFactory, UserFactory

from .steps import label

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Giao-uoc-thi-dua-2027!"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/\S+/)")


def _in_english(page, live_server) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])


def test_ministry_staff_invite_a_leader_who_sets_their_own_password(open_page, live_server, assert_accessible):
    UserFactory(username="bo.thidua", full_name="Trần Thị Minh Hằng", roles=[Role.MINISTRY])
    unit = UnitFactory(name="Sở Tư pháp tỉnh Quảng Bình")

    staff = open_page()
    _in_english(staff, live_server)
    staff.goto("/accounts/login/")
    staff.get_by_label(label("Username")).fill("bo.thidua")
    staff.get_by_label(label("Password")).fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    menu_link(staff, "Users")
    expect(staff.get_by_role("heading", name="Users")).to_be_visible()
    assert_accessible(staff)

    staff.get_by_role("link", name="Invite a person").click()
    staff.get_by_label(label("Password")).fill(PASSWORD)  # sudo mode before changing accounts
    staff.get_by_role("button", name="Confirm").click()
    expect(staff.get_by_role("heading", name="Invite a person")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_role("button", name="Create the account and send the invitation").click()
    expect(staff.get_by_text("Enter the person's full name.")).to_be_visible()
    assert_accessible(staff)

    staff.get_by_label(label("Full name")).fill("Hoàng Văn Minh")
    staff.get_by_label(label("Username")).fill("minh.hv")
    staff.get_by_label(label("E-mail")).fill("minh.hv@sotuphap.example.vn")
    staff.get_by_label(label("Position")).fill("Giám đốc")
    staff.get_by_label(label("Unit")).select_option(label=unit.name)
    staff.get_by_label("Unit leader").check()
    staff.get_by_role("button", name="Create the account and send the invitation").click()
    expect(staff.locator(".alert-success")).to_contain_text("an invitation sent to minh.hv@sotuphap.example.vn")
    expect(staff.locator(".badge").filter(has_text="Invitation not yet accepted")).to_be_visible()
    assert_accessible(staff)

    (message,) = [m for m in mail.outbox if m.to == ["minh.hv@sotuphap.example.vn"]]
    link = LINK.search(message.body).group(1)

    leader = open_page()
    _in_english(leader, live_server)
    leader.goto(link)
    expect(leader.get_by_role("heading", name="Set your password")).to_be_visible()
    assert "set-password" in leader.url
    assert_accessible(leader)
    leader.get_by_label(label("New password")).fill(NEW_PASSWORD)
    leader.get_by_label(label("New password confirmation")).fill(NEW_PASSWORD)
    leader.get_by_role("button", name="Save the password and log in").click()
    expect(leader.get_by_role("heading", name="Welcome to the emulation portal")).to_be_visible()
    expect(leader.get_by_text("Unit leader")).to_be_visible()
    assert_accessible(leader)
    assert User.objects.get(username="minh.hv").check_password(NEW_PASSWORD)

    again = open_page()
    _in_english(again, live_server)
    again.goto(link)
    expect(again.get_by_role("heading", name="This invitation link does not work")).to_be_visible()
    expect(again.get_by_text("accepted already")).to_be_visible()
    assert_accessible(again)

    menu_link(staff, "Users")
    staff.get_by_label(label("Search")).fill("hoang van minh")
    staff.get_by_role("button", name="Filter").click()
    row = staff.get_by_role("row").filter(has_text="Hoàng Văn Minh")
    expect(row).to_contain_text("Unit leader")
    expect(row).to_contain_text("Active")
