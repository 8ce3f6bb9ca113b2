"""Headless Chromium (Debian's /usr/bin/chromium, no browser download) driven by Playwright,
with an axe-core accessibility check for every page a journey visits, and no page the browser
refuses anything on under the portal's Content-Security-Policy or Permissions-Policy."""

import os
import shutil

import pytest

from tests.conftest import require

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses that by default.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without these, Chromium tries to reach Google's hosts, which a closed intranet refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BLOCKING_IMPACTS = {"serious", "critical"}


# Module scope: Playwright's sync API keeps an asyncio loop running in this thread while the browser is
# open, and code that later calls asyncio.run() (pyHanko's sealing) must not find it running.
@pytest.fixture(scope="module")
def browser():
    require(shutil.which(CHROMIUM) is not None, f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


# What the browser says on its console when the portal's Content-Security-Policy or Permissions-Policy
# refuses something (an inline script, handler or style) or names a feature it does not know.
POLICY_COMPLAINTS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy", "Permissions Policy")


def _listen_for_policy_complaints(page, complaints: list[str]) -> None:
    def heard(message) -> None:
        if any(words in message.text for words in POLICY_COMPLAINTS):
            complaints.append(f"{page.url}: {message.text}")

    page.on("console", heard)


def _assert_no_policy_complaints(complaints: list[str]) -> None:
    assert not complaints, "The browser refused something under the portal's policies:\n" + "\n".join(complaints)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    complaints: list[str] = []
    context.on("page", lambda opened: _listen_for_policy_complaints(opened, complaints))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    _assert_no_policy_complaints(complaints)


@pytest.fixture
def open_page(browser, live_server):
    """A new browser (its own cookies) per person, as each signs in from their own office."""
    contexts = []
    complaints: list[str] = []

    def open_():
        context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.on("page", lambda opened: _listen_for_policy_complaints(opened, complaints))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_
    for context in contexts:
        context.close()
    _assert_no_policy_complaints(complaints)


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Fails on any serious or critical axe-core violation of the page as it is now."""

    def check(page) -> None:
        results = axe.run(page)
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in blocking
        )
        assert not blocking, f"Accessibility violations on {page.url}:\n{details}"

    return check
