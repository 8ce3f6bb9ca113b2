"""Times the dashboards (country and the biggest region) and the country's .xlsx on the country-scale data set.

Usage, against PostgreSQL (the script migrates the database and generates what is missing: the "qg-" regions
with `manage.py seed_national --units N`, their campaigns and pacts with `manage.py seed_national_pacts`, and the
award data of bench/awards_pages.py: registrations, scoring tables, score sheets with their entries):

    createdb -h 127.0.0.1 -U postgres thidua_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/dashboard.py

A ministry user is logged in with Django's test Client; each page is requested once to count its SQL queries,
then --repeat times to time it (the view, its queries and its template, no network): the rows print the
median and the 95th percentile. `bench/awards_pages.py --remove` deletes the award data it added.

Options: --year N (default the latest roster year), --repeat N (default 30), --units N (default 3000),
--no-migrate, --allow-sqlite.
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
    args = parser.parse_args()
    import django

    django.setup()
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
