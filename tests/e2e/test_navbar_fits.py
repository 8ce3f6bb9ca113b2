"""The menu bar fits on one line at 1366 × 768 (the offices' common screen), for every role, in Vietnamese
and in English: no entry wraps onto a second line and nothing is cut off."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.e2e.steps import log_in
from tests.factories import UserFactory
from tests.pacts.factories import make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREEN = {"width": 1366, "height": 768}
# A long name, as the user menu shows it: Vietnamese names of four or five words are common.
LONG_NAME = "Nguyễn Thị Phương Thảo"

MEASURE = """() => {
  const nav = document.querySelector('header nav.navbar');
  const box = (element) => element.getBoundingClientRect();
  const entries = [...nav.querySelectorAll('.navbar-brand, #main-nav > ul > li, #main-nav > form')];
  return {
    height: box(nav).height,
    overflow: nav.scrollWidth - nav.clientWidth,
    entries: entries.map((element) => ({
      text: element.innerText.trim().split('\\n')[0], top: box(element).top, bottom: box(element).bottom,
    })),
    links: [...nav.querySelectorAll('.nav-link')].map((element) => ({
      text: element.innerText, height: box(element).height,
    })),
  };
}"""


def _users() -> dict[str, object]:
    """A person of each role, with what makes their menu longest (the region officer heads a region)."""
    world = make_world(2, open_pact=False, prefix="menu")
    world.officer.full_name = LONG_NAME
    world.officer.save(update_fields=["full_name"])
    return {
        "ministry": UserFactory(username="menu.bo", full_name=LONG_NAME, roles=[Role.MINISTRY]),
        "admin": UserFactory(username="menu.quantri", full_name=LONG_NAME, roles=[Role.ADMIN]),
        "region": world.officer,
        "leader": UserFactory(username="menu.lanhdao", full_name=LONG_NAME, unit=world.units[1], roles=[Role.LEADER]),
        "ministry+admin": UserFactory(
            username="menu.bo.quantri", full_name=LONG_NAME, roles=[Role.MINISTRY, Role.ADMIN]
        ),
    }


def _assert_one_line(page, who: str, language: str) -> None:
    shape = page.evaluate(MEASURE)
    where = f"{who}, {language}: {shape}"
    brand = shape["entries"][0]
    line = (brand["top"] + brand["bottom"]) / 2
    for entry in shape["entries"]:
        # Every entry sits on the brand's line, and none is taller than one line of text.
        assert entry["top"] <= line <= entry["bottom"], where
    for link in shape["links"]:
        assert link["height"] < 48, where
    assert shape["height"] <= 64, where
    assert shape["overflow"] <= 0, where


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_roles_menu_fits_on_one_line_at_1366_pixels(browser, live_server, settings, language):
    users = _users()
    for who, user in users.items():
        context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport=SCREEN)
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            log_in(page, user.username)
            if language == "en":
                page.get_by_role("button", name="English").click()
                expect(page.locator("html")).to_have_attribute("lang", "en")
            expect(page.locator("#main-nav")).to_be_visible()
            expect(page.get_by_role("button", name=re.compile(LONG_NAME))).to_be_visible()
            _assert_one_line(page, who, language)
        finally:
            context.close()
