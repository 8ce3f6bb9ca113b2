"""The registrations counted by campaign, title, kind of unit and status (``RegistrationTally``), kept by
PostgreSQL's triggers whatever writes a registration (services, a restore, the data administration) or changes a
unit's kind, so that the yearly report reads a few rows instead of counting every registration of the year.
Nothing on SQLite: the report counts the registrations there (awards.selectors.reports)."""

import django.db.models.deletion
from django.db import migrations, models

FUNCTIONS = """
-- (campaign, title, unit, status, how many to add): the unit's kind is read here.
CREATE OR REPLACE FUNCTION awards_tally_add(bigint, bigint, bigint, text, integer) RETURNS void AS $$
    INSERT INTO awards_registrationtally AS tally (campaign_id, title_id, unit_kind, status, registrations)
    SELECT $1, $2, u.kind, $4, $5 FROM regions_unit u WHERE u.id = $3
    ON CONFLICT (campaign_id, title_id, unit_kind, status)
    DO UPDATE SET registrations = tally.registrations + EXCLUDED.registrations;
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION awards_registration_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM awards_tally_add(OLD.campaign_id, OLD.title_id, OLD.unit_id, OLD.status, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM awards_tally_add(NEW.campaign_id, NEW.title_id, NEW.unit_id, NEW.status, 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION awards_unit_kind_tally() RETURNS trigger AS $$
BEGIN
    -- The unit's registrations move from its former kind to its new one.
    INSERT INTO awards_registrationtally AS tally (campaign_id, title_id, unit_kind, status, registrations)
    SELECT r.campaign_id, r.title_id, moved.kind, r.status, moved.sign * count(*)
    FROM awards_awardregistration r CROSS JOIN (VALUES (OLD.kind, -1), (NEW.kind, 1)) AS moved (kind, sign)
    WHERE r.unit_id = NEW.id
    GROUP BY r.campaign_id, r.title_id, moved.kind, moved.sign, r.status
    ON CONFLICT (campaign_id, title_id, unit_kind, status)
    DO UPDATE SET registrations = tally.registrations + EXCLUDED.registrations;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = [
    "CREATE TRIGGER awards_awardregistration_tally AFTER INSERT OR DELETE ON awards_awardregistration "
    "FOR EACH ROW EXECUTE FUNCTION awards_registration_tally();",
    "CREATE TRIGGER awards_awardregistration_tally_moved "
    "AFTER UPDATE OF campaign_id, title_id, unit_id, status ON awards_awardregistration FOR EACH ROW "
    "WHEN ((OLD.campaign_id, OLD.title_id, OLD.unit_id, OLD.status) "
    "IS DISTINCT FROM (NEW.campaign_id, NEW.title_id, NEW.unit_id, NEW.status)) "
    "EXECUTE FUNCTION awards_registration_tally();",
    "CREATE TRIGGER regions_unit_kind_tally AFTER UPDATE OF kind ON regions_unit FOR EACH ROW "
    "WHEN (OLD.kind IS DISTINCT FROM NEW.kind) EXECUTE FUNCTION awards_unit_kind_tally();",
]

BACKFILL = """
INSERT INTO awards_registrationtally (campaign_id, title_id, unit_kind, status, registrations)
SELECT r.campaign_id, r.title_id, u.kind, r.status, count(*)
FROM awards_awardregistration r JOIN regions_unit u ON u.id = r.unit_id
GROUP BY r.campaign_id, r.title_id, u.kind, r.status
"""

DROPS = [
    "DROP TRIGGER IF EXISTS regions_unit_kind_tally ON regions_unit;",
    "DROP TRIGGER IF EXISTS awards_awardregistration_tally_moved ON awards_awardregistration;",
    "DROP TRIGGER IF EXISTS awards_awardregistration_tally ON awards_awardregistration;",
    "DROP FUNCTION IF EXISTS awards_unit_kind_tally();",
    "DROP FUNCTION IF EXISTS awards_registration_tally();",
    "DROP FUNCTION IF EXISTS awards_tally_add(bigint, bigint, bigint, text, integer);",
]


def add_tally(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS, params=None)
    for statement in TRIGGERS:
        schema_editor.execute(statement, params=None)
    schema_editor.execute(BACKFILL, params=None)


def drop_tally(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROPS:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0009_sheet_cached_totals"),
        ("pacts", "0012_board_links_and_ceremony_order"),
        ("regions", "0008_membership_units_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegistrationTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("unit_kind", models.CharField(max_length=32)),
                ("status", models.CharField(max_length=12)),
                ("registrations", models.IntegerField(default=0)),
                (
                    "campaign",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pacts.campaign",
                    ),
                ),
                (
                    "title",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="awards.awardtitle",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("campaign", "title", "unit_kind", "status"), name="registration_tally_key"
                    )
                ],
            },
        ),
        migrations.RunPython(add_tally, drop_tally),
    ]
