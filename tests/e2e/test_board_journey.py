"""Issue 17's conference day in real browsers: the live board on the hall's projector (1920×1080) and two leaders
signing from their phones (360×740). Each signature shows on the board within 2 s of the signing response; the
server the board talks to is stopped and started again in the middle, and the board, after saying it is
reconnecting, carries on; the last signature turns the board into the executed pact's summary with its
verification QR code. The phone's signing page passes axe and does not scroll sideways.

The board is served by a gunicorn of its own (sync workers, as in production) on the test database, so that
the test can restart it; the phones use the live server. With BOARD_SCREENSHOTS=1 the test writes the board,
empty, half signed and complete, to docs/board-empty.png, docs/board-half.png and docs/board-complete.png; with
BOARD_EXTRA_LOCALE naming a .po file of strings not merged into locale/ yet, the board's server reads it first
(compiled with msgfmt into a directory of its own), so that the screenshots show the board in Vietnamese.
"""

import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from playwright.sync_api import Page, expect

from pacts import board, services
from pacts.models import Pact
from tests.e2e.conftest import _assert_no_policy_complaints, _listen_for_policy_complaints
from tests.e2e.steps import label, log_in
from tests.factories import PASSWORD
from tests.pacts.factories import PactWorld, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
DOCS = ROOT / "docs"
SCREENSHOTS = os.environ.get("BOARD_SCREENSHOTS") == "1"
UNITS = 8
PHONE = {"width": 360, "height": 740}
PROJECTOR = {"width": 1920, "height": 1080}
ON_THE_BOARD_MS = 2_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SETTINGS_WITH_EXTRA_LOCALE = """
from thidua.settings import *  # noqa: F403

LOCALE_PATHS = [{locale!r}, *LOCALE_PATHS]  # noqa: F405
"""


def _extra_locale(workdir: Path, po_file: str) -> Path:
    """A settings module reading the messages of ``po_file`` before the portal's own (see the module's text)."""
    messages = workdir / "locale" / "vi" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    subprocess.run(["msgfmt", "-o", str(messages / "django.mo"), po_file], check=True)
    (workdir / "board_screenshot_settings.py").write_text(
        SETTINGS_WITH_EXTRA_LOCALE.format(locale=str(workdir / "locale")), encoding="utf-8"
    )
    return workdir


class BoardServer:
    """gunicorn serving the portal on the test database, which the test can stop and start again."""

    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "thidua.settings"),
            "DEBUG": "true",
        }
        if SCREENSHOTS and os.environ.get("BOARD_EXTRA_LOCALE"):
            _extra_locale(workdir, os.environ["BOARD_EXTRA_LOCALE"])
            self.env["DJANGO_SETTINGS_MODULE"] = "board_screenshot_settings"
            self.env["PYTHONPATH"] = os.pathsep.join([str(workdir), str(ROOT), os.environ.get("PYTHONPATH", "")])
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "thidua.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", "2", "--log-level", "warning"],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):  # noqa: S310 (our own server)
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the board's server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


@pytest.fixture
def world(transactional_db) -> PactWorld:
    world = make_world(UNITS)
    # The ceremony calls the last unit first; the seventh's leader is absent: it signs after the conference.
    positions = {unit.pk: n for n, unit in enumerate(world.units, start=1)}
    positions[world.units[UNITS - 1].pk] = 1
    after = {world.units[6].pk}
    board.ceremony_set_order(pact=world.pact, positions=positions, after_conference=after, actor=world.officer)
    return world


@pytest.fixture
def board_server(world, tmp_path):
    server = BoardServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def contexts(browser, live_server):
    made, complaints = [], []

    def new(viewport: dict, base_url: str = ""):
        context = browser.new_context(
            locale="vi-VN",
            base_url=base_url or live_server.url,
            viewport=viewport,
            is_mobile=viewport is PHONE,
            has_touch=True,
        )
        context.on("page", lambda opened: _listen_for_policy_complaints(opened, complaints))
        made.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield new
    for context in made:
        context.close()
    _assert_no_policy_complaints(complaints)


def _unit(board_page: Page, world: PactWorld, n: int):
    return board_page.locator(f'#board-units li[data-unit="{world.units[n].pk}"]')


def _sign_on_the_phone(phone: Page, world: PactWorld, n: int, assert_accessible=None) -> None:
    """The leader of unit ``n`` scans the board's QR code, logs in, confirms the password and signs."""
    phone.goto(reverse("pacts:board_sign_start", args=[world.pact.pk]))
    expect(phone.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    phone.get_by_label("Tên đăng nhập").fill(world.leaders[n].username)
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    confirm = phone.get_by_role("heading", name="Xác nhận mật khẩu", level=1)
    signing = phone.get_by_role("heading", name="Ký giao ước", level=1)
    expect(confirm.or_(signing)).to_be_visible()
    if confirm.is_visible():
        phone.get_by_label(label("Mật khẩu")).fill(PASSWORD)
        phone.get_by_role("button", name="Xác nhận").click()
    expect(signing).to_be_visible()
    expect(phone.locator("#signer-unit")).to_have_text(world.units[n].name)
    # Made for the phone: nothing wider than the screen, the button within reach and as wide as the screen.
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    button = phone.get_by_role("button", name="Ký", exact=True)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box["width"] >= PHONE["width"] * 0.8 and box["height"] >= 44
    if assert_accessible:
        assert_accessible(phone)
    phone.get_by_label(re.compile(r"Tôi đã đọc toàn bộ nội dung giao ước")).check()
    button.click()
    expect(phone.get_by_role("heading", name="Đã ghi nhận chữ ký", level=1)).to_be_visible()


def _sign_elsewhere(world: PactWorld, n: int) -> None:
    pact = Pact.objects.get(pk=world.pact.pk)
    services.pact_sign(
        pact=pact, unit=world.units[n], user=world.leaders[n], consent=True, content_hash=pact.content_hash
    )


def _screenshot(board_page: Page, name: str) -> None:
    if SCREENSHOTS:
        board_page.screenshot(path=str(DOCS / f"board-{name}.png"))


def test_the_hall_watches_the_pact_signed_from_the_leaders_phones(world, board_server, contexts, assert_accessible):
    link = board.board_link_create(pact=world.pact, hours=4, actor=world.officer)
    screen = contexts(PROJECTOR, board_server.url)
    screen.goto(reverse("pacts:board", args=[link.token]))
    expect(screen.locator("#board-units li")).to_have_count(UNITS)
    expect(screen.locator("#board-signed")).to_have_text("0")
    expect(screen.locator("#board-total")).to_have_text(str(UNITS))
    # The unit the ceremony calls first is highlighted; the absent one is marked.
    expect(screen.locator("#board-units li").first).to_have_attribute("data-unit", str(world.units[UNITS - 1].pk))
    expect(_unit(screen, world, UNITS - 1)).to_have_class(re.compile(r"\bis-next\b"))
    expect(screen.locator("#board-next-name")).to_have_text(world.units[UNITS - 1].name)
    expect(_unit(screen, world, 6)).to_have_class(re.compile(r"\bis-after\b"))
    expect(screen.locator("#board-live .board-qr img")).to_be_visible()
    assert_accessible(screen)
    _screenshot(screen, "empty")

    # The first leader signs from the phone: the board shows it within 2 s of the signing response.
    first = contexts(PHONE)
    _sign_on_the_phone(first, world, UNITS - 1, assert_accessible)
    signed = _unit(screen, world, UNITS - 1)
    expect(signed).to_have_class(re.compile(r"\bis-signed\b"), timeout=ON_THE_BOARD_MS)
    expect(signed).to_contain_text(world.leaders[UNITS - 1].full_name, timeout=ON_THE_BOARD_MS)
    expect(screen.locator("#board-signed")).to_have_text("1", timeout=ON_THE_BOARD_MS)
    expect(_unit(screen, world, 0)).to_have_class(re.compile(r"\bis-next\b"), timeout=ON_THE_BOARD_MS)

    # The server restarts in the middle of the ceremony: the board says it is reconnecting, then carries on.
    board_server.stop()
    expect(screen.locator("#board-reconnecting")).to_be_visible(timeout=10_000)
    board_server.start()
    expect(screen.locator("#board-reconnecting")).to_be_hidden(timeout=15_000)

    second = contexts(PHONE)
    _sign_on_the_phone(second, world, 0)
    expect(_unit(screen, world, 0)).to_have_class(re.compile(r"\bis-signed\b"), timeout=ON_THE_BOARD_MS)
    expect(_unit(screen, world, 0)).to_contain_text(world.leaders[0].full_name, timeout=ON_THE_BOARD_MS)
    expect(screen.locator("#board-signed")).to_have_text("2", timeout=ON_THE_BOARD_MS)

    for n in (1, 2):
        _sign_elsewhere(world, n)
    expect(screen.locator("#board-signed")).to_have_text("4", timeout=ON_THE_BOARD_MS)
    expect(_unit(screen, world, 3)).to_have_class(re.compile(r"\bis-next\b"), timeout=ON_THE_BOARD_MS)
    _screenshot(screen, "half")

    # The absent unit signs later too: the last signature executes the pact, and the board shows the summary.
    for n in (3, 4, 5, 6):
        _sign_elsewhere(world, n)
    done = screen.locator("#board-done")
    expect(done).to_be_visible(timeout=ON_THE_BOARD_MS)
    expect(screen.locator("#board-live")).to_be_hidden()
    expect(screen.locator("#board-done-signed")).to_have_text(str(UNITS))
    pact = Pact.objects.get(pk=world.pact.pk)
    expect(screen.locator("#board-verify-code")).to_have_text(pact.verification_code)
    expect(screen.locator("#board-verify-url")).to_have_text(board.printed_verification_url(pact))
    expect(screen.locator("#board-verify-qr")).to_be_visible()
    assert_accessible(screen)
    _screenshot(screen, "complete")


def test_a_revoked_link_stops_the_board_that_shows_it(world, live_server, contexts):
    link = board.board_link_create(pact=world.pact, hours=4, actor=world.officer)
    screen = contexts(PROJECTOR, live_server.url)
    screen.goto(reverse("pacts:board", args=[link.token]))
    expect(screen.locator("#board-units li")).to_have_count(UNITS)
    board.board_link_revoke(link=link, actor=world.officer)
    expect(screen.locator("#board-gone")).to_be_visible(timeout=ON_THE_BOARD_MS)
    expect(screen.locator("#board-live")).to_be_hidden()
    response = screen.goto(reverse("pacts:board", args=[link.token]))
    assert response.status == 410


def test_the_region_officer_prepares_the_board_and_the_order_of_the_ceremony(world, contexts, assert_accessible):
    page = contexts({"width": 1280, "height": 900})
    log_in(page, world.officer.username)
    page.goto(reverse("pacts:pact_detail", args=[world.pact.pk]))
    page.locator("#board-link").click()
    expect(page).to_have_url(re.compile(r"/board/$"))
    assert_accessible(page)
    page.locator("#board-link-form button[type=submit]").click()
    link_cell = page.locator("#board-links .board-link-url")
    expect(link_cell).to_have_count(1)
    board_url = link_cell.get_attribute("href")
    assert board_url.endswith(f"/board/{world.pact.board_links.get().token}/")
    assert_accessible(page)

    page.goto(reverse("pacts:ceremony", args=[world.pact.pk]))
    rows = page.locator("#ceremony tbody tr")
    expect(rows.first).to_have_attribute("data-unit", str(world.units[UNITS - 1].pk))
    assert_accessible(page)
    # Down one place with the row's button; the absent unit called up again.
    page.locator(f'button[value="down {world.units[UNITS - 1].pk}"]').click()
    expect(rows.nth(1)).to_have_attribute("data-unit", str(world.units[UNITS - 1].pk))
    page.locator(f'button[value="back {world.units[6].pk}"]').click()
    expect(page.locator(f"#unit-{world.units[6].pk}")).not_to_have_class(re.compile("table-warning"))
    # A place typed out of range is refused with the reason next to the box; a good one is saved.
    box = page.locator(f'input[name="place_{world.units[2].pk}"]')
    box.fill("99")
    page.locator("#ceremony-form > button[type=submit]").click()
    expect(box).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    box.fill("1")
    page.locator("#ceremony-form > button[type=submit]").click()
    expect(rows.first).to_have_attribute("data-unit", str(world.units[2].pk))
    assert [p.slot.unit_id for p in board.ceremony_order(world.pact)][0] == world.units[2].pk

    # The board link, revoked from the links page, stops working.
    page.goto(reverse("pacts:board_links", args=[world.pact.pk]))
    page.locator("#board-links button[type=submit]").click()
    expect(page.locator("#board-links .board-link-url")).to_have_count(0)
    assert page.request.get(board_url).status == 410
