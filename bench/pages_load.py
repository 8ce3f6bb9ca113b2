"""The list pages of issue 16 over HTTP, against gunicorn with DEBUG off: single-request median and p95, then
a concurrent run (N connections for D seconds each) giving req/s and p95, and each page's share of /healthz's
req/s measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/pages_load.py

The data set is the one of bench/awards_pages.py (run it first: `seed_national --units 3000`,
`seed_national_pacts`, the awards data). Options: --workers N (3), --worker-class (sync), --threads N (1),
--no-preload, --connections N (8), --duration S (15), --repeat N (single requests per page, 30), --port P.
The ministry user of the other benches is logged in through a real session cookie; requests carry
X-Forwarded-Proto: https, as the TLS proxy sends it. A Python threaded client (no wrk on this machine) shares
the machine's cores with gunicorn: its figures are a floor, and /healthz pays the same.
"""

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETTINGS = """
from thidua.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
STATIC_ROOT = {static_root!r}
STORAGES["staticfiles"] = {{"BACKEND": "thidua.static_storage.ForgivingManifestStaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(share * len(ordered) + 0.5)) - 1)] if ordered else float("nan")


def pages() -> list[tuple[str, str]]:
    from django.db.models import Count

    from awards.models import ScoringTable
    from pacts.models import Pact
    from regions.models import Region, RegionMembership

    biggest = (
        RegionMembership.objects.filter(region__slug__startswith="qg-")
        .values("region_id", "region__slug", "year")
        .annotate(size=Count("id"))
        .order_by("-size", "-year")
        .first()
    )
    region = Region.objects.get(pk=biggest["region_id"])
    year, size = biggest["year"], biggest["size"]
    pact = Pact.objects.filter(campaign__region=region, campaign__year=year).order_by("-pk").first()
    table = ScoringTable.objects.filter(year=year, status="published").order_by("pk").first()
    found = [
        ("/healthz", "/healthz"),
        ("home (ministry)", "/"),
        ("unit list, page 1", "/units/"),
        ("unit list, search quang", "/units/?q=quang"),
        (f"roster {year} ({size} units)", f"/regions/{region.slug}/{year}/"),
        ("awards report", f"/awards/reports/?year={year}"),
    ]
    if pact is not None:
        found.append((f"pact progress ({pact.signatories.count()} units)", f"/pacts/{pact.pk}/progress/"))
    if table is not None:
        found.append((f"ranking ({size} units)", f"/awards/scoring/{table.pk}/regions/{region.pk}/ranking/"))
    return found


def session_cookie() -> str:
    from django.conf import settings
    from django.test import Client

    from bench import _timing

    client = Client()
    client.force_login(_timing.ministry_user())
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def get(connection: http.client.HTTPConnection, path: str, cookie: str) -> int:
    connection.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.read()
    return response.status


def single(port: int, path: str, cookie: str, repeat: int) -> tuple[int, list[float]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status = get(connection, path, cookie)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        get(connection, path, cookie)
        times.append((time.perf_counter() - started) * 1000)
    connection.close()
    return status, times


def load(port: int, path: str, cookie: str, connections: int, duration: float) -> tuple[float, float, int]:
    """req/s, p95 ms and errors of ``connections`` keep-alive clients for ``duration`` seconds."""
    stop = time.perf_counter() + duration
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def run() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                ok = get(connection, path, cookie) == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            mine.append((time.perf_counter() - started) * 1000)
            if not ok:
                with lock:
                    errors[0] += 1
        connection.close()
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(times) / (time.perf_counter() - began), percentile(times, 0.95), errors[0]


def wait_for(port: int) -> None:
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-preload", action="store_true")
    parser.add_argument("--max-requests", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL benchmark database (see the top of this script).")
    workdir = Path(tempfile.mkdtemp(prefix="pages-load-"))
    (workdir / "pages_load_settings.py").write_text(
        textwrap.dedent(SETTINGS.format(static_root=str(workdir / "static"))), encoding="utf-8"
    )
    sys.path[:0] = [str(workdir), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "pages_load_settings"
    os.environ["PYTHONPATH"] = os.pathsep.join([str(workdir), str(ROOT), os.environ.get("PYTHONPATH", "")])

    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    cookie = session_cookie()
    found = [(label, path) for label, path in pages() if label == "/healthz" or args.only in label]
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "thidua.wsgi:application", "--bind", f"127.0.0.1:{args.port}"]
    command += ["--workers", str(args.workers), "--worker-class", args.worker_class, "--threads", str(args.threads)]
    command += ["--max-requests", str(args.max_requests), "--max-requests-jitter", str(args.max_requests // 10)]
    command += ["--log-level", "warning"] + ([] if args.no_preload else ["--preload"])
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    try:
        wait_for(args.port)
        time.sleep(1)
        print(f"gunicorn {' '.join(command[3:])}; {args.connections} connections, {args.duration:.0f} s a page")
        print(f"{'page':<34} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'req/s':>8} {'p95 ms':>8} {'× healthz':>9}")
        healthz = None
        for label, path in found:
            status, times = single(args.port, path, cookie, args.repeat)
            rate, p95, errors = load(args.port, path, cookie, args.connections, args.duration)
            healthz = rate if healthz is None else healthz
            note = f"  ({errors} errors)" if errors else ""
            print(
                f"{label:<34} {status:>6} {statistics.median(times):>10.1f} {percentile(times, 0.95):>8.1f}"
                f" {rate:>8.1f} {p95:>8.1f} {rate / healthz:>9.2f}{note}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
