"""The database guards the signed record whatever the client (pacts/migrations/0005 and 0006): TRUNCATE of the
evidence tables, changes to a pact's frozen fields and slots once it left draft, a status that moves any other
way than draft -> open, open -> executed (every slot signed on the pact's text) or open -> withdrawn, and any
change to a finished PDF job but the note on a lost file are refused by PostgreSQL itself, even for its
superuser; the services' own writes still go through."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pacts import pdf_jobs, services
from pacts.models import Pact, PactSignatory, PactSignature, PdfJob
from tests.conftest import require
from tests.db_guards import execute, refused
from tests.pacts.factories import make_world

pytestmark = pytest.mark.django_db

TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# Each frozen column of pacts_pact with an SQL expression that changes it.
FROZEN_PACT_CHANGES = {
    "content_text": "content_text || 'x'",
    "content_hash": "repeat('0', 64)",
    "number": "'99/GƯ-SỬA'",
    "title": "'BẢN GIAO ƯỚC ĐÃ BỊ SỬA'",
    "place": "'Nơi khác'",
    "signed_on": "signed_on - 1",
    "bases": "bases || 'x'",
    "parties": "parties || 'x'",
    "targets": "targets || 'x'",
    "implementation": "implementation || 'x'",
    "campaign_id": "campaign_id + 1000000",
    "block": "'Khối khác'",
    "version": "version + 1",
    "verification_code": "'gia-mao'",
    "opened_at": "opened_at - interval '1 day'",
    "previous_id": "id",
    "text_format": "3 - text_format",  # 0010: the format the pact was opened under (1 <-> 2)
}


@pytest.fixture(autouse=True)
def postgres(uses_postgres) -> None:
    require(uses_postgres, "the evidence guards are PostgreSQL triggers")


def sign(world, n: int) -> None:
    pact = Pact.objects.get(pk=world.pact.pk)
    services.pact_sign(
        pact=pact, unit=world.units[n], user=world.leaders[n], consent=True, content_hash=pact.content_hash
    )


def executed_pact() -> Pact:
    world = make_world(1, prefix="guard-exec")
    sign(world, 0)
    return Pact.objects.get(pk=world.pact.pk)


@pytest.fixture
def ready_job(monkeypatch, settings, tmp_path) -> PdfJob:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_SIGNING_P12 = ""
    monkeypatch.setattr(pdf_jobs, "queue_render", lambda job_id: True)
    monkeypatch.setattr("pacts.pdf.render_pact_pdf_bytes", lambda pact, draft=False, site_url="": TINY_PDF)
    pact = executed_pact()
    job = pdf_jobs.pdf_job_claim(PdfJob.objects.get(pact=pact).pk)
    return pdf_jobs.pdf_job_render(job)


# ---------------------------------------------------------------------------------------------
# TRUNCATE
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table",
    ["pacts_pactsignature", "pacts_auditevent", "pacts_pdfjob", "pacts_pact", "pacts_pactsignatory"],
)
def test_truncate_of_an_evidence_table_is_refused_even_to_the_superuser(table):
    executed_pact()
    # The foreign keys are checked at commit; checked now, TRUNCATE meets the guard rather than them.
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert "is refused: its rows are the signed record" in refused(f"TRUNCATE {table} CASCADE")
    # Nor can they be emptied through a cascade from the campaigns.
    assert "is refused: its rows are the signed record" in refused("TRUNCATE pacts_campaign CASCADE")


# ---------------------------------------------------------------------------------------------
# The pact
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("column", sorted(FROZEN_PACT_CHANGES))
@pytest.mark.parametrize("status", [Pact.Status.OPEN, Pact.Status.EXECUTED])
def test_no_frozen_field_of_an_open_or_executed_pact_can_be_updated(column, status):
    pact = executed_pact() if status == Pact.Status.EXECUTED else make_world(1, prefix="guard-open").pact
    before = Pact.objects.filter(pk=pact.pk).values().get()
    change = f"{column} = {FROZEN_PACT_CHANGES[column]}"
    message = refused(f"UPDATE pacts_pact SET {change} WHERE id = %s", [pact.pk])  # noqa: S608 - the test's own
    assert "frozen fields cannot change" in message and column in message
    assert Pact.objects.filter(pk=pact.pk).values().get() == before


@pytest.mark.parametrize(
    ("start", "change"),
    [
        ("open", "status = 'draft'"),
        ("open", "status = 'executed', withdrawn_reason = 'x'"),
        ("open", "executed_at = now()"),
        ("executed", "status = 'withdrawn', withdrawn_at = now(), withdrawn_reason = 'Rút sau khi ký'"),
        ("executed", "status = 'open'"),
        ("executed", "executed_at = executed_at - interval '1 day'"),
        ("executed", "deadline = now() + interval '1 day'"),
        ("withdrawn", "status = 'open', withdrawn_at = NULL, withdrawn_reason = ''"),
        ("withdrawn", "withdrawn_reason = 'Lý do khác'"),
    ],
)
def test_a_pact_that_left_draft_changes_only_by_execution_or_withdrawal(start, change):
    if start == "executed":
        pact = executed_pact()
    else:
        world = make_world(2, prefix="guard-status")
        pact = world.pact
        if start == "withdrawn":
            services.pact_withdraw(pact=pact, reason="Bổ sung chỉ tiêu", actor=world.officer)
    before = Pact.objects.filter(pk=pact.pk).values().get()
    refused(f"UPDATE pacts_pact SET {change} WHERE id = %s", [pact.pk])  # noqa: S608 - the test's own
    assert Pact.objects.filter(pk=pact.pk).values().get() == before


@pytest.mark.parametrize(
    "change",
    [
        "status = 'executed', executed_at = now()",
        "status = 'withdrawn', withdrawn_at = now(), withdrawn_reason = 'Rút khi chưa mở'",
    ],
)
def test_a_draft_only_opens(change):
    pact = make_world(2, prefix="guard-draft", open_pact=False).pact
    frozen = {"content_text": "Văn bản.", "content_hash": "0" * 64, "opened_at": timezone.now()}
    Pact.objects.filter(pk=pact.pk).update(**frozen)
    message = refused(f"UPDATE pacts_pact SET {change} WHERE id = %s", [pact.pk])  # noqa: S608 - the test's own
    assert "cannot go from draft to" in message
    assert Pact.objects.get(pk=pact.pk).status == Pact.Status.DRAFT


def signature_row(pact: Pact, unit, leader, content_hash: str) -> PactSignature:
    """A signature written straight to the table, as a client other than the portal would."""
    return PactSignature.objects.create(
        pact=pact,
        unit=unit,
        signer=leader,
        signer_name=leader.full_name,
        signer_position="Giám đốc",
        unit_name=unit.name,
        signed_at=timezone.now(),
        content_hash=content_hash,
    )


EXECUTE = "UPDATE pacts_pact SET status = 'executed', executed_at = now() WHERE id = %s"


def test_an_open_pact_with_a_signature_missing_cannot_be_set_executed():
    world = make_world(3, prefix="guard-unsigned")
    sign(world, 0)
    sign(world, 1)
    assert "2 of its 3 slots are signed" in refused(EXECUTE, [world.pact.pk])
    assert Pact.objects.get(pk=world.pact.pk).status == Pact.Status.OPEN


def test_an_open_pact_signed_on_another_text_or_by_a_stranger_cannot_be_set_executed():
    world = make_world(2, prefix="guard-other-text")
    pact = world.pact
    signature_row(pact, world.units[0], world.leaders[0], pact.content_hash)
    signature_row(pact, world.units[1], world.leaders[1], "0" * 64)
    assert "1 of its 2 slots are signed" in refused(EXECUTE, [pact.pk])

    crowded = make_world(2, prefix="guard-stranger")
    stranger = make_world(1, prefix="guard-stranger-x")
    for unit, leader in zip(crowded.units, crowded.leaders, strict=True):
        signature_row(crowded.pact, unit, leader, crowded.pact.content_hash)
    signature_row(crowded.pact, stranger.units[0], stranger.leaders[0], crowded.pact.content_hash)
    assert "(3 signatures)" in refused(EXECUTE, [crowded.pact.pk])
    assert Pact.objects.get(pk=crowded.pact.pk).status == Pact.Status.OPEN


def test_an_open_pact_whose_every_slot_is_signed_on_its_text_may_be_executed():
    world = make_world(2, prefix="guard-complete")
    for unit, leader in zip(world.units, world.leaders, strict=True):
        signature_row(world.pact, unit, leader, world.pact.content_hash)
    execute(EXECUTE, [world.pact.pk])
    assert Pact.objects.get(pk=world.pact.pk).status == Pact.Status.EXECUTED


def test_a_pact_that_left_draft_cannot_be_deleted():
    pact = executed_pact()
    assert "cannot be deleted" in refused("DELETE FROM pacts_pact WHERE id = %s", [pact.pk])
    assert Pact.objects.filter(pk=pact.pk).exists()


# ---------------------------------------------------------------------------------------------
# Slots and clauses
# ---------------------------------------------------------------------------------------------


def test_the_slots_and_clauses_of_an_open_pact_cannot_be_added_changed_or_removed():
    world = make_world(2, prefix="guard-slot")
    pact = world.pact
    slot = PactSignatory.objects.filter(pact=pact).first()
    extra = make_world(1, prefix="guard-slot-x").units[0]
    assert "not a draft" in refused(
        "INSERT INTO pacts_pactsignatory (pact_id, unit_id, unit_name, \"order\") VALUES (%s, %s, 'Đơn vị thêm', 9)",
        [pact.pk, extra.pk],
    )
    refused("DELETE FROM pacts_pactsignatory WHERE id = %s", [slot.pk])
    refused("UPDATE pacts_pactsignatory SET unit_name = 'Tên khác' WHERE id = %s", [slot.pk])
    refused("INSERT INTO pacts_pactclause (pact_id, number, text) VALUES (%s, 9, 'Cam kết thêm')", [pact.pk])
    refused("UPDATE pacts_pactclause SET text = 'Cam kết khác' WHERE pact_id = %s", [pact.pk])
    refused("DELETE FROM pacts_pactclause WHERE pact_id = %s", [pact.pk])
    # Nor can a slot be moved from a draft onto it.
    draft = make_world(1, prefix="guard-slot-d", open_pact=False).pact
    draft_slot = PactSignatory.objects.filter(pact=draft).first()
    refused("UPDATE pacts_pactsignatory SET pact_id = %s WHERE id = %s", [pact.pk, draft_slot.pk])
    assert PactSignatory.objects.filter(pact=pact).count() == 2
    assert pact.clauses.count() == 2


def test_a_draft_s_slots_and_clauses_are_edited_and_frozen_by_opening():
    world = make_world(2, prefix="guard-edit", open_pact=False)
    services.pact_update_draft(pact=world.pact, actor=world.officer, units=world.units[:1], clauses=["Một cam kết."])
    pact = services.pact_open(pact=world.pact, deadline=timezone.now() + timedelta(days=3), actor=world.officer)
    assert list(pact.signatories.values_list("unit_id", flat=True)) == [world.units[0].pk]
    assert pact.content_hash


# ---------------------------------------------------------------------------------------------
# PDF jobs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change", ["pdf_sha256 = repeat('0', 64)", "pdf = 'pacts/khac.pdf'", "sealed = true", "version = 7"]
)
def test_a_ready_job_keeps_its_file_and_hash(ready_job, change):
    message = refused(f"UPDATE pacts_pdfjob SET {change} WHERE id = %s", [ready_job.pk])  # noqa: S608 - the test's own
    assert "is ready" in message
    assert PdfJob.objects.get(pk=ready_job.pk).pdf_sha256 == ready_job.pdf_sha256


@pytest.mark.parametrize("status", ["failed", "pending", "rendering"])
def test_a_ready_job_stays_ready(ready_job, status):
    # Out of "ready", the job's file and hash would be free to change, or the job to be deleted.
    message = refused("UPDATE pacts_pdfjob SET status = %s WHERE id = %s", [status, ready_job.pk])
    assert "is ready: its document cannot change (status)" in message
    refused("UPDATE pacts_pdfjob SET status = %s, pdf_sha256 = repeat('0', 64) WHERE id = %s", [status, ready_job.pk])
    assert PdfJob.objects.get(pk=ready_job.pk).status == PdfJob.Status.READY


@pytest.mark.parametrize(
    "change",
    [
        "finished_at = finished_at + interval '1 second'",
        "started_at = started_at + interval '1 second'",
        "queued_at = queued_at + interval '1 second'",
        "attempts = attempts + 1",
    ],
)
def test_nothing_of_a_ready_job_but_its_note_on_a_lost_file_changes(ready_job, change):
    assert "is ready" in refused(f"UPDATE pacts_pdfjob SET {change} WHERE id = %s", [ready_job.pk])  # noqa: S608


def test_the_pdf_worker_still_settles_a_lost_file_on_a_ready_job(ready_job, monkeypatch):
    # A render that differs now: the lost version 1 is replaced by version 2, and says so in last_error.
    ready_job.pdf.storage.delete(ready_job.pdf.name)
    monkeypatch.setattr("pacts.pdf.render_pact_pdf_bytes", lambda pact, draft=False, site_url="": TINY_PDF + b"%")
    assert pdf_jobs.pdf_job_restore(ready_job.pk) == "replaced"
    settled = PdfJob.objects.get(pk=ready_job.pk)
    assert settled.last_error.startswith(pdf_jobs.FILE_MISSING)
    assert (settled.status, settled.pdf_sha256) == (PdfJob.Status.READY, ready_job.pdf_sha256)


def test_a_ready_job_cannot_be_deleted_but_a_waiting_one_can(ready_job):
    assert "cannot be deleted" in refused("DELETE FROM pacts_pdfjob WHERE id = %s", [ready_job.pk])
    waiting = pdf_jobs.pdf_job_create(pact=ready_job.pact, draft=True)
    execute("DELETE FROM pacts_pdfjob WHERE id = %s", [waiting.pk])
    assert not PdfJob.objects.filter(pk=waiting.pk).exists()


# ---------------------------------------------------------------------------------------------
# What the services do still works
# ---------------------------------------------------------------------------------------------


def test_signing_executes_the_pact_and_withdrawal_withdraws_it_through_the_guards():
    world = make_world(2, prefix="guard-ok")
    Pact.objects.filter(pk=world.pact.pk).update(deadline=timezone.now() + timedelta(days=30))  # moved while open
    sign(world, 0)
    sign(world, 1)
    assert Pact.objects.get(pk=world.pact.pk).status == Pact.Status.EXECUTED

    other = make_world(2, prefix="guard-ok-w")
    sign(other, 0)
    draft = services.pact_withdraw(pact=other.pact, reason="Bổ sung chỉ tiêu", actor=other.officer)
    assert Pact.objects.get(pk=other.pact.pk).status == Pact.Status.WITHDRAWN
    assert draft.signatories.count() == 2 and draft.clauses.count() == 2


def test_the_text_format_of_an_open_pact_is_frozen_even_when_it_is_executed_at_once():
    """0010: an UPDATE of an open pact's text_format is refused as a frozen field, alone or with a status change."""
    world = make_world(1, prefix="guard-format")
    pact = world.pact
    other = 3 - pact.text_format
    message = refused("UPDATE pacts_pact SET text_format = %s WHERE id = %s", [other, pact.pk])
    assert "frozen fields cannot change (text_format)" in message
    message = refused(
        "UPDATE pacts_pact SET text_format = %s, status = 'withdrawn', withdrawn_at = now() WHERE id = %s",
        [other, pact.pk],
    )
    assert "frozen fields cannot change (text_format)" in message
    assert Pact.objects.get(pk=pact.pk).text_format == pact.text_format
    # A draft's format may still change (the drafting services never need it, but nothing is frozen yet).
    draft = make_world(1, open_pact=False, prefix="guard-format-draft").pact
    execute("UPDATE pacts_pact SET text_format = %s WHERE id = %s", [3 - draft.text_format, draft.pk])
    assert Pact.objects.get(pk=draft.pk).text_format == 3 - draft.text_format
