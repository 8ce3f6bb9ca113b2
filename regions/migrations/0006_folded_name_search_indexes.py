"""Unit searches and the unit list's sort served by indexes (PostgreSQL only; nothing on SQLite).

- ``thidua_folded(text)``: lower(unaccent(text)), declared IMMUTABLE so that an expression index may use
  it (``unaccent`` itself is only STABLE: its dictionary could change). ``core.search.Folded`` calls it;
  SQLite gets the same function in Python (``core.apps``).
- pg_trgm and a trigram GIN index on the folded name and short name of units and of their names over
  time: ``thidua_folded(name) LIKE '%quang%'`` reads the index instead of folding every row.
- A btree index on the units' (name, id): the unit list of today sorts on the latest name and reads
  only the page it shows; one on the names' start day, to tell whether a name takes effect after a day.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("regions_unit_name_folded_trgm", "regions_unit", "name"),
    ("regions_unit_short_folded_trgm", "regions_unit", "short_name"),
    ("regions_unitname_name_folded_trgm", "regions_unitname", "name"),
    ("regions_unitname_short_folded_trgm", "regions_unitname", "short_name"),
]

FUNCTION = """
CREATE OR REPLACE FUNCTION thidua_folded(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (thidua_folded({column}) gin_trgm_ops)"
        )
    schema_editor.execute("CREATE INDEX IF NOT EXISTS regions_unit_name_id ON regions_unit (name, id)")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS regions_unitname_valid_from ON regions_unitname (valid_from)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS regions_unitname_valid_from")
    schema_editor.execute("DROP INDEX IF EXISTS regions_unit_name_id")
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS thidua_folded(text)")


class Migration(migrations.Migration):
    dependencies = [("regions", "0005_names_over_time")]

    operations = [TrigramExtension(), migrations.RunPython(forwards, backwards)]
