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

from pacts import canonical, services
from pacts.models import Pact, PactSignature, PdfJob
from pacts.pdf_jobs import FILE_MISSING
from tests.pacts.factories import make_world
from thidua.record import (
    MANIFEST,
    RecordError,
    backup_load,
    known_lost_files_sql,
    record_verify,
    referenced_files_sql,
)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_SIGNING_P12 = ""
    return settings.MEDIA_ROOT


@pytest.fixture
def executed(media, monkeypatch, django_capture_on_commit_callbacks) -> Pact:
    """An executed pact whose PDF (a stub of the renderer) is ready."""
    monkeypatch.setattr("pacts.pdf.render_pact_pdf_bytes", lambda pact, draft=False: PDF)
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


@pytest.mark.django_db
def test_a_lost_pdf_the_worker_already_settled_is_counted_apart_not_as_a_mismatch(executed, media):
    pdf_path(executed, media).unlink()
    job = executed.pdf_jobs.get()
    PdfJob.objects.filter(pk=job.pk).update(
        last_error=FILE_MISSING + ": the file was missing and …; version 2 replaces it"
    )
    check = record_verify()
    assert check.ok
    assert (check.pdfs, check.lost_pdfs) == (0, 1)
    assert "1 known lost" in check.summary()


@pytest.mark.django_db
def test_the_backup_lists_every_file_a_row_names_and_which_losses_are_settled(executed, media):
    job = executed.pdf_jobs.get()
    with connection.cursor() as cursor:
        assert referenced_files_sql(cursor, connection.ops.quote_name) == [job.pdf.name]
        assert known_lost_files_sql(cursor, connection.ops.quote_name) == set()
    PdfJob.objects.filter(pk=job.pk).update(
        last_error=FILE_MISSING + ": the file is missing and cannot be rendered again"
    )
    with connection.cursor() as cursor:
        assert known_lost_files_sql(cursor, connection.ops.quote_name) == {job.pdf.name}


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
