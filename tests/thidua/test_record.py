"""Verification of the record against its own hashes, and the checks a backup passes before it is restored.

The whole backup-and-restore drill, on PostgreSQL, is tests/integration/test_backup_restore.py.
"""

import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from pacts import canonical, pdf_jobs, services
from pacts.models import Pact, PactSignature, PdfJob
from pacts.pdf_jobs import FILE_MISSING
from tests.conftest import require
from tests.pacts.factories import make_world
from thidua.record import (
    MANIFEST,
    RecordError,
    backup_load,
    known_lost_files_sql,
    record_verify,
    referenced_files_sql,
    replaced_in_backup,
)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# What the renderer gives after its fonts changed: the lost version 1 cannot be made again identical.
PDF_RENDERED_AGAIN = PDF + b"% rendered again\n"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_SIGNING_P12 = ""
    return settings.MEDIA_ROOT


@pytest.fixture
def executed(media, monkeypatch, django_capture_on_commit_callbacks) -> Pact:
    """An executed pact whose PDF (a stub of the renderer) is ready."""
    monkeypatch.setattr("pacts.pdf.render_pact_pdf_bytes", lambda pact, draft=False, site_url="": PDF)
    world = make_world(2, prefix="verify")
    for unit, leader in zip(world.units, world.leaders, strict=True):
        pact = Pact.objects.get(pk=world.pact.pk)
        with django_capture_on_commit_callbacks(execute=True):
            services.pact_sign(pact=pact, unit=unit, user=leader, consent=True, content_hash=pact.content_hash)
    pact = Pact.objects.get(pk=world.pact.pk)
    assert PdfJob.objects.get(pact=pact).status == PdfJob.Status.READY
    return pact


def pdf_path(pact: Pact, media: Path) -> Path:
    return media / PdfJob.objects.get(pact=pact).pdf.name


@pytest.mark.django_db
def test_a_sound_record_verifies(executed):
    check = record_verify()
    assert check.problems == []
    assert (check.executed_pacts, check.frozen_pacts, check.signatures, check.pdfs, check.files) == (1, 1, 2, 1, 0)


@pytest.mark.django_db
def test_a_pact_whose_text_does_not_match_its_hash_is_reported(executed):
    Pact.objects.create(
        campaign=executed.campaign,
        block="Khối thử",
        title="Giao ước có văn bản bị sửa",
        place="Đồng Hới",
        signed_on=timezone.localdate(),
        status=Pact.Status.EXECUTED,
        content_text="Văn bản đã bị sửa.",
        content_hash=canonical.sha256_hex("Văn bản đã ký."),
        opened_at=timezone.now(),
    )
    check = record_verify()
    assert check.executed_pacts == 1
    assert len(check.problems) == 1
    assert "frozen text does not match" in check.problems[0]


@pytest.mark.django_db
def test_a_signature_on_another_text_is_reported(executed):
    world = make_world(2, prefix="other")
    first = PactSignature(
        pact=world.pact,
        unit=world.units[0],
        signer=world.leaders[0],
        signer_name="Nguyễn Văn Lãnh Đạo 0",
        signer_position="Giám đốc",
        unit_name=world.units[0].name,
        signed_at=timezone.now(),
        content_hash=canonical.sha256_hex("Một văn bản khác."),
    )
    first.save()
    check = record_verify()
    assert [problem for problem in check.problems if f"signature {first.pk}" in problem]
    assert check.signatures == PactSignature.objects.count() - 1


@pytest.mark.django_db
def test_an_altered_pdf_is_reported(executed, media):
    path = pdf_path(executed, media)
    path.write_bytes(path.read_bytes() + b"%")
    check = record_verify()
    assert check.pdfs == 0
    assert check.problems == [
        f"PDF job {executed.pdf_jobs.get().pk}: {executed.pdf_jobs.get().pdf.name} does not match its SHA-256"
    ]


@pytest.mark.django_db
def test_a_missing_pdf_is_reported_once(executed, media):
    pdf_path(executed, media).unlink()
    check = record_verify()
    assert check.pdfs == 0
    assert check.problems == [
        f"PDF job {executed.pdf_jobs.get().pk}: the file {executed.pdf_jobs.get().pdf.name} is missing"
    ]


def replace_lost_version(pact: Pact, media: Path, monkeypatch) -> tuple[PdfJob, PdfJob]:
    """Version 1's file is lost and renders differently now: the pdf worker settles the loss on it and
    renders version 2 (as pacts.pdf_jobs does); returns both jobs."""
    lost = pact.pdf_jobs.get()
    pdf_path(pact, media).unlink()
    monkeypatch.setattr("pacts.pdf.render_pact_pdf_bytes", lambda pact, draft=False, site_url="": PDF_RENDERED_AGAIN)
    assert pdf_jobs.pdf_job_restore(lost.pk) == "replaced"
    newer = PdfJob.objects.get(pact=pact, version=lost.version + 1)
    pdf_jobs.pdf_job_render(pdf_jobs.pdf_job_claim(newer.pk))
    return PdfJob.objects.get(pk=lost.pk), PdfJob.objects.get(pk=newer.pk)


@pytest.mark.django_db
def test_a_lost_pdf_replaced_by_a_newer_version_that_verifies_is_counted_apart_not_as_a_mismatch(
    executed, media, monkeypatch
):
    lost, newer = replace_lost_version(executed, media, monkeypatch)
    assert lost.last_error.startswith(FILE_MISSING) and newer.status == PdfJob.Status.READY
    check = record_verify()
    assert check.problems == []
    assert (check.pdfs, check.lost_pdfs) == (1, 1)
    assert "1 known lost" in check.summary()


@pytest.mark.django_db
def test_a_note_on_the_job_alone_does_not_excuse_a_deleted_file(executed, media):
    # The application's role may write last_error on a ready job: the note proves nothing by itself.
    pdf_path(executed, media).unlink()
    job = executed.pdf_jobs.get()
    PdfJob.objects.filter(pk=job.pk).update(
        last_error=FILE_MISSING + ": the file was missing and …; version 2 replaces it"
    )
    check = record_verify()
    assert (check.pdfs, check.lost_pdfs) == (0, 0)
    assert check.problems == [
        f"PDF job {job.pk}: the file {job.pdf.name} is missing, and no newer version of the pact that verifies "
        "replaces it"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("fault", ["missing", "altered"])
def test_a_lost_pdf_whose_replacement_does_not_verify_is_reported(executed, media, monkeypatch, fault):
    lost, newer = replace_lost_version(executed, media, monkeypatch)
    replacement = media / newer.pdf.name
    if fault == "missing":
        replacement.unlink()
    else:
        replacement.write_bytes(PDF_RENDERED_AGAIN + b"%")
    check = record_verify()
    assert check.lost_pdfs == 0
    assert f"PDF job {lost.pk}: the file {lost.pdf.name} is missing, and no newer version" in check.problems[-1]
    assert len(check.problems) == 2


@pytest.mark.django_db
def test_the_backup_lists_every_file_a_row_names_and_the_versions_that_may_replace_a_settled_loss(
    executed, media, monkeypatch
):
    job = executed.pdf_jobs.get()
    with connection.cursor() as cursor:
        assert referenced_files_sql(cursor, connection.ops.quote_name) == [job.pdf.name]
        assert known_lost_files_sql(cursor, connection.ops.quote_name) == {}
    # A note alone: the loss is listed, with nothing that could replace it.
    PdfJob.objects.filter(pk=job.pk).update(
        last_error=FILE_MISSING + ": the file is missing and cannot be rendered again"
    )
    with connection.cursor() as cursor:
        known = known_lost_files_sql(cursor, connection.ops.quote_name)
    assert known == {job.pdf.name: set()}
    assert replaced_in_backup([job.pdf.name], known, {}) == []
    PdfJob.objects.filter(pk=job.pk).update(last_error="")
    lost, newer = replace_lost_version(executed, media, monkeypatch)
    with connection.cursor() as cursor:
        known = known_lost_files_sql(cursor, connection.ops.quote_name)
    assert known == {lost.pdf.name: {(newer.pdf.name, newer.pdf_sha256)}}
    copied = {newer.pdf.name: {"sha256": newer.pdf_sha256, "bytes": len(PDF_RENDERED_AGAIN)}}
    assert replaced_in_backup([lost.pdf.name], known, copied) == [lost.pdf.name]
    # The newer version absent from the backup, or another file under its name: the loss is not excused.
    assert replaced_in_backup([lost.pdf.name], known, {}) == []
    altered = {newer.pdf.name: {"sha256": "0" * 64, "bytes": 1}}
    assert replaced_in_backup([lost.pdf.name, newer.pdf.name], known, altered) == []


# ---------------------------------------------------------------------------------------------
# Each executed pact against its own records
# ---------------------------------------------------------------------------------------------


def corrupt(sql: str, params=()) -> None:
    """Builds a state the triggers refuse, as a superuser who turned them off would (for this transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.fixture
def postgres(uses_postgres) -> None:
    require(uses_postgres, "the corrupted states are built past PostgreSQL's triggers")


@pytest.mark.django_db
def test_an_open_pact_set_executed_with_a_signature_missing_is_reported(media, postgres):
    world = make_world(3, prefix="verify-missing")
    pact = Pact.objects.get(pk=world.pact.pk)
    services.pact_sign(
        pact=pact, unit=world.units[0], user=world.leaders[0], consent=True, content_hash=pact.content_hash
    )
    corrupt("UPDATE pacts_pact SET status = 'executed', executed_at = now() WHERE id = %s", [pact.pk])
    check = record_verify()
    names = [slot.unit_name for slot in pact.signatories.order_by("order")]
    assert check.problems == [
        f"pact {pact.pk}: executed without the signature of {names[1]}",
        f"pact {pact.pk}: executed without the signature of {names[2]}",
        f"pact {pact.pk}: executed but has no PDF, ready or on its way",
    ]


@pytest.mark.django_db
def test_a_slot_signed_on_another_text_or_a_signature_without_a_slot_is_reported(executed, postgres):
    signature = executed.signatures.order_by("pk").first()
    slot = executed.signatories.get(unit=signature.unit)
    stranger = make_world(1, prefix="verify-stranger").units[0]
    corrupt("UPDATE pacts_pactsignature SET content_hash = repeat('0', 64) WHERE id = %s", [signature.pk])
    corrupt("UPDATE pacts_pactsignatory SET unit_id = %s WHERE id = %s", [stranger.pk, slot.pk])
    check = record_verify()
    assert f"pact {executed.pk}: executed without the signature of {slot.unit_name}" in check.problems
    assert f"pact {executed.pk}: signed by unit {signature.unit_id}, which has no slot on it" in check.problems
    corrupt("UPDATE pacts_pactsignatory SET unit_id = %s WHERE id = %s", [signature.unit_id, slot.pk])
    check = record_verify()
    assert f"pact {executed.pk}: {slot.unit_name} signed a text other than the pact's" in check.problems


@pytest.mark.django_db
def test_an_executed_pact_whose_records_no_longer_give_its_text_is_reported(executed, postgres):
    corrupt("UPDATE pacts_pactclause SET text = 'Cam kết đã bị sửa.' WHERE pact_id = %s AND number = 1", [executed.pk])
    check = record_verify()
    assert check.problems == [f"pact {executed.pk}: its records no longer give the text that was signed"]


@pytest.mark.django_db
def test_an_executed_pact_awaiting_its_pdf_is_noted_and_one_without_any_is_reported(media):
    world = make_world(1, prefix="verify-await")
    pact = Pact.objects.get(pk=world.pact.pk)
    services.pact_sign(
        pact=pact, unit=world.units[0], user=world.leaders[0], consent=True, content_hash=pact.content_hash
    )
    job = PdfJob.objects.get(pact=pact)
    assert job.status == PdfJob.Status.PENDING
    check = record_verify()
    assert check.ok
    assert check.notes == [f"pact {pact.pk}: awaiting its PDF (a job is pending or rendering)"]
    assert "1 executed pacts awaiting their PDF" in check.summary()
    PdfJob.objects.filter(pk=job.pk).update(status=PdfJob.Status.FAILED)
    assert record_verify().problems == [f"pact {pact.pk}: executed but has no PDF, ready or on its way"]
    job.delete()
    assert record_verify().problems == [f"pact {pact.pk}: executed but has no PDF, ready or on its way"]


@pytest.mark.django_db
def test_the_command_prints_a_summary_and_exits_non_zero_on_a_mismatch(executed, media, capsys):
    call_command("verify_record")
    assert "1 executed pacts verified" in capsys.readouterr().out
    pdf_path(executed, media).write_bytes(b"%PDF-1.4 something else")
    with pytest.raises(CommandError, match="does not verify"):
        call_command("verify_record")
    captured = capsys.readouterr()
    assert "does not match its SHA-256" in captured.err
    assert "1 mismatch(es)" in captured.out


# ---------------------------------------------------------------------------------------------
# Loading a backup
# ---------------------------------------------------------------------------------------------


def write_backup(path: Path, files: dict[str, bytes]) -> Path:
    (path / "media").mkdir(parents=True)
    (path / "database.dump").write_bytes(b"dump")
    for name, data in files.items():
        (path / "media" / name).parent.mkdir(parents=True, exist_ok=True)
        (path / "media" / name).write_bytes(data)
    manifest = {
        "format": 1,
        "engine": "postgresql",
        "database": {"file": "database.dump", "sha256": hashlib.sha256(b"dump").hexdigest(), "bytes": 4},
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)} for name, data in files.items()
        },
        "missing": [],
    }
    (path / MANIFEST).write_text(json.dumps(manifest))
    return path


def test_a_sound_backup_loads(tmp_path):
    backup = backup_load(write_backup(tmp_path / "b", {"pacts/2026/a-v1.pdf": PDF}))
    assert list(backup.manifest["files"]) == ["pacts/2026/a-v1.pdf"]


def test_a_backup_with_an_altered_file_is_refused_before_anything_is_restored(tmp_path):
    backup = write_backup(tmp_path / "b", {"pacts/2026/a-v1.pdf": PDF})
    (backup / "media" / "pacts/2026/a-v1.pdf").write_bytes(PDF + b"%")
    with pytest.raises(RecordError, match="does not match its SHA-256"):
        backup_load(backup)


def test_a_backup_with_an_altered_dump_is_refused(tmp_path):
    backup = write_backup(tmp_path / "b", {})
    (backup / "database.dump").write_bytes(b"dumq")
    with pytest.raises(RecordError, match="database.dump does not match"):
        backup_load(backup)


def test_a_directory_without_a_manifest_is_not_a_backup(tmp_path):
    with pytest.raises(RecordError, match="is not a backup"):
        backup_load(tmp_path)


def test_a_file_name_leading_outside_the_backup_is_refused(tmp_path):
    backup = write_backup(tmp_path / "b", {})
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["files"]["../../etc/passwd"] = {"sha256": "0" * 64, "bytes": 0}
    (backup / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(RecordError, match="refusing the file name"):
        backup_load(backup)


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_tables(tmp_path, settings):
    engine = "postgresql" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite"
    backup = write_backup(tmp_path / "b", {})
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["engine"] = engine
    (backup / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="already holds tables"):
        call_command("restore_record", str(backup))


def test_a_restore_refused_for_a_missing_role_says_what_to_do(monkeypatch, tmp_path):
    from thidua import record

    def pg_restore_fails(command):
        raise RecordError('pg_restore failed (1): ERROR:  role "thidua_app" does not exist')

    monkeypatch.setattr(record, "_run", pg_restore_fails)
    with pytest.raises(RecordError, match="Nothing was restored. Create the application's role first"):
        record._pg_restore(tmp_path / "database.dump", replace=False, restore_privileges=True)
