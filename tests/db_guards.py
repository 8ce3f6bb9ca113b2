"""What the tests of the database guards share: raw SQL on the test's connection, a statement that must be
refused (in a savepoint, so the test goes on), and the application's role made and granted as the README says."""

import uuid
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction


def execute(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def refused(sql: str, params=()) -> str:
    """Runs a statement that must fail, in a savepoint so the test's transaction goes on; returns the message."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        execute(sql, params)
    return str(caught.value)


def refused_to(role: str, sql: str, params=()) -> str:
    """Runs the statement as the role, in a savepoint that its failure rolls back (with the SET ROLE)."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        execute(f"SET ROLE {role}")
        execute(sql, params)
    assert execute("SELECT current_user")[0][0] != role
    return str(caught.value)


@contextmanager
def acting_as(role: str):
    execute(f"SET ROLE {role}")
    try:
        yield
    finally:
        execute("RESET ROLE")


def make_app_role() -> str:
    """A role made as the README says, granted by the command; a unique name, as roles span the cluster. Made
    inside the test's transaction, so it is rolled back with it."""
    role = f"thidua_app_test_{uuid.uuid4().hex[:10]}"
    execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
    call_command("db_grant_app_role", role, verbosity=0)
    return role
