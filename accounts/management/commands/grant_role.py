"""Gives an account one or more of the portal's roles (or takes them back) from the command line.

The first ministry officer or administrator on a new server has no one to give them a role in the
Django admin yet:

    python manage.py grant_role <username> ministry [admin ...]
    python manage.py grant_role <username> leader --revoke
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Role, User
from accounts.permissions import roles_of
from accounts.services import user_set_roles


class Command(BaseCommand):
    help = "Give an account roles of the portal (ministry, region, leader, admin), or take them back with --revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("roles", nargs="+", choices=Role.values, metavar="role", help=", ".join(Role.values))
        parser.add_argument("--revoke", action="store_true", help="take these roles back instead")

    def handle(self, *args, username: str, roles: list[str], revoke: bool, **options) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as error:
            raise CommandError(f"No account with the username {username!r}.") from error
        held = {Role(code) for code in user.groups.filter(name__in=Role.values).values_list("name", flat=True)}
        asked = {Role(code) for code in roles}
        user_set_roles(user=user, roles=held - asked if revoke else held | asked)
        self.stdout.write(f"{username}: {', '.join(sorted(roles_of(user))) or 'no role'}")
