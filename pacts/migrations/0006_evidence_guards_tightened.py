"""The 0005 guards, closed where a client could go around them: a ready PDF job stays ready (only its
``last_error`` may change, as the pdf worker records why a lost file is replaced) and is never deleted; a
draft only stays draft or opens; an open pact is executed only when every slot holds a signature on its
text, and no other signature is on it.

The application's own writes are unchanged: signing inserts the last signature before it executes the
pact in the same transaction, and the pdf worker settles a missing file with ``last_error`` alone.
"""

import importlib

from django.db import migrations

# The guards of 0005 as they were: the frozen columns are the same, and reversing puts its functions back.
previous = importlib.import_module("pacts.migrations.0005_evidence_guards")

# What the application writes on a ready job: the pdf worker's note on a lost file (pacts/pdf_jobs.py).
PDF_JOB_WRITABLE_WHEN_READY = ["last_error"]

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION pacts_pact_guard() RETURNS trigger AS $$
DECLARE
    changed text;
    allowed text[];
    slots bigint;
    signatures bigint;
    signed_slots bigint;
BEGIN
    IF OLD.status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF NEW.status NOT IN ('draft', 'open') THEN
            RAISE EXCEPTION 'pact % cannot go from draft to %: a draft is opened for signing first',
                OLD.id, NEW.status;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'pact % is %, not a draft: it cannot be deleted', OLD.id, OLD.status;
    END IF;
    changed := pacts_changed_columns(to_jsonb(NEW), to_jsonb(OLD), {previous._sql_array(previous.PACT_FROZEN)});
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'pact % is %: its frozen fields cannot change (%)', OLD.id, OLD.status, changed;
    END IF;
    IF OLD.status = 'open' AND NEW.status = 'open' THEN
        allowed := ARRAY['deadline'];
    ELSIF OLD.status = 'open' AND NEW.status = 'executed' THEN
        allowed := ARRAY['status', 'executed_at'];
        -- Every slot signed on this very text, and nothing else signed: the signatures were inserted
        -- earlier in the signing transaction, so they are seen here.
        SELECT count(*) INTO slots FROM pacts_pactsignatory WHERE pact_id = OLD.id;
        SELECT count(*) INTO signatures FROM pacts_pactsignature WHERE pact_id = OLD.id;
        SELECT count(*) INTO signed_slots FROM pacts_pactsignatory slot
            WHERE slot.pact_id = OLD.id AND EXISTS (
                SELECT 1 FROM pacts_pactsignature signature
                WHERE signature.pact_id = OLD.id AND signature.unit_id = slot.unit_id
                    AND signature.content_hash = OLD.content_hash
            );
        IF slots = 0 OR signatures <> slots OR signed_slots <> slots THEN
            RAISE EXCEPTION 'pact % cannot be executed: % of its % slots are signed on its text (% signatures)',
                OLD.id, signed_slots, slots, signatures;
        END IF;
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
    -- Every column but the note on a lost file: a ready job stays ready with the same file and hash.
    changed := pacts_changed_columns(
        to_jsonb(NEW), to_jsonb(OLD),
        ARRAY(SELECT jsonb_object_keys(to_jsonb(OLD) - {previous._sql_array(PDF_JOB_WRITABLE_WHEN_READY)}::text[]))
    );
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'PDF job % is ready: its document cannot change (%)', OLD.id, changed;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""  # noqa: S608 - the column lists above, no input


def tighten(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # No parameters: the % of RAISE reach PostgreSQL as written.
    schema_editor.execute(FUNCTIONS, params=None)


def loosen(apps, schema_editor):
    """Back to the functions of 0005, whose triggers still call them by name."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(previous.FUNCTIONS, params=None)


class Migration(migrations.Migration):
    dependencies = [("pacts", "0005_evidence_guards")]
    operations = [migrations.RunPython(tighten, loosen)]
