"""Measures what the signing page costs a leader's phone in the conference hall: the bytes transferred on a first
visit (nothing cached) and on a repeat visit, in headless Chromium at 360×740, against the portal served as in
production (DEBUG off, gunicorn, whitenoise with compressed, hashed and cached static files).

Usage, against a PostgreSQL benchmark database (the script migrates it and adds a small region with an open
pact of three units; the "viewed" audit event each visit writes is evidence and stays):

    createdb -h 127.0.0.1 -U postgres thidua_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/phone_signing_weight.py

Options: --no-migrate, --port N (default 8765), --chromium PATH (default /usr/bin/chromium).

How: the script writes a settings module deriving from thidua.settings with DEBUG off (production's static
storage, collected into a temporary directory, served by whitenoise with far-future caching of hashed names);
logs the leader in by a session it writes (password confirmed, as accounts.reauth records it); starts gunicorn;
opens the signing page in a phone-sized Chromium context and sums, per resource, the bytes Chromium received
from the network (DevTools' ``encodedDataLength``: headers and compressed body; 0 for a cache hit); then opens
the page again in the same context (a navigation, as a leader would come back to it). It also reports whether
the page scrolls sideways at 360 px. Plain http: Chromium asks for gzip there (brotli only over https), and
the HTML itself goes uncompressed unless a proxy in front compresses it (the figure "gzip" shows what it would
weigh then). Needs the development requirements (factory_boy, Playwright) and Debian's chromium.
"""

import argparse
import gzip
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SESSION_KEY_REAUTH = "reauth_at"

SETTINGS = """
from thidua.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
STATIC_ROOT = {static_root!r}
STORAGES["staticfiles"] = {{"BACKEND": "thidua.static_storage.ForgivingManifestStaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
"""


def _settings_module(workdir: Path) -> None:
    (workdir / "phone_bench_settings.py").write_text(
        textwrap.dedent(SETTINGS.format(static_root=str(workdir / "static"))), encoding="utf-8"
    )
    sys.path.insert(0, str(workdir))
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "phone_bench_settings"
    os.environ["PYTHONPATH"] = os.pathsep.join([str(workdir), str(ROOT), os.environ.get("PYTHONPATH", "")])


def _leader_session(prefix: str) -> tuple[str, str, str]:
    """A small region with an open pact; the session of a leader who may sign it; the signing page's path."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from tests.pacts.factories import make_world

    world = make_world(3, prefix=prefix)
    client = Client()
    client.force_login(world.leaders[1])
    session = client.session
    session[SESSION_KEY_REAUTH] = int(time.time())
    session.save()
    path = reverse("pacts:pact_sign", args=[world.pact.pk, world.units[1].pk])
    return settings.SESSION_COOKIE_NAME, session.session_key, path


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {url}.")


def _visit(page, cdp, url: str) -> tuple[dict[str, int], dict[str, int], int]:
    """Bytes received per resource type and per URL on one navigation, and the page's sideways overflow."""
    received: dict[str, float] = defaultdict(float)
    kinds: dict[str, str] = {}
    urls: dict[str, str] = {}

    def response(event) -> None:
        kinds[event["requestId"]] = event.get("type", "Other")
        urls[event["requestId"]] = event["response"]["url"]

    def finished(event) -> None:
        received[event["requestId"]] += event["encodedDataLength"]

    cdp.on("Network.responseReceived", response)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)
    cdp.remove_listener("Network.responseReceived", response)
    cdp.remove_listener("Network.loadingFinished", finished)
    by_kind: dict[str, int] = defaultdict(int)
    by_url: dict[str, int] = {}
    for request_id, size in received.items():
        by_kind[kinds.get(request_id, "Other")] += int(size)
        by_url[urls.get(request_id, request_id)] = int(size)
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    return dict(by_kind), by_url, overflow


def _print_visit(title: str, by_kind: dict[str, int], by_url: dict[str, int], overflow: int) -> None:
    total = sum(by_kind.values())
    print(f"\n{title}: {total / 1024:.1f} KiB received over the network")
    for kind, size in sorted(by_kind.items(), key=lambda item: -item[1]):
        print(f"  {kind:<12} {size / 1024:8.1f} KiB")
    for url, size in sorted(by_url.items(), key=lambda item: -item[1]):
        where = urlsplit(url)
        name = where.path[:70] if where.scheme.startswith("http") else f"{where.scheme}:…"
        print(f"    {size / 1024:8.1f} KiB  {name}")
    print(f"  sideways overflow at 360 px: {overflow} px")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL benchmark database (see the top of this script).")
    if not _free(args.port):
        raise SystemExit(f"Port {args.port} is taken: pass --port.")
    workdir = Path(tempfile.mkdtemp(prefix="phone-bench-"))
    _settings_module(workdir)

    import django
    from django.core.management import call_command

    django.setup()
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    cookie_name, session_key, path = _leader_session(prefix=f"phone{int(time.time())}")

    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "thidua.wsgi:application", "--bind", f"127.0.0.1:{args.port}"]
        + ["--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        _wait_for(f"{base}/healthz")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(
                viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="vi-VN"
            )
            context.add_cookies([{"name": cookie_name, "value": session_key, "url": base}])
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            first = _visit(page, cdp, base + path)
            html = page.content().encode()
            again = _visit(page, cdp, base + path)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"Signing page {path} as a leader, Chromium at 360×740, DEBUG off, static files as in production")
    _print_visit("First visit (empty cache)", *first)
    _print_visit("Repeat visit (same phone)", *again)
    print(f"\nThe page's HTML: {len(html) / 1024:.1f} KiB, {len(gzip.compress(html)) / 1024:.1f} KiB with gzip")


if __name__ == "__main__":
    main()
