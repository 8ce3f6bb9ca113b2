"""The application's database role: it reads and writes rows, and owns nothing, so it can neither truncate,
alter nor disable the triggers that guard the signed record (pacts/migrations/0005).

Migrations run as the database's owner, who then grants the application's role its rows
(``manage.py db_grant_app_role``); README, "Vai trò cơ sở dữ liệu", says how to create both roles.
"""

from django.db import connection as default_connection
from django.db import transaction


class RoleError(Exception):
    """The role cannot be granted safely; the message says why and what to do."""


def _check_role(cursor, *, role: str, schema: str) -> str:
    """Refuses a role that is missing, privileged, the owner or a member of it, or owner of anything here;
    returns the owner's name (the current user)."""
    cursor.execute(
        "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication FROM pg_roles "
        "WHERE rolname = %s",
        [role],
    )
    row = cursor.fetchone()
    if row is None:
        raise RoleError(f"The role {role} does not exist: create it first (README, 'Vai trò cơ sở dữ liệu').")
    if row[0]:
        raise RoleError(
            f"The role {role} is privileged (SUPERUSER, CREATEROLE, CREATEDB, BYPASSRLS or REPLICATION): "
            f"ALTER ROLE {role} NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS NOREPLICATION;"
        )
    cursor.execute("SELECT current_user, pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")
    owner, database_owner = cursor.fetchone()
    if role in (owner, database_owner):
        raise RoleError(f"Run this as the database's owner, and give the application another role than {role}.")
    cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])
    if cursor.fetchone()[0]:
        raise RoleError(f"The role {role} is a member of {owner}, so it acts as the owner: REVOKE {owner} FROM {role};")
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND pg_get_userbyid(c.relowner) = %s ORDER BY c.relname",
        [schema, role],
    )
    owned = [name for (name,) in cursor.fetchall()]
    if owned:
        raise RoleError(
            f"The role {role} owns {', '.join(owned)}: as a superuser, REASSIGN OWNED BY {role} TO {owner}; "
            "then run this again."
        )
    return owner


def app_role_grant(*, role: str, schema: str = "public", connection=default_connection) -> list[str]:
    """Grants ``role`` the rows of every table of ``schema`` (read, insert, update, delete), its sequences,
    and the same on the tables and sequences the owner creates later; takes back TRUNCATE, REFERENCES and
    TRIGGER. Returns the statements run. Run it as the owner, after every ``migrate`` (it is idempotent)."""
    if connection.vendor != "postgresql":
        raise RoleError("Database roles exist only on PostgreSQL.")
    quote = connection.ops.quote_name
    who, where = quote(role), quote(schema)
    statements = [
        f"GRANT USAGE ON SCHEMA {where} TO {who}",
        f"REVOKE CREATE ON SCHEMA {where} FROM {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {where} TO {who}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {where} FROM {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}",
        # Tables that later migrations create (run by the owner, who runs this) are the role's rows too.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {who}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} GRANT USAGE, SELECT ON SEQUENCES TO {who}",
    ]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        _check_role(cursor, role=role, schema=schema)
        for statement in statements:
            cursor.execute(statement)
    return statements
