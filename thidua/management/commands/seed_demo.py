"""Fills the portal with demo data and prints the demo log-ins. Running it twice changes nothing."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role
from awards.demo import AwardsDemo, seed_demo_awards
from pacts.demo import PactsDemo, seed_demo_pacts
from pacts.permissions import can_manage_campaign
from pacts.selectors import pending_slots
from regions.models import RegionMembership
from regions.selectors import appointments_on, region_name_on, year_reference_day
from thidua.demo import seed_demo


class Command(BaseCommand):
    help = (
        "Creates the demo data (the two regions of the 2018 article with their units, rosters 2018-2026 and "
        "leaders; one account per role; the 2018 campaigns with the central region's executed pact, and a 2026 "
        "pact open for signing) and prints the demo log-ins."
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
        started = time.perf_counter()
        pacts = seed_demo_pacts(seed)
        self._write_pacts(pacts, time.perf_counter() - started)
        started = time.perf_counter()
        self._write_awards(seed_demo_awards(seed), time.perf_counter() - started)

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

    def _write_pacts(self, demo: PactsDemo, seconds: float) -> None:
        state = f"{demo.changes} changes" if demo.changes else "unchanged"
        self.stdout.write(f"Demo campaigns and pacts ({state}, {seconds:.1f} s):")
        for campaign in demo.campaigns:
            self.stdout.write(
                f"  {campaign.year} {campaign.region.slug}: {campaign.get_status_display()}, conference "
                f"{campaign.conference_date:%d/%m/%Y} in {campaign.conference_place}, "
                f"{campaign.phases.count()} phases, {campaign.movements.count()} movements"
            )
            for pact in campaign.pacts.order_by("version"):
                deadline = f", deadline {timezone.localtime(pact.deadline):%d/%m/%Y %H:%M}" if pact.deadline else ""
                self.stdout.write(
                    f"    {pact.title} (v{pact.version}, /pacts/{pact.pk}/): {pact.get_status_display()}{deadline}, "
                    f"{pact.signatures.count()}/{pact.signatories.count()} units signed"
                )
            managers = [officer.username for officer in demo.officers if can_manage_campaign(officer, campaign)]
            self.stdout.write(f"    managed by the region officer: {', '.join(managers) or '-'} (and bo.thidua)")
        archive = [user.username for user in demo.signers_2018 if not user.has_usable_password()]
        others = [user.username for user in demo.signers_2018 if user.has_usable_password()]
        self.stdout.write(
            f"  2018 signers: {', '.join(others + [''])}{len(archive)} accounts without a password "
            "(lanhdao2018.*: history only)"
        )
        self._write_signers(demo)

    def _write_awards(self, demo: AwardsDemo, seconds: float) -> None:
        state = f"{demo.changes} changes" if demo.changes else "unchanged"
        self.stdout.write(f"Demo awards ({state}, {seconds:.1f} s):")
        campaign = demo.campaign_2018
        self.stdout.write(
            f"  2018 {campaign.region.slug}: {demo.registered_2018} units registered for Cờ thi đua ngành Tư pháp "
            f"(report: /awards/reports/?year=2018&region={campaign.region_id})"
        )
        table = demo.table_2018
        self.stdout.write(f"  {table.name}: ranking /awards/scoring/{table.pk}/regions/{campaign.region_id}/ranking/")
        if demo.vote_2018 and demo.vote_2018.proposed:
            self.stdout.write(f"  Suy tôn 2018: proposed {demo.vote_2018.proposed.unit.name}")
        for award in demo.awards:
            self.stdout.write(
                f"  {award.year}: {award.title.name} - {award.recipient_name} (decision {award.decision.number}, "
                f"{award.decision.signed_on:%d/%m/%Y}; history /units/{award.unit_id}/awards/)"
            )
        self.stdout.write(f"  2026: {demo.table_2026.name} in use; leaders may register titles and score themselves")

    def _write_signers(self, demo: PactsDemo) -> None:
        pact = demo.pact_2026
        self.stdout.write(
            f"Leaders of the 2026 pact (password for all: {DEMO_PASSWORD}); log in as a pending one to sign:"
        )
        signed = {s.unit_id: s for s in pact.signatures.all()}
        pending = {slot.unit_id for slot in pending_slots(pact)}
        for login in demo.leaders_2026:
            user, unit = login.user, login.unit
            if unit.pk in signed:
                what = f"signed {timezone.localtime(signed[unit.pk].signed_at):%d/%m/%Y %H:%M}"
            elif unit.pk in pending and appointments_on(unit, timezone.localdate()).filter(user=user).exists():
                what = f"may sign: {reverse('pacts:pact_sign', args=[pact.pk, unit.pk])}"
            else:
                what = "-"
            state = "created" if login.created else "unchanged"
            self.stdout.write(f"  {user.username:<26} {unit.short_name:<20} {what} ({state})")
