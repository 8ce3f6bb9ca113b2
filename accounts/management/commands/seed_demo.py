"""Fills the portal with demo data and prints the demo log-ins. Running it twice changes nothing."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from accounts.demo import DEMO_PASSWORD, seed_demo
from accounts.models import Role
from regions.models import RegionMembership
from regions.selectors import region_name_on, year_reference_day


class Command(BaseCommand):
    help = (
        "Creates the demo data (the two regions of the 2018 article with their units, rosters 2018-2026 and "
        "leaders; one account per role) and prints the demo log-ins."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (demo accounts have a published password).",
        )

    def handle(self, *args, allow_production: bool = False, **options) -> None:
        if not settings.DEMO_DATA_ALLOWED and not allow_production:
            raise CommandError(
                "Refusing to create demo accounts in production mode (DEMO_DATA_ALLOWED is off); "
                "pass --allow-production to insist."
            )
        started = time.perf_counter()
        seed = seed_demo()
        state = f"{seed.data.changes} changes" if seed.data.changes else "unchanged"
        self.stdout.write(f"Demo regions ({state}, {time.perf_counter() - started:.1f} s):")
        for region in seed.data.regions.values():
            self._write_region(region)
        labels = dict(Role.choices)
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for user, created in seed.accounts:
            roles = ", ".join(str(labels[g]) for g in user.groups.values_list("name", flat=True))
            state = "created" if created else "unchanged"
            self.stdout.write(f"  {user.username:<20} {user.full_name:<22} {roles:<20} ({state})")

    def _write_region(self, region) -> None:
        years = (
            RegionMembership.objects.filter(region=region)
            .values("year")
            .annotate(units=Count("id"), provinces=Count("unit__province", distinct=True))
            .order_by("year")
        )
        heads = dict(
            RegionMembership.objects.filter(region=region, role=RegionMembership.Role.HEAD).values_list(
                "year", "unit__short_name"
            )
        )
        first_name = region_name_on(region, year_reference_day(years[0]["year"]))
        self.stdout.write(f"  {region.slug}: {first_name} → {region.name}")
        for row in years:
            self.stdout.write(
                f"    {row['year']}: {row['units']:>2} units, {row['provinces']:>2} provinces, "
                f"head {heads.get(row['year'], '-')}"
            )
