"""The generation of what a ranking is made of (``RankingGeneration``): PostgreSQL's triggers set its one row to
the id of every transaction that writes a score sheet, a scoring table, a membership, a unit or a unit's name,
as that transaction commits, whatever writes (services, a restore, the data administration). Deferred to the
commit, a transaction takes the row's lock once, when its rows are written, and holds it only while it
commits. Nothing on SQLite: the ranking is computed on every view there (awards.selectors.scoring)."""

from django.db import migrations, models

WATCHED = [
    "awards_scoresheet",
    "awards_scoringtable",
    "regions_regionmembership",
    "regions_unit",
    "regions_unitname",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION awards_ranking_changed() RETURNS trigger AS $$
BEGIN
    -- Once a transaction: its later rows find the mark it left.
    IF current_setting('awards.ranking_changed_by', true) IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config('awards.ranking_changed_by', txid_current()::text, true);
        INSERT INTO awards_rankinggeneration AS generation (id, value) VALUES (1, txid_current())
        ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def _trigger(table: str) -> str:
    return (
        f"CREATE CONSTRAINT TRIGGER {table}_ranking_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION awards_ranking_changed();"
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
            name="RankingGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
