"""The menu bar fits on one line at 1366 × 768 (the offices' common screen), for every role, in Vietnamese
and in English: no entry wraps onto a second line and nothing is cut off."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from awards.services import scoring as scoring_services
from tests.awards.factories import make_table
from tests.e2e.steps import log_in
from tests.factories import UserFactory
from tests.pacts.factories import make_world
from tests.thidua.test_next_steps import scored

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
    world = make_world(2, prefix="menu")  # an open pact: the officer's home shows its progress
    for person in (world.officer, world.leaders[1]):
        person.full_name = LONG_NAME
        person.save(update_fields=["full_name"])
    # A sheet sent back to the leader and one awaiting the officer's review: both homes show their next steps.
    table = make_table(world.campaign.year)
    returned = scored(table, world.units[1], world.leaders[1])
    scoring_services.sheet_return_to_unit(sheet=returned, actor=world.officer, reason="Bổ sung minh chứng.")
    scored(table, world.units[0], world.leaders[0])
    return {
        "ministry": UserFactory(username="menu.bo", full_name=LONG_NAME, roles=[Role.MINISTRY]),
        "admin": UserFactory(username="menu.quantri", full_name=LONG_NAME, roles=[Role.ADMIN]),
        "region": world.officer,
        "leader": world.leaders[1],  # the head of a unit of the region, who may sign
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
def test_every_roles_menu_fits_on_one_line_at_1366_pixels(browser, live_server, assert_accessible, language):
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
            if who == "leader":
                expect(page.locator("#sheets-returned")).to_contain_text("Bổ sung minh chứng.")
            if who == "region":
                expect(page.locator("#region-sheets-awaiting a")).to_have_count(1)
            assert_accessible(page)  # the home page, with each role's next steps
        finally:
            context.close()
