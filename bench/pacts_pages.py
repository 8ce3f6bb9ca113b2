"""Times the signing page and the progress pages of the pacts app on the country-scale data set.

Usage, against PostgreSQL (the script migrates the database and generates what is missing: the "qg-"
regions with `manage.py seed_national --units N`, then their campaigns and half-signed open pacts with
`manage.py seed_national_pacts`):

    createdb -h 127.0.0.1 -U postgres thidua_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/pacts_pages.py

Use a benchmark database: the signatures seed_national_pacts writes can never be deleted (they are
evidence), so drop the database to start again. Options: --repeat N (timed requests per page, default 30),
--units N (size of the generated data set, default 3000), --no-migrate, --allow-sqlite.

The biggest open "qg-" pact is measured. The signing page and the leader's list are requested as the
leader of a unit that has not signed (force_login, with the password confirmed in the session as
accounts.reauth does); the pact, campaign and national pages as a ministry user. Each page is requested
once to count its SQL queries, then --repeat times to time it (Django's test Client: the view, its
queries and its template, no network). Every view of the signing page writes a "viewed" audit event, as
in production. A page that answers 404 (not built yet) is reported as "not available: 404".
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, once DEBUG is off without collectstatic

from bench.regions_pages import _measure, _percentile  # noqa: E402 (after the path is set)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--units", type=int, default=3000, help="units of the generated data set (default 3000)")
    parser.add_argument("--no-migrate", action="store_true", help="do not run migrate first")
    parser.add_argument("--allow-sqlite", action="store_true", help="run even on SQLite")
    return parser.parse_args()


def _ensure_data(units: int) -> None:
    from django.core.management import call_command

    from pacts.models import Campaign
    from regions.models import Region

    if not Region.objects.filter(slug__startswith="qg-").exists():
        call_command("seed_national", units=units)
    if not Campaign.objects.filter(region__slug__startswith="qg-").exists():
        call_command("seed_national_pacts")


def _biggest_open_pact():
    """The open "qg-" pact with the most signatories, and a pending slot whose unit's head has an account."""
    from django.db.models import Count
    from django.utils import timezone

    from pacts.models import Pact
    from pacts.services import pending_slots
    from regions.selectors import appointments_on

    pact = (
        Pact.objects.filter(campaign__region__slug__startswith="qg-", status=Pact.Status.OPEN)
        .annotate(size=Count("signatories"))
        .select_related("campaign")
        .order_by("-size", "pk")
        .first()
    )
    if pact is None:
        return None, None, None
    for slot in pending_slots(pact):
        appointment = appointments_on(slot.unit, timezone.localdate()).filter(user__isnull=False).first()
        if appointment is not None:
            return pact, slot, appointment.user
    return pact, None, None


def _confirm_password(client) -> None:
    """What accounts.reauth.mark_reauthenticated does after the password is confirmed."""
    from accounts.reauth import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = int(time.time())
    session.save()


def _print_row(label: str, url: str, status: int, queries: int, times: list[float]) -> None:
    if status == 404:
        print(f"{label:<44} not available: 404 ({url})")
    elif not times:
        print(f"{label:<44} {status:>6} {queries:>8} {'-':>10} {'-':>8}  ({url})")
    else:
        median, p95 = statistics.median(times), _percentile(times, 0.95)
        print(f"{label:<44} {status:>6} {queries:>8} {median:>10.1f} {p95:>8.1f}")


def main() -> int:
    args = _arguments()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import Role
    from accounts.services import user_create_or_update

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3") and not args.allow_sqlite:
        print("Refusing to run on SQLite: set DATABASE_URL to a PostgreSQL database, or pass --allow-sqlite.")
        return 2
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    _ensure_data(args.units)
    pact, slot, leader = _biggest_open_pact()
    if pact is None:
        print('No open "qg-" pact: every one was signed or withdrawn. Use a new database.')
        return 1
    settings.DEBUG = False  # no SQL logging; the measured queries are captured explicitly
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    secure = getattr(settings, "SECURE_SSL_REDIRECT", False)
    ministry, _ = user_create_or_update(
        username="bench.bo", full_name="Bench Bộ Tư pháp", email="bench.bo@thidua.example.vn", roles={Role.MINISTRY}
    )
    as_ministry = Client(raise_request_exception=False, secure=secure)
    as_ministry.force_login(ministry)
    as_leader = Client(raise_request_exception=False, secure=secure)
    size, signed = pact.signatories.count(), pact.signatures.count()
    year = pact.campaign.year
    pages = [
        (as_ministry, f"pact detail ({size} units)", f"/pacts/{pact.pk}/"),
        (as_ministry, f"pact progress ({signed}/{size} signed)", f"/pacts/{pact.pk}/progress/"),
        (as_ministry, "campaign progress", f"/campaigns/{pact.campaign_id}/progress/"),
        (as_ministry, f"national progress {year}", f"/pacts/progress/{year}/"),
    ]
    if leader is not None:
        as_leader.force_login(leader)
        pages = [
            (as_leader, f"signing page ({size} units), pending leader", f"/pacts/{pact.pk}/sign/{slot.unit_id}/"),
            (as_leader, "the leader's pacts to sign", "/pacts/to-sign/"),
            *pages,
        ]
    else:
        print("No pending unit's head has an account: the signing page is not measured.")

    database = settings.DATABASES["default"]["NAME"]
    print(f"Database: {engine.rsplit('.', 1)[-1]} {database}; {args.repeat} timed requests per page.")
    print(f'Pact {pact.pk} of "{pact.campaign.region.slug}" {year}: {size} signatory units, {signed} signed.')
    print(f"{'page':<44} {'status':>6} {'queries':>8} {'median ms':>10} {'p95 ms':>8}")
    for client, label, url in pages:
        _confirm_password(client)  # fresh for each page: the confirmation lasts a few minutes
        status, queries, times = _measure(client, url, args.repeat)
        _print_row(label, url, status, queries, times)
    return 0


if __name__ == "__main__":
    sys.exit(main())
