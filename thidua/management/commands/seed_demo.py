"""Fills the portal with demo data and prints the demo log-ins with what each can do. Running it twice changes
nothing."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts import permissions as roles
from accounts.demo import DEMO_PASSWORD
from accounts.models import Role
from awards.demo import AwardsDemo, seed_demo_awards
from core.dates import long_date
from pacts.demo import PactsDemo, seed_demo_pacts
from pacts.models import Pact, PactSignature
from pacts.permissions import can_manage_campaign
from pacts.selectors import pending_slots, signing_appointment
from regions.models import RegionMembership
from regions.selectors import region_name_on, year_reference_day
from thidua.demo import seed_demo


def moment(value) -> str:
    """A moment as the summary prints it: 13/03/2026 09:03, in Vietnam's time."""
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"


def pact_heading(pact: Pact) -> str:
    """ "Số: 01/GƯTĐ-KVĐNB, Ninh Thuận, ngày 16 tháng 3 năm 2018" """
    number = f"Số: {pact.number}, " if pact.number else ""
    return f"{number}{pact.place}, {long_date(pact.signed_on)}"


class Command(BaseCommand):
    help = (
        "Creates the demo data (the two regions of the 2018 article with their units, rosters 2018-2026 and "
        "leaders; one account per role; the 2018 campaigns and pacts signed at their conferences; the 2026 pacts, "
        "the south-east's executed at its first-quarter conference and the central region's with units still to "
        "sign) and prints the demo log-ins with what each can do."
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
        started = time.perf_counter()
        pacts = seed_demo_pacts(seed)
        self._write_pacts(pacts, time.perf_counter() - started)
        started = time.perf_counter()
        self._write_awards(seed_demo_awards(seed), time.perf_counter() - started)
        self._write_logins(seed, pacts)
        self._write_leaders(pacts)

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
        for campaign in sorted(demo.campaigns, key=lambda c: (c.year, c.region.slug)):
            conference = f"{campaign.conference_date:%d/%m/%Y}" if campaign.conference_date else "-"
            self.stdout.write(
                f"  {campaign.year} {campaign.region.slug}: {campaign.get_status_display()}, conference "
                f"{conference} in {campaign.conference_place}, {campaign.phases.count()} phases, "
                f"{campaign.movements.count()} movements"
            )
            for pact in campaign.pacts.order_by("block", "version"):
                self.stdout.write(f"    {pact_heading(pact)} (v{pact.version}, /pacts/{pact.pk}/)")
                self.stdout.write(f"      {self._pact_state(pact)}")
            managers = [officer.username for officer in demo.officers if can_manage_campaign(officer, campaign)]
            self.stdout.write(f"    managed by the region officer: {', '.join(managers) or '-'} (and bo.thidua)")
        without = [user.username for user in demo.history_accounts if not user.has_usable_password()]
        self.stdout.write(
            f"  {len(without)} earlier signers have an account without a password (lanhdao2018.*: history only)"
        )

    def _pact_state(self, pact: Pact) -> str:
        signed = f"{pact.signatures.count()}/{pact.signatories.count()} units signed"
        opened = f"opened {moment(pact.opened_at)}" if pact.opened_at else "draft"
        deadline = f", deadline {moment(pact.deadline)}" if pact.deadline else ""
        if pact.status == Pact.Status.EXECUTED:
            return f"{pact.get_status_display()} {moment(pact.executed_at)} ({opened}{deadline}), {signed}"
        return f"{pact.get_status_display()} ({opened}{deadline}), {signed}"

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

    def _write_logins(self, seed, demo: PactsDemo) -> None:
        labels = dict(Role.choices)
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for user, created in seed.accounts:
            held = ", ".join(str(labels[g]) for g in user.groups.values_list("name", flat=True))
            state = "created" if created else "unchanged"
            self.stdout.write(f"  {user.username:<20} {user.full_name:<22} {held:<22} ({state})")
            self.stdout.write(f"      {self._abilities(user, demo)}")

    def _abilities(self, user, demo: PactsDemo) -> str:
        """What the log-in can do in the demo, from its roles and the demo's records."""
        done = []
        if roles.is_ministry(user):
            done.append("manages every campaign and pact, keeps the catalogue of legal documents")
        if roles.is_admin(user):
            done.append("administers accounts and people, and the admin site (/admin/)")
        if roles.is_region_officer(user):
            managed = [f"{c.year} {c.region.slug}" for c in demo.campaigns if can_manage_campaign(user, c)]
            done.append(f"manages the campaigns and pacts of {', '.join(managed) or 'no demo year'}")
        if roles.is_leader(user):
            done += self._signing(user, demo) or ["has no pact to sign"]
        return "; ".join(done) or "-"

    def _signing(self, user, demo: PactsDemo) -> list[str]:
        lines = []
        signed = PactSignature.objects.filter(signer=user, pact__in=demo.pacts).select_related("pact__campaign__region")
        for signature in signed.order_by("signed_at"):
            campaign = signature.pact.campaign
            lines.append(
                f"signed the {campaign.year} pact of {campaign.region.slug} for {signature.unit_name} "
                f"on {moment(signature.signed_at)}"
            )
        for url in self._may_sign(user, demo):
            lines.append(f"may sign now: {url}")
        return lines

    def _may_sign(self, user, demo: PactsDemo) -> list[str]:
        """The signing pages of the open demo pacts this person may sign today."""
        today = timezone.localdate()
        return [
            reverse("pacts:pact_sign", args=[pact.pk, slot.unit_id])
            for pact in demo.pacts
            if pact.status == Pact.Status.OPEN
            for slot in pending_slots(pact)
            if signing_appointment(user=user, unit=slot.unit, day=today)
        ]

    def _write_leaders(self, demo: PactsDemo) -> None:
        """Today's leaders of the 2026 units, pact by pact: when they signed, or where to sign."""
        self.stdout.write(
            f"Leaders of the 2026 units (password for all: {DEMO_PASSWORD}); log in as one marked 'may sign':"
        )
        for pact in [p for p in demo.pacts if p.campaign.year == 2026]:
            self.stdout.write(f"  {pact.campaign.region.slug} (/pacts/{pact.pk}/): {self._pact_state(pact)}")
            signed = {s.unit_id: s for s in pact.signatures.all()}
            parties = set(pact.signatories.values_list("unit_id", flat=True))
            for login in [login for login in demo.leaders if login.unit.pk in parties]:
                user, unit = login.user, login.unit
                if unit.pk in signed:
                    what = f"signed {moment(signed[unit.pk].signed_at)}"
                elif signing_appointment(user=user, unit=unit, day=timezone.localdate()):
                    what = f"may sign: {reverse('pacts:pact_sign', args=[pact.pk, unit.pk])}"
                else:
                    what = "-"
                state = "created" if login.created else "unchanged"
                self.stdout.write(f"    {user.username:<26} {unit.short_name:<20} {what} ({state})")
