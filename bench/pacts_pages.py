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

WIDTH = 44


def _biggest_open_pact():
    """The open "qg-" pact with the most signatories, and a pending slot whose unit's head has an account."""
    from django.db.models import Count
    from django.utils import timezone

    from pacts.models import Pact
    from pacts.selectors import pending_slots
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


def main() -> int:
    args = timing.argument_parser(__doc__.split("\n\n")[0]).parse_args()
    import django

    django.setup()
    if not timing.prepare_database(args):
        return 2
    timing.ensure_national_data(args.units)
    pact, slot, leader = _biggest_open_pact()
    if pact is None:
        print('No open "qg-" pact: every one was signed or withdrawn. Use a new database.')
        return 1
    as_ministry = timing.measuring_client(timing.ministry_user())
    as_leader = timing.measuring_client()
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

    timing.print_database(args.repeat)
    print(f'Pact {pact.pk} of "{pact.campaign.region.slug}" {year}: {size} signatory units, {signed} signed.')
    timing.print_header(WIDTH)
    for client, label, url in pages:
        _confirm_password(client)  # fresh for each page: the confirmation lasts a few minutes
        timing.print_row(label, url, *timing.measure(client, url, args.repeat), width=WIDTH)
    return 0


if __name__ == "__main__":
    sys.exit(main())
