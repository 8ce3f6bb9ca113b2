"""The restore drill: back up a record holding an executed pact with its PDF and an evidence file, restore it
into an empty PostgreSQL database and an empty media directory (in other processes, as on a new server),
verify it there, and see verification fail once a restored PDF is altered.

The test is transactional, so pg_dump (another connection) sees the data it commits.
"""

import os
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from awards.models import Criterion, ScoreEntry
from awards.services.scoring import SelfScore, sheet_open, sheet_save_self_scores
from pacts import services
from pacts.models import Pact, PdfJob
from tests.awards.factories import make_table
from tests.conftest import require
from tests.pacts.factories import make_world
from thidua.record import record_verify

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

EVIDENCE = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _server_params() -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db.get("PASSWORD") or None,
    }


def _database_url(name: str) -> str:
    params = _server_params()
    credentials = quote(params["user"] or "", safe="")
    if params["password"]:
        credentials += ":" + quote(params["password"], safe="")
    return f"postgres://{credentials}@{params['host']}:{params['port']}/{name}"


def _admin(statement: str) -> None:
    server = psycopg2.connect(dbname="postgres", **_server_params())
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(statement)
    finally:
        server.close()


@pytest.fixture
def empty_database():
    """A new, empty database on the same server, dropped afterwards."""
    require(settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql", "the drill is PostgreSQL's")
    name = f"thidua_restore_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"')
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_SIGNING_P12 = ""
    return settings.MEDIA_ROOT


def _manage(*args: str, database: str, media: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(database),
        "MEDIA_ROOT": str(media),
        "REDIS_URL": "",
        "PDF_SIGNING_P12": "",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _executed_pact_with_its_pdf() -> Pact:
    """Signed by every unit through the service; the PDF job renders in-process (eager tasks) after commit."""
    world = make_world(2, prefix="drill")
    for unit, leader in zip(world.units, world.leaders, strict=True):
        pact = Pact.objects.get(pk=world.pact.pk)
        services.pact_sign(pact=pact, unit=unit, user=leader, consent=True, content_hash=pact.content_hash)
    pact = Pact.objects.get(pk=world.pact.pk)
    assert pact.status == Pact.Status.EXECUTED
    job = PdfJob.objects.get(pact=pact)
    assert job.status == PdfJob.Status.READY, job.last_error
    # An evidence file on a unit's score sheet: the backup carries every file a row names, not only PDFs.
    table = make_table(world.campaign.year)
    sheet = sheet_open(table=table, unit=world.units[1])
    criterion = Criterion.objects.get(group__table=table, code="1.1")
    upload = SimpleUploadedFile("Báo cáo.pdf", EVIDENCE, content_type="application/pdf")
    sheet_save_self_scores(
        sheet=sheet,
        actor=world.leaders[1],
        scores={criterion.pk: SelfScore(points=Decimal("12"), evidence_file=upload)},
    )
    return pact


def test_a_backup_restored_into_an_empty_database_and_storage_verifies_and_detects_an_altered_pdf(
    empty_database, media, tmp_path
):
    pact = _executed_pact_with_its_pdf()
    source = record_verify()
    assert source.ok, source.problems
    assert (source.executed_pacts, source.pdfs, source.files) == (1, 1, 1)  # the PDF, the evidence

    call_command("backup_record", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()

    restored_media = tmp_path / "restored-media"
    restore = _manage("restore_record", str(backup), database=empty_database, media=restored_media)
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert source.summary() in restore.stdout

    verify = _manage("verify_record", database=empty_database, media=restored_media)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.strip() == source.summary()
    assert "1 executed pacts verified" in verify.stdout and "1 PDFs" in verify.stdout
    evidence = ScoreEntry.objects.exclude(evidence_file="").get()
    assert (restored_media / evidence.evidence_file.name).read_bytes() == EVIDENCE

    again = _manage("restore_record", str(backup), database=empty_database, media=restored_media)
    assert again.returncode != 0
    assert "already holds tables" in again.stderr
    replaced = _manage("restore_record", str(backup), "--replace", database=empty_database, media=restored_media)
    assert replaced.returncode == 0, replaced.stdout + replaced.stderr
    assert source.summary() in replaced.stdout

    pdf = restored_media / PdfJob.objects.get(pact=pact).pdf.name
    pdf.write_bytes(pdf.read_bytes() + b"%")
    tampered = _manage("verify_record", database=empty_database, media=restored_media)
    assert tampered.returncode != 0
    assert "does not match its SHA-256" in tampered.stderr
    assert "0 PDFs" in tampered.stdout
