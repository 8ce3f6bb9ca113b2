"""Times the main pages of the regions app on the country-scale data set and prints a table.

Usage, against PostgreSQL (the script migrates the database and, when the "qg-" regions are missing,
generates them with `manage.py seed_national --units N`):

    createdb -h 127.0.0.1 -U postgres thidua_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/regions_pages.py

Options: --repeat N (timed requests per page, default 30), --units N (size of the data set when it is
generated, default 3000), --no-migrate, --allow-sqlite (SQLite timings say little about production).

A ministry user is logged in with Django's test Client (force_login) and each page is requested once
to count its SQL queries, then --repeat times to time it. DEBUG is turned off after start-up so that SQL
is not logged. A page that answers 404 (not built yet) is reported as "not available: 404".
"""

import argparse
import math
import os
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, once DEBUG is off without collectstatic


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--units", type=int, default=3000, help="units of the generated data set (default 3000)")
    parser.add_argument("--no-migrate", action="store_true", help="do not run migrate first")
    parser.add_argument("--allow-sqlite", action="store_true", help="run even on SQLite")
    return parser.parse_args()


def _percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _fetch(client, url: str):
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # the work of a streamed file is done while it is read
    return response


def _last_page(client, url: str) -> int:
    body = _fetch(client, url).content.decode(errors="replace")
    return max((int(n) for n in re.findall(r"[?&](?:amp;)?page=(\d+)", body)), default=1)


def _pages(client) -> list[tuple[str, str]]:
    """The pages to time: (label, URL), on the biggest "qg-" region-year."""
    from django.db.models import Count

    from regions.models import RegionMembership, Unit

    biggest = (
        RegionMembership.objects.filter(region__slug__startswith="qg-")
        .values("region__slug", "region_id", "year")
        .annotate(size=Count("id"))
        .order_by("-size", "-year")
        .first()
    )
    slug, year, size = biggest["region__slug"], biggest["year"], biggest["size"]
    cuc = (
        Unit.objects.filter(memberships__region_id=biggest["region_id"], kind=Unit.Kind.CUC_THADS)
        .annotate(children_count=Count("children", distinct=True))
        .order_by("-children_count", "pk")
        .first()
    )
    middle = max(1, _last_page(client, "/units/") // 2)
    return [
        ("unit list, page 1", "/units/"),
        (f"unit list, page {middle}", f"/units/?page={middle}"),
        ("unit list, kind Chi cục THADS", "/units/?kind=chi_cuc_thads"),
        (f"unit list, year {year}", f"/units/?year={year}"),
        ("unit list, search", "/units/?q=T%C3%A2n"),
        (f"unit detail (Cục, {cuc.children_count} Chi cục)", f"/units/{cuc.pk}/"),
        ("region list", "/regions/"),
        ("region detail", f"/regions/{slug}/"),
        (f"roster {year} ({size} units)", f"/regions/{slug}/{year}/"),
        (f"roster {year} export .xlsx", f"/regions/{slug}/{year}/export.xlsx"),
        ("unit list export .xlsx", "/units/export.xlsx"),
    ]


def _measure(client, url: str, repeat: int) -> tuple[int, int, list[float]]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log is a bounded deque: once full, its length no longer grows
    with CaptureQueriesContext(connection) as captured:
        status = _fetch(client, url).status_code
    queries = len(captured)  # now: the next request empties the log that ``captured`` reads
    if status != 200:
        return status, queries, []
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        _fetch(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return status, queries, times


def main() -> int:
    args = _arguments()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import Role
    from accounts.services import user_create_or_update
    from regions.models import Region

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3") and not args.allow_sqlite:
        print("Refusing to run on SQLite: set DATABASE_URL to a PostgreSQL database, or pass --allow-sqlite.")
        return 2
    database = settings.DATABASES["default"]["NAME"]
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    if not Region.objects.filter(slug__startswith="qg-").exists():
        call_command("seed_national", units=args.units)
    settings.DEBUG = False  # no SQL logging; the measured queries are captured explicitly
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user, _ = user_create_or_update(
        username="bench.bo", full_name="Bench Bộ Tư pháp", email="bench.bo@thidua.example.vn", roles={Role.MINISTRY}
    )
    client = Client(raise_request_exception=False, secure=getattr(settings, "SECURE_SSL_REDIRECT", False))
    client.force_login(user)

    print(f"Database: {engine.rsplit('.', 1)[-1]} {database}; {args.repeat} timed requests per page.")
    print(f"{'page':<42} {'status':>6} {'queries':>8} {'median ms':>10} {'p95 ms':>8}")
    for label, url in _pages(client):
        status, queries, times = _measure(client, url, args.repeat)
        if status == 404:
            print(f"{label:<42} not available: 404 ({url})")
        elif not times:
            print(f"{label:<42} {status:>6} {queries:>8} {'-':>10} {'-':>8}  ({url})")
        else:
            median, p95 = statistics.median(times), _percentile(times, 0.95)
            print(f"{label:<42} {status:>6} {queries:>8} {median:>10.1f} {p95:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
