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

import os
import re
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, once DEBUG is off without collectstatic

from bench import _timing as timing  # noqa: E402 (after the path is set)

WIDTH = 42


def _last_page(client, url: str) -> int:
    body = timing.fetch(client, url).content.decode(errors="replace")
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


def main() -> int:
    args = timing.argument_parser(__doc__.split("\n\n")[0]).parse_args()
    import django

    django.setup()
    if not timing.prepare_database(args):
        return 2
    timing.ensure_national_data(args.units, pacts=False)
    client = timing.measuring_client(timing.ministry_user())

    timing.print_database(args.repeat)
    timing.print_header(WIDTH)
    for label, url in _pages(client):
        timing.print_row(label, url, *timing.measure(client, url, args.repeat), width=WIDTH)
    return 0


if __name__ == "__main__":
    sys.exit(main())
