"""What the page benchmarks share: their common options, the national data set, a logged-in test Client,
and timing a page and printing its row.

Import it after the script has put the project root on ``sys.path``; call the functions that use Django
after ``django.setup()``.
"""

import argparse
import math
import statistics
import time


def argument_parser(description: str) -> argparse.ArgumentParser:
    """The options every page benchmark takes; a script adds its own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--units", type=int, default=3000, help="units of the generated data set (default 3000)")
    parser.add_argument("--no-migrate", action="store_true", help="do not run migrate first")
    parser.add_argument("--allow-sqlite", action="store_true", help="run even on SQLite")
    return parser


def prepare_database(args: argparse.Namespace) -> bool:
    """Migrates the database unless --no-migrate; refuses SQLite (False, saying why) unless --allow-sqlite."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and not args.allow_sqlite:
        print("Refusing to run on SQLite: set DATABASE_URL to a PostgreSQL database, or pass --allow-sqlite.")
        return False
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    return True


def ensure_national_data(units: int, *, pacts: bool = True) -> None:
    """The "qg-" regions (`seed_national --units N`) and, with ``pacts``, their campaigns and pacts
    (`seed_national_pacts`), each made only when missing."""
    from django.core.management import call_command

    from pacts.models import Campaign
    from regions.models import Region

    if not Region.objects.filter(slug__startswith="qg-").exists():
        call_command("seed_national", units=units)
    if pacts and not Campaign.objects.filter(region__slug__startswith="qg-").exists():
        call_command("seed_national_pacts")


def ministry_user():
    from accounts.models import Role
    from accounts.services import user_create_or_update

    user, _ = user_create_or_update(
        username="bench.bo", full_name="Bench Bộ Tư pháp", email="bench.bo@thidua.example.vn", roles={Role.MINISTRY}
    )
    return user


def measuring_client(user=None):
    """A test Client (logged in as ``user`` if given). DEBUG is turned off, so that SQL is not logged: the
    measured queries are captured explicitly."""
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client(raise_request_exception=False, secure=getattr(settings, "SECURE_SSL_REDIRECT", False))
    if user is not None:
        client.force_login(user)
    return client


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def fetch(client, url: str):
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # the work of a streamed file is done while it is read
    return response


def measure(client, url: str, repeat: int) -> tuple[int, int, list[float]]:
    """The status and SQL queries of one request, then the times (ms) of ``repeat`` more (none unless 200)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log is a bounded deque: once full, its length no longer grows
    with CaptureQueriesContext(connection) as captured:
        status = fetch(client, url).status_code
    queries = len(captured)  # now: the next request empties the log that ``captured`` reads
    if status != 200:
        return status, queries, []
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fetch(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return status, queries, times


def print_database(repeat: int) -> None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    print(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}; {repeat} timed requests per page.")


def print_header(width: int) -> None:
    print(f"{'page':<{width}} {'status':>6} {'queries':>8} {'median ms':>10} {'p95 ms':>8}")


def print_row(label: str, url: str | None, status: int, queries: int, times: list[float], *, width: int) -> None:
    """A page's row: status, queries, median and p95 times; or why it was not measured."""
    if url is None:
        print(f"{label:<{width}} not available: no such page yet")
    elif status == 404:
        print(f"{label:<{width}} not available: 404 ({url})")
    elif not times:
        print(f"{label:<{width}} {status:>6} {queries:>8} {'-':>10} {'-':>8}  ({url})")
    else:
        median, p95 = statistics.median(times), percentile(times, 0.95)
        print(f"{label:<{width}} {status:>6} {queries:>8} {median:>10.1f} {p95:>8.1f}")
