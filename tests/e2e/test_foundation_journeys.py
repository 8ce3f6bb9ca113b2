"""Journeys through the foundation in a real browser: log-in, dashboard, language, lockout."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, username: str, password: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_ministry_staff_log_in_in_vietnamese_switch_to_english_and_log_out(page, assert_accessible):
    UserFactory(username="bo.thidua", full_name="Trần Thị Minh Hằng", roles=[Role.MINISTRY])

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    assert_accessible(page)

    _log_in(page, "bo.thidua", PASSWORD)
    expect(page.get_by_role("heading", name="Xin chào đồng chí Trần Thị Minh Hằng")).to_be_visible()
    expect(page.get_by_role("heading", name="Cán bộ Bộ")).to_be_visible()
    # The Django admin is for IT staff (administrators) only: ministry staff work in the portal's pages.
    expect(page.get_by_role("link", name="Quản trị dữ liệu", include_hidden=True)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Ministry staff")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Trần Thị Minh Hằng").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert_accessible(page)


def test_five_wrong_passwords_lock_the_login_with_a_neutral_message(page, assert_accessible):
    UserFactory(username="lanhdao.quangbinh", full_name="Mai Công Danh", roles=[Role.LEADER])

    page.goto("/accounts/login/")
    for _ in range(4):
        _log_in(page, "lanhdao.quangbinh", "mat-khau-sai")
        expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng")).to_be_visible()
    assert_accessible(page)

    _log_in(page, "lanhdao.quangbinh", "mat-khau-sai")
    expect(page.locator("#lockout-message")).to_contain_text("tạm khóa 15 phút")

    _log_in(page, "lanhdao.quangbinh", PASSWORD)
    expect(page.locator("#lockout-message")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_have_count(0)
    assert_accessible(page)


def test_the_menu_collapses_on_a_phone(browser, live_server, assert_accessible):
    UserFactory(username="lanhdao.phone", full_name="Mai Công Danh", roles=[Role.LEADER])
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/")
    _log_in(page, "lanhdao.phone", PASSWORD)
    expect(page.get_by_role("link", name="Trang chủ")).to_be_hidden()
    page.get_by_role("button", name="Hiện trình đơn").click()
    expect(page.get_by_role("link", name="Trang chủ")).to_be_visible()
    assert_accessible(page)
    context.close()
