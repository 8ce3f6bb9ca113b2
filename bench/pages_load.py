"""The pages of issue 16 over HTTP, against gunicorn in production mode: single-request median and p95, then
a concurrent run (N connections for D seconds each) giving req/s and p95, and each page's share of /healthz's
req/s measured in the same run; with --demo-database, each page's single-request time on the demo set and
its ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench REDIS_URL=redis://127.0.0.1:6379/5 \
        .venv/bin/python bench/pages_load.py --demo-database postgres://postgres@127.0.0.1:5432/thidua_demo

The country set is the one of bench/awards_pages.py (run it first: `seed_national --units 3000`,
`seed_national_pacts`, the awards data); the demo set a database where `manage.py seed_demo` ran. Each page is
taken at its biggest case on each set (pages()). gunicorn runs as the Dockerfile starts it, with DEBUG=false
and what a deployment sets (a secret made for the run, ALLOWED_HOSTS, SITE_URL; REDIS_URL as given), so that
the production settings apply: persistent database connections, the static manifest (collectstatic runs
first), secure cookies. Options: --workers N (3), --worker-class (sync), --threads N (1), --no-preload,
--connections N (8), --duration S (15), --repeat N (single requests per page, 30), --port P, --only TEXT.
Each page is logged in through a real session cookie (a leader's, with the password just confirmed, for the
signing page); requests carry X-Forwarded-Proto: https, as the TLS proxy sends it. The concurrent run uses wrk
(`apt-get install wrk`; --client wrk, the default when it is installed: 2 threads) or a Python threaded client
(--client python), which shares the machine's cores with gunicorn far more than wrk does.
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_environment(port: int) -> dict[str, str]:
    """What a deployment sets (README): DEBUG off, so every production setting applies (persistent database
    connections, the static manifest, secure cookies, the proxy's https); a secret made for the run."""
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "thidua.settings",
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(share * len(ordered) + 0.5)) - 1)] if ordered else float("nan")


@dataclass
class Page:
    key: str  # the same page on the country set and on the demo set
    label: str
    path: str
    cookie: str


def _session_cookie(user, *, signing: bool = False) -> str:
    """A real session of ``user``; with ``signing``, the password confirmed a moment ago (accounts.reauth),
    as the signing page asks of a leader."""
    from django.conf import settings
    from django.test import Client

    from accounts.reauth import SESSION_KEY

    client = Client()
    client.force_login(user)
    if signing:
        session = client.session
        session[SESSION_KEY] = int(time.time())  # fresh for settings.REAUTH_MINUTES
        session.save()
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def pages() -> list[Page]:
    """The pages of issue 16 on the database in use, each on its biggest case: the biggest region-year's
    roster, the open pact with the most units (its progress, and its signing page for a pending unit's head),
    the year with the most registrations, the published scoring table with the most sheets and the region
    with the most of them. The same choice on the country set and on the demo set."""
    from django.db.models import Count
    from django.utils import timezone

    from awards.models import AwardRegistration, ScoreSheet
    from bench import _timing
    from pacts.models import Pact
    from pacts.selectors import pending_slots
    from regions.models import Region, RegionMembership
    from regions.selectors import appointments_on

    ministry = _session_cookie(_timing.ministry_user())
    biggest = (
        RegionMembership.objects.values("region_id", "year").annotate(size=Count("id")).order_by("-size", "-year")
    ).first()
    region = Region.objects.get(pk=biggest["region_id"])
    year, size = biggest["year"], biggest["size"]
    found = [
        Page("healthz", "/healthz", "/healthz", ministry),
        Page("home", "home (ministry)", "/", ministry),
        Page("units", "unit list, page 1", "/units/", ministry),
        Page("search", "unit list, search quang", "/units/?q=quang", ministry),
        Page("roster", f"roster {year} ({size} units)", f"/regions/{region.slug}/{year}/", ministry),
    ]
    report_year = (
        AwardRegistration.objects.values("campaign__year").annotate(n=Count("id")).order_by("-n").first() or {}
    ).get("campaign__year")
    if report_year:
        found.append(Page("report", "awards report", f"/awards/reports/?year={report_year}", ministry))
    pact = (
        Pact.objects.filter(status=Pact.Status.OPEN).annotate(size=Count("signatories")).order_by("-size", "pk").first()
    )
    if pact is not None:
        units = pact.signatories.count()
        found.append(Page("progress", f"pact progress ({units} units)", f"/pacts/{pact.pk}/progress/", ministry))
        for slot in pending_slots(pact):
            head = appointments_on(slot.unit, timezone.localdate()).filter(user__isnull=False).first()
            if head is not None:
                cookie = _session_cookie(head.user, signing=True)
                path = f"/pacts/{pact.pk}/sign/{slot.unit_id}/"
                found.append(Page("signing", f"signing page ({units} units)", path, cookie))
                break
    sheets = (
        ScoreSheet.objects.filter(table__status="published")
        .values("table_id", "table__year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if sheets is not None:
        ranked = (
            RegionMembership.objects.filter(year=sheets["table__year"], unit__score_sheets__table_id=sheets["table_id"])
            .values("region_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        path = f"/awards/scoring/{sheets['table_id']}/regions/{ranked['region_id']}/ranking/"
        found.append(Page("ranking", f"ranking ({ranked['n']} units)", path, ministry))
    return found


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


WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("WRK %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(95), summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def load_wrk(port: int, path: str, cookie: str, connections: int, duration: float) -> tuple[float, float, int]:
    """req/s, p95 ms and errors (non-2xx/3xx answers and socket errors) of wrk with 2 threads."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        command = ["wrk", "-t2", f"-c{connections}", f"-d{duration:.0f}s", "-s", script.name]
        command += ["-H", f"Cookie: {cookie}", "-H", "X-Forwarded-Proto: https", f"http://127.0.0.1:{port}{path}"]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    requests, micros, p95, errors = (int(value) for value in line.split()[1:])
    return requests / (micros / 1_000_000), p95 / 1000, errors


def wait_for(port: int) -> None:
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def warm_up(port: int, page: Page, workers: int) -> None:
    """A few requests first, so that every worker has loaded the page's templates and code."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(3 * workers):
        get(connection, page.path, page.cookie)
    connection.close()


def measure(args: argparse.Namespace) -> None:
    """Starts gunicorn on the database of DATABASE_URL and measures its pages: single requests, then (unless
    --single-only) the concurrent run; --single-only prints one JSON object of the single-request figures."""
    os.environ.update(production_environment(args.port))
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    found = [page for page in pages() if page.key == "healthz" or args.only in page.label]
    order = ["healthz", "home", "signing", "units", "search", "roster", "progress", "report", "ranking"]
    found.sort(key=lambda page: order.index(page.key))
    command = gunicorn_command(args, args.port)
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    figures = {}
    try:
        wait_for(args.port)
        time.sleep(1)
        if not args.single_only:
            print(f"gunicorn {' '.join(command[3:])}")
            print(f"{args.client} client, {args.connections} connections, {args.duration:.0f} s a page")
            print(
                f"{'page':<34} {'status':>6} {'median ms':>10} {'p95 ms':>8}"
                f" {'req/s':>8} {'p95 ms':>8} {'× healthz':>9}"
            )
        healthz = None
        for page in found:
            warm_up(args.port, page, args.workers)
            status, times = single(args.port, page.path, page.cookie, args.repeat)
            median, p95_single = statistics.median(times), percentile(times, 0.95)
            figures[page.key] = {"label": page.label, "status": status, "median": median, "p95": p95_single}
            if args.single_only:
                continue
            rate, p95, errors = (load_wrk if args.client == "wrk" else load)(
                args.port, page.path, page.cookie, args.connections, args.duration
            )
            healthz = rate if healthz is None else healthz
            note = f"  ({errors} errors)" if errors else ""
            print(
                f"{page.label:<34} {status:>6} {median:>10.1f} {p95_single:>8.1f}"
                f" {rate:>8.1f} {p95:>8.1f} {rate / healthz:>9.2f}{note}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return figures


def gunicorn_command(args: argparse.Namespace, port: int) -> list[str]:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "thidua.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(args.workers), "--worker-class", args.worker_class, "--threads", str(args.threads)]
    command += ["--max-requests", str(args.max_requests), "--max-requests-jitter", str(args.max_requests // 10)]
    return command + ["--log-level", "warning"] + ([] if args.no_preload else ["--preload"])


def serve_pages(args: argparse.Namespace) -> None:
    """gunicorn on DATABASE_URL's set, its pages warmed and printed (one JSON line), served until stdin closes:
    for compare_with_demo, which runs one of these per set."""
    os.environ.update(production_environment(args.port))
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    found = pages()
    server = subprocess.Popen(
        gunicorn_command(args, args.port), cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL
    )
    try:
        wait_for(args.port)
        for page in found:
            warm_up(args.port, page, args.workers)
        print("PAGES", json.dumps([page.__dict__ for page in found]), flush=True)
        sys.stdin.read()
    finally:
        server.terminate()
        server.wait(timeout=30)


def compare_with_demo(args: argparse.Namespace) -> None:
    """Each page's single-request time on the country set against the demo set, both served at once (one
    gunicorn each, as the concurrent run starts it) and asked in turn, five requests at a time, so that a
    machine whose speed drifts between minutes weighs on both alike; the ratio of their medians and p95."""
    servers, served = [], []
    try:
        for offset, database in ((1, os.environ["DATABASE_URL"]), (2, args.demo_database)):
            command = [sys.executable, __file__, "--serve-pages", "--port", str(args.port + offset)]
            command += ["--workers", str(args.workers), "--worker-class", args.worker_class]
            command += ["--threads", str(args.threads)]
            server = subprocess.Popen(
                command, env={**os.environ, "DATABASE_URL": database}, stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
            servers.append(server)
            line = b""
            while not line.startswith(b"PAGES "):
                line = server.stdout.readline()
                if not line:
                    raise SystemExit(f"the server of {database} did not start")
            served.append({page["key"]: Page(**page) for page in json.loads(line[len(b"PAGES ") :])})
        country, demo = served
        print()
        print("Single requests, country set against the demo set (seed_demo), asked in turn:")
        print(
            f"{'page':<34} {'country median':>14} {'demo median':>11} {'ratio':>6}"
            f" {'country p95':>11} {'demo p95':>8} {'ratio':>6}"
        )
        for key, mine in country.items():
            theirs = demo.get(key)
            if key == "healthz" or theirs is None or args.only not in mine.label:
                continue
            times: dict[int, list[float]] = {args.port + 1: [], args.port + 2: []}
            statuses = set()
            for _ in range(max(1, args.repeat // 5)):
                for port, page in ((args.port + 1, mine), (args.port + 2, theirs)):
                    status, found = single(port, page.path, page.cookie, 5)
                    times[port] += found
                    statuses.add(status)
            ours, their = times[args.port + 1], times[args.port + 2]
            median, demo_median = statistics.median(ours), statistics.median(their)
            p95, demo_p95 = percentile(ours, 0.95), percentile(their, 0.95)
            print(
                f"{mine.label:<34} {median:>14.1f} {demo_median:>11.1f} {median / demo_median:>6.2f}"
                f" {p95:>11.1f} {demo_p95:>8.1f} {p95 / demo_p95:>6.2f}"
                f"   (demo: {theirs.label}, {'/'.join(map(str, sorted(statuses)))})"
            )
    finally:
        for server in servers:
            server.stdin.close()
            server.wait(timeout=60)


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
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this")
    parser.add_argument("--demo-database", default="", help="PostgreSQL URL of a database seeded by seed_demo")
    parser.add_argument("--single-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-pages", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL benchmark database (see the top of this script).")
    if args.serve_pages:
        serve_pages(args)
        return 0
    figures = measure(args)
    if args.single_only:
        print(json.dumps(figures))
    elif args.demo_database:
        compare_with_demo(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
