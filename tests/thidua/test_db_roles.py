"""The application's database role (manage.py db_grant_app_role): it reads and writes rows, so the portal's
own work goes through, and it cannot disable, drop or get around the triggers that guard the record.

Each test creates its role inside the test's transaction (rolled back with it) and acts as that role with
``SET ROLE`` on the test's own connection."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pacts import pdf_jobs, services
from pacts.models import Pact, PdfJob
from tests.conftest import require
from tests.db_guards import acting_as, execute, make_app_role, refused_to
from tests.pacts.factories import make_world
from thidua.record import record_verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgres(uses_postgres) -> None:
    require(uses_postgres, "database roles exist only on PostgreSQL")


@pytest.fixture
def app_role() -> str:
    return make_app_role()


def test_the_app_role_cannot_disable_or_drop_the_guards(app_role):
    make_world(1, prefix="role-guard")
    for table in ["pacts_pactsignature", "pacts_auditevent", "pacts_pact", "pacts_pdfjob"]:
        assert "must be owner" in refused_to(app_role, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    assert "must be owner" in refused_to(app_role, "DROP TRIGGER pacts_pact_frozen ON pacts_pact")
    assert "permission denied" in refused_to(app_role, "SET session_replication_role = replica")


def test_the_app_role_cannot_truncate(app_role):
    make_world(1, prefix="role-trunc")
    for table in ["pacts_pactsignature", "pacts_auditevent", "pacts_pdfjob", "django_session"]:
        assert "permission denied" in refused_to(app_role, f"TRUNCATE {table}")


def test_the_app_role_cannot_rewrite_a_frozen_pact_either(app_role):
    pact = make_world(1, prefix="role-frozen").pact
    assert "frozen fields cannot change" in refused_to(
        app_role, "UPDATE pacts_pact SET content_hash = repeat('0', 64) WHERE id = %s", [pact.pk]
    )


@pytest.fixture
def ready_job(monkeypatch, settings, tmp_path) -> PdfJob:
    """An executed pact's PDF, rendered from a stub and ready."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_SIGNING_P12 = ""
    monkeypatch.setattr(pdf_jobs, "queue_render", lambda job_id: True)
    monkeypatch.setattr("pacts.pdf.render_pact_pdf_bytes", lambda pact, draft=False, site_url="": b"%PDF-1.4\n%%EOF\n")
    world = make_world(1, prefix="role-pdf")
    pact = Pact.objects.get(pk=world.pact.pk)
    services.pact_sign(
        pact=pact, unit=world.units[0], user=world.leaders[0], consent=True, content_hash=pact.content_hash
    )
    return pdf_jobs.pdf_job_render(pdf_jobs.pdf_job_claim(PdfJob.objects.get(pact=pact).pk))


def test_the_app_role_cannot_take_a_ready_job_out_of_ready_to_rewrite_or_delete_it(app_role, ready_job):
    for status in ["failed", "pending", "rendering"]:
        assert "is ready" in refused_to(
            app_role, "UPDATE pacts_pdfjob SET status = %s WHERE id = %s", [status, ready_job.pk]
        )
    assert "is ready" in refused_to(
        app_role, "UPDATE pacts_pdfjob SET pdf_sha256 = repeat('0', 64) WHERE id = %s", [ready_job.pk]
    )
    assert "cannot be deleted" in refused_to(app_role, "DELETE FROM pacts_pdfjob WHERE id = %s", [ready_job.pk])
    assert PdfJob.objects.filter(pk=ready_job.pk, status=PdfJob.Status.READY).exists()


def test_a_note_on_a_lost_file_written_by_the_app_role_does_not_excuse_a_deleted_file(app_role, ready_job):
    # The app role may write last_error (the pdf worker does), so the note alone proves nothing to verify.
    ready_job.pdf.storage.delete(ready_job.pdf.name)
    with acting_as(app_role):
        execute(
            "UPDATE pacts_pdfjob SET last_error = %s WHERE id = %s",
            [pdf_jobs.FILE_MISSING + ": the file was missing and …; version 2 replaces it", ready_job.pk],
        )
    check = record_verify()
    assert not check.ok
    assert f"PDF job {ready_job.pk}: the file {ready_job.pdf.name} is missing" in check.problems[0]


def test_the_pdf_worker_settles_a_lost_file_and_renders_its_replacement_as_the_app_role(
    app_role, ready_job, monkeypatch
):
    ready_job.pdf.storage.delete(ready_job.pdf.name)
    monkeypatch.setattr(
        "pacts.pdf.render_pact_pdf_bytes", lambda pact, draft=False, site_url="": b"%PDF-1.4\n% again\n%%EOF\n"
    )
    with acting_as(app_role):
        assert pdf_jobs.pdf_job_restore(ready_job.pk) == "replaced"
        newer = PdfJob.objects.get(pact=ready_job.pact, version=ready_job.version + 1)
        pdf_jobs.pdf_job_render(pdf_jobs.pdf_job_claim(newer.pk))
    check = record_verify()
    assert check.ok and check.lost_pdfs == 1


def test_the_app_role_cannot_execute_a_pact_with_signatures_missing_or_skip_opening(app_role):
    world = make_world(3, prefix="role-unsigned")
    pact = Pact.objects.get(pk=world.pact.pk)
    services.pact_sign(
        pact=pact, unit=world.units[0], user=world.leaders[0], consent=True, content_hash=pact.content_hash
    )
    execute_now = "UPDATE pacts_pact SET status = 'executed', executed_at = now() WHERE id = %s"
    assert "1 of its 3 slots are signed" in refused_to(app_role, execute_now, [pact.pk])
    draft = make_world(1, prefix="role-draft", open_pact=False).pact
    Pact.objects.filter(pk=draft.pk).update(content_text="Văn bản.", content_hash="0" * 64, opened_at=timezone.now())
    assert "cannot go from draft to executed" in refused_to(app_role, execute_now, [draft.pk])
    assert Pact.objects.get(pk=pact.pk).status == Pact.Status.OPEN
    assert Pact.objects.get(pk=draft.pk).status == Pact.Status.DRAFT


def test_the_portal_signs_executes_and_withdraws_as_the_app_role(app_role):
    signed, withdrawn = make_world(1, prefix="role-sign"), make_world(2, prefix="role-wd")
    with acting_as(app_role):
        assert execute("SELECT current_user")[0][0] == app_role
        pact = Pact.objects.get(pk=signed.pact.pk)
        services.pact_sign(
            pact=pact, unit=signed.units[0], user=signed.leaders[0], consent=True, content_hash=pact.content_hash
        )
        draft = services.pact_withdraw(pact=withdrawn.pact, reason="Bổ sung chỉ tiêu", actor=withdrawn.officer)
        services.pact_update_draft(pact=draft, actor=withdrawn.officer, title="BẢN GIAO ƯỚC SỬA ĐỔI")
        services.pact_open(pact=draft, deadline=timezone.now() + timedelta(days=5), actor=withdrawn.officer)
    assert Pact.objects.get(pk=signed.pact.pk).status == Pact.Status.EXECUTED
    assert Pact.objects.get(pk=withdrawn.pact.pk).status == Pact.Status.WITHDRAWN
    assert Pact.objects.get(pk=draft.pk).status == Pact.Status.OPEN


def test_tables_made_by_later_migrations_are_the_app_role_s_rows_too(app_role):
    execute("CREATE TABLE thidua_later_table (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, note text)")
    with acting_as(app_role):
        execute("INSERT INTO thidua_later_table (note) VALUES ('ghi chú')")
        assert execute("SELECT note FROM thidua_later_table") == [("ghi chú",)]
    assert "permission denied" in refused_to(app_role, "TRUNCATE thidua_later_table")


def test_the_command_refuses_a_missing_or_privileged_role_or_the_owner_itself():
    with pytest.raises(CommandError, match="does not exist"):
        call_command("db_grant_app_role", f"thidua_missing_{uuid.uuid4().hex[:8]}", verbosity=0)
    role = f"thidua_super_test_{uuid.uuid4().hex[:8]}"
    execute(f"CREATE ROLE {role} LOGIN SUPERUSER")
    with pytest.raises(CommandError, match="privileged"):
        call_command("db_grant_app_role", role, verbosity=0)
    owner = execute("SELECT current_user")[0][0]
    with pytest.raises(CommandError, match="privileged|owner"):
        call_command("db_grant_app_role", owner, verbosity=0)


def test_the_command_refuses_a_role_that_owns_a_table(app_role):
    execute("CREATE TABLE thidua_owned_table (id int)")
    execute(f"ALTER TABLE thidua_owned_table OWNER TO {app_role}")
    with pytest.raises(CommandError, match="owns thidua_owned_table"):
        call_command("db_grant_app_role", app_role, verbosity=0)
