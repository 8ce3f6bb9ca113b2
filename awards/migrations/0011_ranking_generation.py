"""The generation of what a ranking is made of: PostgreSQL's statement triggers insert a ``RankingChange`` row
for every transaction that writes (or truncates) score sheets, scoring tables, memberships, units or units'
names, once a transaction, whatever writes (services, a restore, the data administration). An insert takes no
lock another writer waits for (a row updated by every writer would: at commit, behind foreign-key checks, it
deadlocked two writers, and it made a REPEATABLE READ writer fail). ``RankingGeneration`` keeps the count of
the rows folded away. Nothing on SQLite: the ranking is computed on every view there (awards.selectors.scoring).
"""

from django.db import migrations, models

WATCHED = [
    "awards_scoresheet",
    "awards_scoringtable",
    "regions_regionmembership",
    "regions_unit",
    "regions_unitname",
]

# The mark is local to the transaction (and undone with a savepoint rolled back, as the row is).
FUNCTION = """
CREATE OR REPLACE FUNCTION awards_ranking_changed() RETURNS trigger AS $$
BEGIN
    IF current_setting('awards.ranking_changed', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('awards.ranking_changed', 'yes', true);
        INSERT INTO awards_rankingchange DEFAULT VALUES;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def _trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_ranking_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION awards_ranking_changed();"
    )


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in WATCHED:
        schema_editor.execute(_trigger(table), params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in WATCHED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_ranking_changed ON {table};", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS awards_ranking_changed();", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0010_registration_tally"),
        ("regions", "0010_membership_region_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="RankingChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ],
        ),
        migrations.CreateModel(
            name="RankingGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
