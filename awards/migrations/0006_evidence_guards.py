"""On PostgreSQL, the database itself guards the awards record, whatever the client (the portal, psql, a
script), as pacts/migrations/0005 guards the signed pacts: TRUNCATE of the awards record is refused, and
each record is frozen from the moment the services never change it again:

- an award decision and its awards, once recorded: never updated or deleted, and no award is added to a
  decision recorded by an earlier transaction (``decision_record`` writes both at once);
- a suy tôn vote: its counts are never updated; the vote itself only gets the registration it proposes
  (once, when recorded); it and its counts can be replaced (deleted, inserted) only while the campaign is
  open and no award of its title in its campaign exists (``vote_record``'s own rule);
- a registration "awarded" or "not awarded": final, never updated or deleted, its people fixed; a
  registration's status moves only along the services' paths, and "awarded" only with its award on record;
- a scoring table in use: never deleted, never back to draft, its year fixed, its groups and criteria fixed,
  its kinds of unit fixed (as a set) once a unit has a sheet; its grade thresholds fixed once a sheet on it
  is reviewed (its name and decision may still be corrected, as ``table_update`` allows);
- a score sheet: never moves to another table or unit; its status moves draft -> submitted -> reviewed or
  submitted -> draft (sent back); sent for review it is no longer deleted; reviewed it is final, with all
  its entries; its entries' self-scores and evidence change only while it is a draft, the reviewed points
  only while it is submitted.

The application's database role owns no table (``manage.py db_grant_app_role``), so it cannot disable
these triggers.
"""

from django.db import migrations

GUARDED_FROM_TRUNCATE = [
    "awards_awardregistration",
    "awards_registeredperson",
    "awards_scoringtable",
    "awards_scoringgroup",
    "awards_criterion",
    "awards_gradethreshold",
    "awards_scoresheet",
    "awards_scoreentry",
    "awards_vote",
    "awards_votecount",
    "awards_awarddecision",
    "awards_award",
]

FINAL_REGISTRATION = ["awarded", "not_awarded"]

# The paths of a registration's status in the services (registrations, votes, decisions).
REGISTRATION_MOVES = [
    ("draft", "submitted"),
    ("returned", "submitted"),
    ("draft", "withdrawn"),
    ("submitted", "withdrawn"),
    ("returned", "withdrawn"),
    ("approved", "withdrawn"),
    ("withdrawn", "draft"),
    ("submitted", "approved"),
    ("submitted", "returned"),
    ("approved", "proposed"),
    ("proposed", "approved"),
    ("approved", "not_awarded"),
    ("proposed", "not_awarded"),
    ("approved", "awarded"),
    ("proposed", "awarded"),
]
SHEET_MOVES = [("draft", "submitted"), ("submitted", "reviewed"), ("submitted", "draft")]

ENTRY_SELF_SCORED = ["self_points", "note", "evidence_file", "evidence_link"]
ENTRY_REVIEWED = ["reviewed_points", "review_reason", "reviewed_by_id", "reviewed_at"]


def _sql_array(names: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{name}'" for name in names) + "]::text[]"


def _sql_moves(moves: list[tuple[str, str]]) -> str:
    return _sql_array([f"{old}>{new}" for old, new in moves])


FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION awards_changed_columns(new_row jsonb, old_row jsonb, columns text[])
RETURNS text AS $$
    SELECT string_agg(key, ', ' ORDER BY key)
    FROM unnest(columns) AS key
    WHERE new_row -> key IS DISTINCT FROM old_row -> key;
$$ LANGUAGE sql IMMUTABLE;

-- Every column but those allowed to change.
CREATE OR REPLACE FUNCTION awards_changed_except(new_row jsonb, old_row jsonb, allowed text[])
RETURNS text AS $$
    SELECT awards_changed_columns(new_row - allowed, old_row - allowed, ARRAY(SELECT jsonb_object_keys(old_row)));
$$ LANGUAGE sql IMMUTABLE;

-- The row version with this xmin was written by the current transaction (or one of its savepoints): only
-- then is a transaction still in progress while its row is visible to us. The 32-bit xid is widened to xid8
-- in the epoch nearest the current xid (xids in use span less than 2^31; a savepoint's xid follows its
-- transaction's, possibly across an epoch boundary).
CREATE OR REPLACE FUNCTION awards_written_here(row_xmin xid) RETURNS boolean AS $$
DECLARE
    current_full bigint := pg_current_xact_id()::text::bigint;
    distance bigint := row_xmin::text::bigint - (current_full & 4294967295);
    full_xid bigint := current_full + distance;
BEGIN
    IF distance > 2147483648 THEN
        full_xid := full_xid - 4294967296;
    ELSIF distance < -2147483648 THEN
        full_xid := full_xid + 4294967296;
    END IF;
    RETURN full_xid >= 0 AND COALESCE(pg_xact_status(full_xid::text::xid8) = 'in progress', false);
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION awards_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'TRUNCATE of % is refused: its rows are the awards record', TG_TABLE_NAME
        USING HINT = 'Evidence is never removed in bulk.';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION awards_refuse_change() RETURNS trigger AS $$
DECLARE
    changed text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '% % is on record: it cannot be deleted', TG_TABLE_NAME, OLD.id;
    END IF;
    changed := awards_changed_except(to_jsonb(NEW), to_jsonb(OLD), ARRAY[]::text[]);
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION '% % is on record: it cannot change (%)', TG_TABLE_NAME, OLD.id, changed;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION awards_award_insert_guard() RETURNS trigger AS $$
DECLARE
    decision_xmin xid;
BEGIN
    SELECT xmin INTO decision_xmin FROM awards_awarddecision WHERE id = NEW.decision_id;
    IF decision_xmin IS NOT NULL AND NOT awards_written_here(decision_xmin) THEN
        RAISE EXCEPTION 'decision % is on record: no award can be added to it', NEW.decision_id
            USING HINT = 'A decision and its awards are recorded together.';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION awards_registration_guard() RETURNS trigger AS $$
DECLARE
    changed text;
BEGIN
    IF OLD.status = ANY({_sql_array(FINAL_REGISTRATION)}) THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'registration % is %: it cannot be deleted', OLD.id, OLD.status;
        END IF;
        changed := awards_changed_except(to_jsonb(NEW), to_jsonb(OLD), ARRAY['updated_at']);
        IF changed IS NOT NULL THEN
            RAISE EXCEPTION 'registration % is %: % cannot change', OLD.id, OLD.status, changed;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    IF NEW.status <> OLD.status AND NOT (OLD.status || '>' || NEW.status) = ANY({_sql_moves(REGISTRATION_MOVES)}) THEN
        RAISE EXCEPTION 'registration % cannot go from % to %', OLD.id, OLD.status, NEW.status;
    END IF;
    IF NEW.status = 'awarded' AND NOT EXISTS (SELECT 1 FROM awards_award WHERE registration_id = OLD.id) THEN
        RAISE EXCEPTION 'registration % cannot be awarded without an award of a decision on record', OLD.id;
    END IF;
    changed := awards_changed_columns(to_jsonb(NEW), to_jsonb(OLD), ARRAY['campaign_id', 'unit_id', 'title_id']);
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'registration %: % cannot change', OLD.id, changed;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION awards_registered_person_guard() RETURNS trigger AS $$
DECLARE
    registration_status text;
BEGIN
    -- FOR SHARE waits for a transaction that is deciding the registration, then reads what it committed.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT status INTO registration_status FROM awards_awardregistration WHERE id = OLD.registration_id FOR SHARE;
        IF registration_status = ANY({_sql_array(FINAL_REGISTRATION)}) THEN
            RAISE EXCEPTION 'the people of registration % cannot change: it is %',
                OLD.registration_id, registration_status;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT status INTO registration_status FROM awards_awardregistration WHERE id = NEW.registration_id FOR SHARE;
        IF registration_status = ANY({_sql_array(FINAL_REGISTRATION)}) THEN
            RAISE EXCEPTION 'the people of registration % cannot change: it is %',
                NEW.registration_id, registration_status;
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION awards_kinds(kinds jsonb) RETURNS text[] AS $$
    SELECT COALESCE(array_agg(DISTINCT kind ORDER BY kind), ARRAY[]::text[])
    FROM jsonb_array_elements_text(kinds) AS kind;
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION awards_scoringtable_guard() RETURNS trigger AS $$
DECLARE
    changed text;
BEGIN
    IF OLD.status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF NEW.status NOT IN ('draft', 'published') THEN
            RAISE EXCEPTION 'scoring table % cannot go from draft to %', OLD.id, NEW.status;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'scoring table % is in use: it cannot be deleted', OLD.id;
    END IF;
    changed := awards_changed_columns(to_jsonb(NEW), to_jsonb(OLD), ARRAY['status', 'year', 'created_at']);
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'scoring table % is in use: % cannot change', OLD.id, changed;
    END IF;
    IF awards_kinds(NEW.unit_kinds) IS DISTINCT FROM awards_kinds(OLD.unit_kinds)
        AND EXISTS (SELECT 1 FROM awards_scoresheet WHERE table_id = OLD.id) THEN
        RAISE EXCEPTION 'scoring table % has score sheets: its kinds of unit cannot change', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION awards_table_part_guard() RETURNS trigger AS $$
DECLARE
    row_id bigint;
    table_row awards_scoringtable%ROWTYPE;
    reviewed boolean;
BEGIN
    FOR row_id IN SELECT unnest(ARRAY[
        CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN
            CASE WHEN TG_TABLE_NAME = 'awards_criterion' THEN (SELECT table_id FROM awards_scoringgroup
                WHERE id = (to_jsonb(OLD) ->> 'group_id')::bigint) ELSE (to_jsonb(OLD) ->> 'table_id')::bigint END
        END,
        CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN
            CASE WHEN TG_TABLE_NAME = 'awards_criterion' THEN (SELECT table_id FROM awards_scoringgroup
                WHERE id = (to_jsonb(NEW) ->> 'group_id')::bigint) ELSE (to_jsonb(NEW) ->> 'table_id')::bigint END
        END
    ]) LOOP
        CONTINUE WHEN row_id IS NULL;
        -- FOR SHARE waits for a transaction that is putting the table in use, then reads what it committed.
        SELECT * INTO table_row FROM awards_scoringtable WHERE id = row_id FOR SHARE;
        IF TG_TABLE_NAME = 'awards_gradethreshold' THEN
            SELECT EXISTS (SELECT 1 FROM awards_scoresheet WHERE table_id = row_id AND status = 'reviewed')
                INTO reviewed;
            IF reviewed THEN
                RAISE EXCEPTION 'the grades of scoring table % cannot change: a review was closed on them', row_id;
            END IF;
        ELSIF table_row.status <> 'draft' THEN
            RAISE EXCEPTION '% of scoring table % cannot change: the table is in use', TG_TABLE_NAME, row_id;
        END IF;
    END LOOP;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION awards_scoresheet_guard() RETURNS trigger AS $$
DECLARE
    changed text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'score sheet % is %: it cannot be deleted', OLD.id, OLD.status;
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'reviewed' THEN
        changed := awards_changed_except(to_jsonb(NEW), to_jsonb(OLD), ARRAY[]::text[]);
        IF changed IS NOT NULL THEN
            RAISE EXCEPTION 'score sheet % is reviewed: % cannot change', OLD.id, changed;
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status <> OLD.status AND NOT (OLD.status || '>' || NEW.status) = ANY({_sql_moves(SHEET_MOVES)}) THEN
        RAISE EXCEPTION 'score sheet % cannot go from % to %', OLD.id, OLD.status, NEW.status;
    END IF;
    changed := awards_changed_columns(to_jsonb(NEW), to_jsonb(OLD), ARRAY['table_id', 'unit_id']);
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'score sheet %: % cannot change', OLD.id, changed;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION awards_scoreentry_guard() RETURNS trigger AS $$
DECLARE
    sheet_status text;
    changed text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        changed := awards_changed_columns(to_jsonb(NEW), to_jsonb(OLD), ARRAY['sheet_id', 'criterion_id']);
        IF changed IS NOT NULL THEN
            RAISE EXCEPTION 'score % cannot move: % cannot change', OLD.id, changed;
        END IF;
    END IF;
    -- FOR SHARE waits for a transaction that is sending or reviewing the sheet, then reads what it committed.
    IF TG_OP = 'INSERT' THEN
        SELECT status INTO sheet_status FROM awards_scoresheet WHERE id = NEW.sheet_id FOR SHARE;
    ELSE
        SELECT status INTO sheet_status FROM awards_scoresheet WHERE id = OLD.sheet_id FOR SHARE;
    END IF;
    IF sheet_status = 'reviewed' THEN
        RAISE EXCEPTION 'the scores of sheet % cannot change: its review is closed',
            CASE WHEN TG_OP = 'INSERT' THEN NEW.sheet_id ELSE OLD.sheet_id END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF sheet_status = 'submitted' THEN
            RAISE EXCEPTION 'the scores of sheet % cannot be deleted: it is sent for review', OLD.sheet_id;
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF sheet_status = 'draft' THEN
            changed := awards_changed_columns(to_jsonb(NEW), to_jsonb(OLD), {_sql_array(ENTRY_REVIEWED)});
        ELSE
            changed := awards_changed_columns(to_jsonb(NEW), to_jsonb(OLD), {_sql_array(ENTRY_SELF_SCORED)});
        END IF;
        IF changed IS NOT NULL THEN
            RAISE EXCEPTION 'score % of a sheet that is %: % cannot change', OLD.id, sheet_status, changed;
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- The vote can no longer be recorded again (vote_record's rule): its campaign is closed, or a decision
-- has awarded its title to a registration of its campaign.
CREATE OR REPLACE FUNCTION awards_vote_final(vote_id bigint) RETURNS boolean AS $$
    SELECT EXISTS (
        SELECT 1 FROM awards_vote AS vote JOIN pacts_campaign AS campaign ON campaign.id = vote.campaign_id
        WHERE vote.id = vote_id AND (
            campaign.status = 'closed' OR EXISTS (
                SELECT 1 FROM awards_award AS award
                JOIN awards_awardregistration AS registration ON registration.id = award.registration_id
                WHERE registration.campaign_id = vote.campaign_id AND award.title_id = vote.title_id
            )
        )
    );
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION awards_vote_guard() RETURNS trigger AS $$
DECLARE
    changed text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF awards_vote_final(OLD.id) THEN
            RAISE EXCEPTION 'vote % is final (campaign closed or title awarded): it cannot be deleted', OLD.id;
        END IF;
        RETURN OLD;
    END IF;
    changed := awards_changed_except(to_jsonb(NEW), to_jsonb(OLD), ARRAY['proposed_id']);
    IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'vote % is on record: % cannot change', OLD.id, changed;
    END IF;
    IF NEW.proposed_id IS DISTINCT FROM OLD.proposed_id AND OLD.proposed_id IS NOT NULL THEN
        RAISE EXCEPTION 'vote % has proposed registration %: that cannot change', OLD.id, OLD.proposed_id;
    END IF;
    IF NEW.proposed_id IS DISTINCT FROM OLD.proposed_id AND awards_vote_final(OLD.id) THEN
        RAISE EXCEPTION 'vote % is final (campaign closed or title awarded): it cannot propose', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION awards_votecount_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'the votes of vote % are on record: they cannot change', OLD.vote_id
            USING HINT = 'Record the vote again while the campaign is open and the title not awarded.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        -- The vote's own deletion (vote_record replacing it) deletes its counts first.
        IF awards_vote_final(OLD.vote_id) THEN
            RAISE EXCEPTION 'vote % is final (campaign closed or title awarded): its votes cannot change',
                OLD.vote_id;
        END IF;
        RETURN OLD;
    END IF;
    IF awards_vote_final(NEW.vote_id) THEN
        RAISE EXCEPTION 'vote % is final (campaign closed or title awarded): its votes cannot change', NEW.vote_id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""  # noqa: S608 - the column and status lists above, no input


def _trigger(name: str, when: str, table: str, function: str) -> str:
    return f"CREATE TRIGGER {name} BEFORE {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();"


ROW_TRIGGERS = [
    ("awards_awarddecision_frozen", "UPDATE OR DELETE", "awards_awarddecision", "awards_refuse_change"),
    ("awards_award_frozen", "UPDATE OR DELETE", "awards_award", "awards_refuse_change"),
    ("awards_award_with_its_decision", "INSERT", "awards_award", "awards_award_insert_guard"),
    ("awards_awardregistration_frozen", "UPDATE OR DELETE", "awards_awardregistration", "awards_registration_guard"),
    (
        "awards_registeredperson_frozen",
        "INSERT OR UPDATE OR DELETE",
        "awards_registeredperson",
        "awards_registered_person_guard",
    ),
    ("awards_scoringtable_frozen", "UPDATE OR DELETE", "awards_scoringtable", "awards_scoringtable_guard"),
    ("awards_scoringgroup_frozen", "INSERT OR UPDATE OR DELETE", "awards_scoringgroup", "awards_table_part_guard"),
    ("awards_criterion_frozen", "INSERT OR UPDATE OR DELETE", "awards_criterion", "awards_table_part_guard"),
    ("awards_gradethreshold_frozen", "INSERT OR UPDATE OR DELETE", "awards_gradethreshold", "awards_table_part_guard"),
    ("awards_scoresheet_frozen", "UPDATE OR DELETE", "awards_scoresheet", "awards_scoresheet_guard"),
    ("awards_scoreentry_frozen", "INSERT OR UPDATE OR DELETE", "awards_scoreentry", "awards_scoreentry_guard"),
    ("awards_vote_frozen", "UPDATE OR DELETE", "awards_vote", "awards_vote_guard"),
    ("awards_votecount_frozen", "INSERT OR UPDATE OR DELETE", "awards_votecount", "awards_votecount_guard"),
]

TRIGGERS = [
    *(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION awards_refuse_truncate();"
        for table in GUARDED_FROM_TRUNCATE
    ),
    *(_trigger(*row) for row in ROW_TRIGGERS),
]

FUNCTION_SIGNATURES = [
    "awards_votecount_guard()",
    "awards_vote_guard()",
    "awards_vote_final(bigint)",
    "awards_scoreentry_guard()",
    "awards_scoresheet_guard()",
    "awards_table_part_guard()",
    "awards_scoringtable_guard()",
    "awards_kinds(jsonb)",
    "awards_registered_person_guard()",
    "awards_registration_guard()",
    "awards_award_insert_guard()",
    "awards_refuse_change()",
    "awards_refuse_truncate()",
    "awards_written_here(xid)",
    "awards_changed_except(jsonb, jsonb, text[])",
    "awards_changed_columns(jsonb, jsonb, text[])",
]

DROPS = [
    *(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};" for table in GUARDED_FROM_TRUNCATE),
    *(f"DROP TRIGGER IF EXISTS {name} ON {table};" for name, _when, table, _function in ROW_TRIGGERS),
    *(f"DROP FUNCTION IF EXISTS {signature};" for signature in FUNCTION_SIGNATURES),
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
    dependencies = [
        ("awards", "0005_sheet_return_reason"),
        ("pacts", "0005_evidence_guards"),  # awards_vote_final reads pacts_campaign
    ]
    operations = [migrations.RunPython(add_guards, drop_guards)]
