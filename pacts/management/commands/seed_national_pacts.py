"""Adds to every "qg-" region of seed_national a campaign and an open pact that about half its units have signed.

For the benchmarks (bench/pacts_pages.py). For the latest roster year of each region: a campaign and a pact
with every member as signatory, written and opened through ``pacts.services``; an account for every member
unit's head, linked to the head's appointment; then every other unit signs through ``services.pact_sign``,
the path of a leader's click, so the signatures and their audit events are the real thing. Only the
accounts are bulk-created, for speed: "qg.lanhdao.<unit id>", leader role, no password (the benchmark logs
in with force_login), no e-mail address (nobody is mailed); linking them to the appointments does not send
``leader_appointed``. A region that already has a campaign that year is left as it is.

Run it on a benchmark database only: signatures and audit events are evidence that nobody can delete (on
PostgreSQL a trigger refuses it), so this data set cannot be removed, and once it has run
``seed_national --reset`` / ``--remove`` no longer can either. Drop the database to start again.

    python manage.py seed_national [--units 3000]
    python manage.py seed_national_pacts [--share 0.5]
"""

import time
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import Role, User, role_groups
from pacts import services
from pacts.audit import RequestInfo
from pacts.demo import slot_signs
from pacts.models import Campaign, Pact
from regions.management.commands.seed_national import PREFIX
from regions.models import Appointment, Region, RegionMembership

BENCH = RequestInfo(ip_address=None, user_agent="seed_national_pacts (dữ liệu thử tải)")
CLAUSES = [
    "Thi đua hoàn thành xuất sắc nhiệm vụ chính trị được giao.",
    "Đẩy mạnh chuyển đổi số, ứng dụng công nghệ thông tin.",
    "Phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến.",
]


def latest_rosters() -> list[tuple[Region, int]]:
    """Each "qg-" region with the latest year of its rosters."""
    rows = (
        RegionMembership.objects.filter(region__slug__startswith=PREFIX)
        .values("region_id")
        .annotate(year=Max("year"))
        .order_by()
    )
    regions = Region.objects.in_bulk([row["region_id"] for row in rows])
    return sorted(((regions[row["region_id"]], row["year"]) for row in rows), key=lambda pair: pair[0].slug)


def _leader_accounts(region: Region, year: int) -> dict[int, User]:
    """Unit id → the account of its head today, created in bulk and linked to the appointment where missing."""
    today = timezone.localdate()
    unit_ids = RegionMembership.objects.filter(region=region, year=year).values("unit_id")
    heads: dict[int, Appointment] = {}
    appointments = (
        Appointment.objects.filter(unit_id__in=unit_ids, kind=Appointment.Kind.HEAD, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("user")
        .order_by("unit_id", "-start")
    )
    for appointment in appointments:
        heads.setdefault(appointment.unit_id, appointment)
    unlinked = [a for a in heads.values() if a.user_id is None]
    names = {a.pk: f"qg.lanhdao.{a.unit_id}" for a in unlinked}
    accounts = User.objects.in_bulk(list(names.values()), field_name="username")
    new = [
        User(
            username=names[a.pk],
            full_name=a.full_name,
            position=a.position,
            unit_id=a.unit_id,
            password=make_password(None),
        )
        for a in unlinked
        if names[a.pk] not in accounts
    ]
    User.objects.bulk_create(new, batch_size=1000)
    leader = role_groups()[Role.LEADER.value]
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=leader.pk) for user in new], batch_size=1000
    )
    accounts |= {user.username: user for user in new}
    for appointment in unlinked:
        appointment.user = accounts[names[appointment.pk]]
    Appointment.objects.bulk_update(unlinked, ["user"], batch_size=1000)
    return {unit_id: appointment.user for unit_id, appointment in heads.items()}


@transaction.atomic
def seed_region(region: Region, year: int, share: float) -> tuple[Pact, int] | None:
    """The region's campaign and open pact for the year, signed by ``share`` of its units; None if it has one."""
    if Campaign.objects.filter(region=region, year=year).exists():
        return None
    leaders = _leader_accounts(region, year)
    campaign = services.campaign_create(
        region=region,
        year=year,
        title=f"Kế hoạch phát động phong trào thi đua năm {year} (dữ liệu thử tải)",
        actor=None,
        conference_date=date(year, 3, 15),
        conference_place="Hà Nội",
    )
    pact = services.pact_create(campaign=campaign, actor=None)
    services.pact_update_draft(pact=pact, actor=None, clauses=CLAUSES, place="Hà Nội")
    pact = services.pact_open(pact=pact, deadline=timezone.now() + timedelta(days=60), actor=None)
    signed = 0
    for index, slot in enumerate(pact.signatories.select_related("unit").order_by("order")):
        # Spread evenly through the list: floor(n × share) units sign, fewer than all, so the pact stays open.
        if int((index + 1) * share) > int(index * share) and slot.unit_id in leaders:
            slot_signs(pact, slot, leaders[slot.unit_id], BENCH)
            signed += 1
    return pact, signed


class Command(BaseCommand):
    help = (
        'Adds a campaign and an open pact, about half signed, to every "qg-" region of seed_national, for the '
        "benchmarks. Signatures cannot be deleted: use a benchmark database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--share", type=float, default=0.5, help="Share of the units that sign (default 0.5).")

    def handle(self, *args, share: float, **options) -> None:
        if not 0 <= share < 1:
            raise CommandError("--share must be at least 0 and less than 1 (the pacts stay open).")
        rosters = latest_rosters()
        if not rosters:
            raise CommandError('No "qg-" regions: run `python manage.py seed_national` first.')
        for region, year in rosters:
            started = time.perf_counter()
            made = seed_region(region, year, share)
            if made is None:
                self.stdout.write(f"  {region.slug:<38} {year}: already has a campaign, left as it is")
                continue
            pact, signed = made
            self.stdout.write(
                f"  {region.slug:<38} {year}: pact {pact.pk}, {signed:>4}/{pact.signatories.count():<4} units signed "
                f"in {time.perf_counter() - started:.1f} s"
            )
