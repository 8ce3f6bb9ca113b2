"""Times the dashboards (country and the biggest region) and the country's .xlsx on the country-scale data set.

Usage, against PostgreSQL (the script migrates the database and generates what is missing: the "qg-" regions
with `manage.py seed_national --units N`, their campaigns and pacts with `manage.py seed_national_pacts`, and the
award data of bench/awards_pages.py: registrations, scoring tables, score sheets with their entries):

    createdb -h 127.0.0.1 -U postgres thidua_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/dashboard.py

The tables are then ANALYZEd (unless --no-analyze): a freshly generated or copied database has no planner
statistics until autovacuum visits it (never, where it is off), and the plans without them are not the ones a
running server gets. A ministry user is logged in with Django's test Client; each page is requested once to
count its SQL queries, then --repeat times to time it (the view, its queries and its template, no network): the
rows print the median and the 95th percentile. `bench/awards_pages.py --remove` deletes the award data it added.

Options: --year N (default the latest roster year), --repeat N (default 30), --units N (default 3000),
--no-migrate, --no-analyze, --allow-sqlite.

Figures (3,000 units, 2025: 5,937 registrations, 3,000 score sheets, 66,000 entries; PostgreSQL on the 2-core
machine shared with other sessions, load average 4 to 6; before = the figures read figure by figure, 39 queries
with a subquery a row for names and signatures; after = seven grouped reads shared by the figures, 15 queries):

    page (queries before → after)        before, ANALYZEd     after, ANALYZEd      before, no stats     after, no stats
                                         median    p95        median    p95        median    p95        median    p95
    dashboard, whole country (44 → 21)    255 ms   353 ms      135 ms   242 ms     1093 ms  1276 ms      244 ms   470 ms
    dashboard, region of 672 (46 → 23)    198 ms   336 ms      122 ms   190 ms      528 ms   656 ms      129 ms   224 ms
    .xlsx, whole country (39 → 20)       1205 ms  1452 ms      658 ms   903 ms     2052 ms  2677 ms      669 ms  1115 ms

On this shared machine the spread between median and p95 is the other sessions' load: the fastest country request
took 186 ms (dashboard reads 135 ms, of which the score distribution, a sum over the 52,800 entries of the sheets
sent, 26 ms; template 12 ms), the fastest region request 74 ms. The .xlsx lists all 3,090 units to nudge: most of
its time is openpyxl writing 15,000 cells.
"""

import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, once DEBUG is off without collectstatic

from bench import _timing as timing  # noqa: E402 (after the path is set)

WIDTH = 46


def main() -> int:
    parser = timing.argument_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, help="roster year to fill and measure (default: the latest)")
    parser.add_argument("--no-analyze", action="store_true", help="measure without ANALYZE first")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, Max
    from django.urls import reverse

    from bench.awards_pages import add_award_data
    from regions.models import Region, RegionMembership

    if not timing.prepare_database(args):
        return 2
    started = time.perf_counter()
    timing.ensure_national_data(args.units)
    national = RegionMembership.objects.filter(region__slug__startswith="qg-")
    year = args.year or national.aggregate(year=Max("year"))["year"]
    table, added, sheets, entries = add_award_data(year)
    units = national.filter(year=year).count()
    print(
        f"Data set for {year}: {units:,} member units; award data added now: {added:,} registrations, "
        f"{sheets:,} score sheets, {entries:,} entries ({time.perf_counter() - started:.1f} s)."
    )
    if not args.no_analyze and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    biggest = national.filter(year=year).values("region_id").annotate(n=Count("pk")).order_by("-n", "region_id").first()
    region = Region.objects.get(pk=biggest["region_id"])
    client = timing.measuring_client(timing.ministry_user())
    timing.print_database(args.repeat)
    timing.print_header(WIDTH)
    pages = [
        ("dashboard, whole country", reverse("reports:country_dashboard", args=[year])),
        (
            f"dashboard, biggest region ({biggest['n']} units)",
            reverse("reports:region_dashboard", args=[year, region.slug]),
        ),
        ("dashboard figures .xlsx, whole country", reverse("reports:country_xlsx", args=[year])),
    ]
    for label, url in pages:
        timing.print_row(label, url, *timing.measure(client, url, args.repeat), width=WIDTH)
    return 0


if __name__ == "__main__":
    sys.exit(main())
