"""Steps every browser journey takes alike: log in, find a form field by its label, read the success message."""

import re

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def label(text: str) -> re.Pattern:
    # Playwright matches a pattern against the label's raw text, line breaks of the template included;
    # crispy forms add "*" to required labels.
    return re.compile(rf"^\s*{re.escape(text)}\*?\s*$")


def log_in(page: Page, username: str, assert_accessible=None) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    if assert_accessible:
        assert_accessible(page)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def success(page: Page, text: str) -> None:
    expect(page.locator(".alert-success").filter(has_text=text)).to_be_visible()


def menu_link(page: Page, name: str) -> None:
    """Clicks an entry of the menu bar, opening first the drop-down that holds it if it is in one (the bar
    groups entries to fit on one line, and whether an entry is grouped depends on the person's roles)."""
    nav = page.locator("header nav")
    # Queried inside each drop-down (an inner locator starts from the element it filters).
    link = page.get_by_role("link", name=name, exact=True, include_hidden=True)
    group = nav.locator("li.dropdown").filter(has=link)
    if group.count():
        group.locator(".dropdown-toggle").click()
    nav.get_by_role("link", name=name, exact=True).click()
