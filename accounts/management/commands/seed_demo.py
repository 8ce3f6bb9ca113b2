"""Fills the portal with demo data and prints the demo log-ins. Running it twice changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, seed_demo_accounts
from accounts.models import Role


class Command(BaseCommand):
    help = "Creates the demo data (one account per role) and prints the demo log-ins."

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
        results = seed_demo_accounts()
        labels = dict(Role.choices)
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for user, created in results:
            roles = ", ".join(str(labels[g]) for g in user.groups.values_list("name", flat=True))
            state = "created" if created else "unchanged"
            self.stdout.write(f"  {user.username:<20} {user.full_name:<22} {roles:<20} ({state})")
