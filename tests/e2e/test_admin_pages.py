"""The Django admin, for IT staff: each page an administrator opens there is in Vietnamese (Django's own words
where its catalogue lacks them, django-axes' words, the portal's), names roles rather than their codes, offers no
password typing for another person, and passes axe with no serious or critical violation."""

import re

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from outbox.models import Email
from regions.models import Province
from tests.factories import PASSWORD, UnitFactory, UserFactory

from .conftest import BLOCKING_IMPACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# English the admin showed before: none of it may remain on the pages below.
ENGLISH = [
    "Reset password",
    "After you’ve created a user",
    "Choose all",
    "Access attempts",
    "Access logs",
    "Save and add another",
    "Toggle theme",
    "Model name",
    "Add link",
    "Welcome",
    "Attempted Access",
    "Attempt Remaining",
    "Meta Data",
    "Form Data",
    "User Agent",
    "Failed Logins",
    "Show counts",
    "people area",
    "Invitations",
    "Account events",
]
ROLE_CODES = re.compile(r"\b(admin|leader|ministry|region)\b")


def _assert_vietnamese_and_accessible(page, axe) -> None:
    body = page.inner_text("body")
    english = [words for words in ENGLISH if words.lower() in body.lower()]
    assert not english, f"English left on {page.url}: {english}"
    assert "bạn" not in body.lower(), f"“bạn” on {page.url}"
    # Without axe's preload: it re-reads the admin's @import-ed stylesheets into inline <style> elements, which
    # the portal's Content-Security-Policy refuses (the page fixture fails on any refusal). Its rules still run.
    results = axe.run(page, options={"preload": False})
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, f"Accessibility violations on {page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}" for v in blocking
    )


def test_an_administrator_browses_the_admin_in_vietnamese_and_axe_clean(page, axe):
    admin = UserFactory(username="quantri.it", full_name="Phạm Quốc Bảo", roles=[Role.ADMIN])
    province = Province.objects.create(code="test-qt", name="tỉnh Quảng Trị")
    unit = UnitFactory(name="Sở Tư pháp tỉnh Quảng Trị", province=province)
    person = UserFactory(username="lanhdao.qt", full_name="Hoàng Văn Minh", unit=unit, roles=[Role.LEADER])
    attempt = AccessAttempt.objects.create(
        username="ke.do.mat.khau",
        ip_address="10.0.0.9",
        user_agent="Mozilla/5.0",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=3,
        attempt_time=timezone.now(),
    )
    Email.objects.create(to="lanhdao@example.vn", subject="Giao ước thi đua", body="Mời ký", kind="t")

    page.goto("/admin/")
    page.get_by_label("Tên đăng nhập").fill(admin.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    _assert_vietnamese_and_accessible(page, axe)

    page.goto("/admin/accounts/user/")
    row = page.locator("#result_list tbody tr").filter(has_text="Hoàng Văn Minh")
    expect(row).to_contain_text("Lãnh đạo đơn vị")
    expect(row).to_contain_text("Sở Tư pháp tỉnh Quảng Trị (tỉnh Quảng Trị")
    expect(page.get_by_role("link", name="Mời người dùng mới trong khu vực Người dùng")).to_be_visible()
    _assert_vietnamese_and_accessible(page, axe)

    page.goto(f"/admin/accounts/user/{person.pk}/change/")
    expect(page.locator(".field-roles .readonly")).to_have_text("Lãnh đạo đơn vị")
    assert not ROLE_CODES.search(page.locator(".field-roles").inner_text())
    expect(page.locator("input[type=password]")).to_have_count(0)
    expect(page.get_by_role("link", name="Mở trong khu vực Người dùng")).to_have_attribute(
        "href", f"/people/{person.pk}/"
    )
    _assert_vietnamese_and_accessible(page, axe)

    page.goto("/admin/auth/group/")
    expect(page.locator("#result_list")).to_contain_text("Cán bộ khu vực thi đua")
    assert not ROLE_CODES.search(page.locator("#result_list").inner_text())
    _assert_vietnamese_and_accessible(page, axe)
    page.locator("#result_list").get_by_role("link", name="Lãnh đạo đơn vị").click()
    expect(page.locator(".breadcrumbs")).to_contain_text("Lãnh đạo đơn vị")
    _assert_vietnamese_and_accessible(page, axe)

    page.goto("/admin/axes/accessattempt/")
    expect(page.locator("#result_list")).to_contain_text("còn 2 lần thử")
    _assert_vietnamese_and_accessible(page, axe)
    page.goto(f"/admin/axes/accessattempt/{attempt.pk}/change/")
    expect(page.locator(".breadcrumbs")).to_contain_text("Lượt đăng nhập của “ke.do.mat.khau”")
    _assert_vietnamese_and_accessible(page, axe)

    for url in [
        "/admin/pacts/pdfjob/",
        "/admin/pacts/pact/",
        "/admin/outbox/email/",
        "/admin/accounts/invitation/",
        "/admin/accounts/accountevent/",
    ]:
        page.goto(url)
        _assert_vietnamese_and_accessible(page, axe)

    # Creating an account in the admin leads to the people area, where the person is invited to set a password.
    page.goto("/admin/accounts/user/add/")
    expect(page).to_have_url(re.compile(r"/people/new/|/accounts/confirm-password/"))
    expect(page.locator("input[name=password1]")).to_have_count(0)
