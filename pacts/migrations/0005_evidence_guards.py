"""On PostgreSQL, the database itself guards the signed record, whatever the client (the portal, psql, a
script): TRUNCATE of the evidence tables is refused; once a pact leaves draft its frozen text and the facts
printed with it never change, its status only moves open -> executed or open -> withdrawn, it is never
deleted, and its clauses and signatory slots are fixed; a finished PDF job keeps its file and hash.

The application's own writes after opening are exactly these: signing executes the pact (status,
executed_at), withdrawal sets status, withdrawn_at and withdrawn_reason, the signing deadline may move
while the pact is open, and updated_at follows every save. The 0002 triggers (signatures and audit events
are never updated or deleted) stay as they are. The application's database role owns no table
(``manage.py db_grant_app_role``), so it cannot disable these triggers.
"""

from django.db import migrations

GUARDED_FROM_TRUNCATE = [
    "pacts_pactsignature",
    "pacts_auditevent",
    "pacts_pdfjob",
    "pacts_pact",
    "pacts_pactclause",
    "pacts_pactsignatory",
]

# The columns of a pact that are fixed once it leaves draft: its text and hash, and the facts printed with it.
PACT_FROZEN = [
    "content_text",
    "content_hash",
    "number",
    "title",
    "place",
    "signed_on",
    "bases",
    "parties",
    "targets",
    "implementation",
    "campaign_id",
    "block",
    "version",
    "verification_code",
    "opened_at",
    "previous_id",
    "created_at",
    "created_by_id",
]
PDF_JOB_FROZEN = ["pdf", "pdf_sha256", "sealed", "pact_id", "version", "draft"]


def _sql_array(names: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{name}'" for name in names) + "]"


FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION pacts_changed_columns(new_row jsonb, old_row jsonb, columns text[])
RETURNS text AS $$
    SELECT string_agg(key, ', ' ORDER BY key)
    FROM unnest(columns) AS key
    WHERE new_row -> key IS DISTINCT FROM old_row -> key;
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION pacts_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'TRUNCATE of % is refused: its rows are the signed record', TG_TABLE_NAME
        USING HINT = 'Evidence is never removed in bulk.';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION pacts_pact_guard() RETURNS trigger AS $$
DECLARE
    changed text;
    allowed text[];
BEGIN
    IF OLD.status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'pact % is %, not a draft: it cannot be deleted', OLD.id, OLD.status;
    END IF;
    changed := pacts_changed_columns(to_jsonb(NEW), to_jsonb(OLD), {_sql_array(PACT_FROZEN)});
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'pact % is %: its frozen fields cannot change (%)', OLD.id, OLD.status, changed;
    END IF;
    IF OLD.status = 'open' AND NEW.status = 'open' THEN
        allowed := ARRAY['deadline'];
    ELSIF OLD.status = 'open' AND NEW.status = 'executed' THEN
        allowed := ARRAY['status', 'executed_at'];
    ELSIF OLD.status = 'open' AND NEW.status = 'withdrawn' THEN
        allowed := ARRAY['status', 'withdrawn_at', 'withdrawn_reason'];
    ELSIF NEW.status = OLD.status THEN
        allowed := ARRAY[]::text[];
    ELSE
        RAISE EXCEPTION 'pact % cannot go from % to %: an open pact is executed or withdrawn, nothing else',
            OLD.id, OLD.status, NEW.status;
    END IF;
    changed := pacts_changed_columns(
        to_jsonb(NEW) - allowed - 'updated_at', to_jsonb(OLD) - allowed - 'updated_at',
        ARRAY(SELECT jsonb_object_keys(to_jsonb(OLD)))
    );
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'pact % is %: % cannot change', OLD.id, OLD.status, changed;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION pacts_pact_part_guard() RETURNS trigger AS $$
DECLARE
    pact_status text;
BEGIN
    -- FOR SHARE waits for a transaction that is opening the pact, then reads the status it committed.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT status INTO pact_status FROM pacts_pact WHERE id = OLD.pact_id FOR SHARE;
        IF pact_status <> 'draft' THEN
            RAISE EXCEPTION '% of pact % cannot change: the pact is %, not a draft',
                TG_TABLE_NAME, OLD.pact_id, pact_status;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT status INTO pact_status FROM pacts_pact WHERE id = NEW.pact_id FOR SHARE;
        IF pact_status <> 'draft' THEN
            RAISE EXCEPTION '% of pact % cannot change: the pact is %, not a draft',
                TG_TABLE_NAME, NEW.pact_id, pact_status;
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION pacts_pdfjob_guard() RETURNS trigger AS $$
DECLARE
    changed text;
BEGIN
    IF OLD.status <> 'ready' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'PDF job % is ready: its document is on record and cannot be deleted', OLD.id;
    END IF;
    changed := pacts_changed_columns(to_jsonb(NEW), to_jsonb(OLD), {_sql_array(PDF_JOB_FROZEN)});
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'PDF job % is ready: its document cannot change (%)', OLD.id, changed;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""  # noqa: S608 - the column lists above, no input

TRIGGERS = [
    *(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION pacts_refuse_truncate();"
        for table in GUARDED_FROM_TRUNCATE
    ),
    "CREATE TRIGGER pacts_pact_frozen BEFORE UPDATE OR DELETE ON pacts_pact "
    "FOR EACH ROW EXECUTE FUNCTION pacts_pact_guard();",
    "CREATE TRIGGER pacts_pactclause_frozen BEFORE INSERT OR UPDATE OR DELETE ON pacts_pactclause "
    "FOR EACH ROW EXECUTE FUNCTION pacts_pact_part_guard();",
    "CREATE TRIGGER pacts_pactsignatory_frozen BEFORE INSERT OR UPDATE OR DELETE ON pacts_pactsignatory "
    "FOR EACH ROW EXECUTE FUNCTION pacts_pact_part_guard();",
    "CREATE TRIGGER pacts_pdfjob_frozen BEFORE UPDATE OR DELETE ON pacts_pdfjob "
    "FOR EACH ROW EXECUTE FUNCTION pacts_pdfjob_guard();",
]

DROPS = [
    *(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};" for table in GUARDED_FROM_TRUNCATE),
    "DROP TRIGGER IF EXISTS pacts_pact_frozen ON pacts_pact;",
    "DROP TRIGGER IF EXISTS pacts_pactclause_frozen ON pacts_pactclause;",
    "DROP TRIGGER IF EXISTS pacts_pactsignatory_frozen ON pacts_pactsignatory;",
    "DROP TRIGGER IF EXISTS pacts_pdfjob_frozen ON pacts_pdfjob;",
    "DROP FUNCTION IF EXISTS pacts_pdfjob_guard();",
    "DROP FUNCTION IF EXISTS pacts_pact_part_guard();",
    "DROP FUNCTION IF EXISTS pacts_pact_guard();",
    "DROP FUNCTION IF EXISTS pacts_refuse_truncate();",
    "DROP FUNCTION IF EXISTS pacts_changed_columns(jsonb, jsonb, text[]);",
]


def add_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # No parameters: the % of RAISE reach PostgreSQL as written.
    schema_editor.execute(FUNCTIONS, params=None)
    for statement in TRIGGERS:
        schema_editor.execute(statement, params=None)


def drop_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROPS:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("pacts", "0004_campaign_registration_deadline")]
    operations = [migrations.RunPython(add_guards, drop_guards)]
