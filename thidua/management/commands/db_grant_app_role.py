"""Grants the application's database role its rows, and nothing more; run by the owner after ``migrate``.

    python manage.py migrate && python manage.py db_grant_app_role thidua_app

(the compose file's ``migrate`` service runs both, as the owner). See thidua/db_roles.py.
"""

from django.core.management.base import BaseCommand, CommandError

from thidua.db_roles import RoleError, app_role_grant


class Command(BaseCommand):
    help = (
        "Grants ROLE SELECT, INSERT, UPDATE and DELETE on every table (and the sequences) of the schema, now and "
        "for tables created later; never TRUNCATE, never ownership. Run as the database's owner."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("role", help="the role the application connects as, e.g. thidua_app")
        parser.add_argument("--schema", default="public")

    def handle(self, *args, role: str, schema: str, **options) -> None:
        try:
            statements = app_role_grant(role=role, schema=schema)
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] > 1:
            for statement in statements:
                self.stdout.write(f"{statement};")
        self.stdout.write(f"{role} may read and write the rows of schema {schema}; it owns nothing there.")
