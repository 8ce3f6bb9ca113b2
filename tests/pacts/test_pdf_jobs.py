"""The PDF pipeline: the outbox job written with the execution, the worker's claim, retries and the sweep.

The renderer (pacts.pdf) is replaced by a stub that returns a tiny PDF, so these tests check the pipeline
and not the document; tests/pacts/test_seal.py and the pdf-render tests check what is inside.
"""

import hashlib
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.test import override_settings
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from pacts import pdf_jobs, services
from pacts.errors import PactError
from pacts.models import Pact, PdfJob
from pacts.pdf_jobs import (
    current_pdf_job,
    latest_pdf_job,
    pdf_job_claim,
    pdf_job_create,
    pdf_job_fail,
    pdf_job_render,
    pdf_job_rerender,
    pdf_jobs_sweep,
    retry_countdown,
)
from pacts.tasks import render_missing_pdf, render_pact_pdf, sweep_pdf_jobs
from tests.pacts.factories import make_world

pytestmark = pytest.mark.django_db

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class Renderer:
    """Stands in for pacts.pdf.render_pact_pdf_bytes: counts calls, returns distinct bytes or raises."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.calls: list[tuple[int, bool]] = []
        self.error = error

    def __call__(self, pact: Pact, *, draft: bool = False, site_url: str = "") -> bytes:
        self.calls.append((pact.pk, draft))
        if self.error is not None:
            raise self.error
        return TINY_PDF + f"% call {len(self.calls)}\n".encode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_SIGNING_P12 = ""
    settings.PDF_MAX_ATTEMPTS = 5
    settings.PDF_SWEEP_MINUTES = 10
    return settings.MEDIA_ROOT


@pytest.fixture
def renderer(monkeypatch) -> Renderer:
    stub = Renderer()
    monkeypatch.setattr("pacts.pdf.render_pact_pdf_bytes", stub)
    return stub


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Records the jobs sent to the worker instead of running them."""
    sent: list[int] = []
    monkeypatch.setattr(pdf_jobs, "queue_render", lambda job_id: sent.append(job_id) or True)
    return sent


def execute(n_units: int = 2, prefix: str = "") -> Pact:
    world = make_world(n_units, prefix=prefix)
    for unit, leader in zip(world.units, world.leaders, strict=True):
        pact = Pact.objects.get(pk=world.pact.pk)
        services.pact_sign(pact=pact, unit=unit, user=leader, consent=True, content_hash=pact.content_hash)
    return Pact.objects.get(pk=world.pact.pk)


def run_with_retries(job_id: int) -> tuple[str, list[int]]:
    """Runs the task in-process as a worker would, each retry at once: returns its outcome and the
    countdowns it asked for (eagerly, Celery raises Retry instead of sending the retry message)."""
    countdowns = []
    for _ in range(20):
        try:
            return render_pact_pdf.apply(args=[job_id]).get(), countdowns
        except Retry as retry:
            countdowns.append(int(retry.when))
    raise AssertionError(f"still retrying after 20 runs: {countdowns}")


def job_of(pact: Pact) -> PdfJob:
    return PdfJob.objects.get(pact=pact, draft=False, version=1)


def files_in(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*.pdf"))


# ---------------------------------------------------------------------------------------------
# The outbox
# ---------------------------------------------------------------------------------------------


def test_executing_a_pact_writes_one_pending_job_in_the_same_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pact = execute()
    # The test's transaction never commits, so no after-commit callback has run: the row exists anyway.
    job = PdfJob.objects.get(pact=pact)
    assert pact.status == Pact.Status.EXECUTED
    assert (job.status, job.version, job.draft, job.attempts) == (PdfJob.Status.PENDING, 1, False, 0)
    assert job.queued_at is not None
    assert callbacks, "the job is queued after commit"


def test_the_job_is_sent_to_the_pdf_queue_only_after_commit(monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(render_pact_pdf, "apply_async", lambda **kwargs: sent.append(kwargs))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pact = execute()
    assert sent == []
    for callback in callbacks:
        callback()
    assert {"args": [job_of(pact).pk], "queue": "pdf"} in sent


def test_a_broker_that_is_down_at_execution_loses_nothing(monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(render_pact_pdf, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        pact = execute()
    assert Pact.objects.get(pk=pact.pk).status == Pact.Status.EXECUTED
    assert job_of(pact).status == PdfJob.Status.PENDING


# ---------------------------------------------------------------------------------------------
# The worker's task
# ---------------------------------------------------------------------------------------------


def test_the_task_renders_stores_and_hashes_the_pdf(renderer, media):
    pact = execute()
    assert render_pact_pdf.apply(args=[job_of(pact).pk]).get() == PdfJob.Status.READY
    job = job_of(pact)
    data = Path(job.pdf.path).read_bytes()
    assert data.startswith(b"%PDF")
    assert job.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert (job.status, job.attempts, job.sealed, job.last_error) == (PdfJob.Status.READY, 1, False, "")
    assert job.pdf.name == f"pacts/{pact.campaign.year}/{pact.verification_code}-v1.pdf"
    assert job.started_at <= job.finished_at
    assert renderer.calls == [(pact.pk, False)]


def test_running_the_task_twice_yields_one_document_and_one_hash(renderer, media):
    pact = execute()
    job_id = job_of(pact).pk
    render_pact_pdf.apply(args=[job_id])
    first = job_of(pact)
    assert render_pact_pdf.apply(args=[job_id]).get() == "skipped"
    again = job_of(pact)
    assert len(renderer.calls) == 1
    assert (again.pdf.name, again.pdf_sha256, again.attempts) == (first.pdf.name, first.pdf_sha256, 1)
    assert len(files_in(media)) == 1


def test_of_two_claims_at_once_only_one_gets_the_job():
    pact = execute()
    job_id = job_of(pact).pk
    first = pdf_job_claim(job_id)
    second = pdf_job_claim(job_id)
    assert first is not None and first.status == PdfJob.Status.RENDERING
    assert second is None
    assert job_of(pact).attempts == 1


def test_a_render_that_lost_its_claim_is_thrown_away(renderer, media):
    pact = execute()
    job_id = job_of(pact).pk
    slow = pdf_job_claim(job_id)
    # The broker redelivers the message (the first worker looked dead): the new run takes the job over.
    fresh = pdf_job_claim(job_id, redelivered=True)
    assert fresh is not None and fresh.attempts == 2
    assert pdf_job_render(slow).status == PdfJob.Status.RENDERING  # discarded: not ours any more
    assert files_in(media) == []
    done = pdf_job_render(fresh)
    assert done.status == PdfJob.Status.READY
    assert len(files_in(media)) == 1


def test_a_job_already_ready_is_left_alone(renderer):
    pact = execute()
    job_id = job_of(pact).pk
    render_pact_pdf.apply(args=[job_id])
    ready = job_of(pact)
    assert pdf_job_claim(job_id, redelivered=True) is None
    assert job_of(pact).pdf_sha256 == ready.pdf_sha256
    assert len(renderer.calls) == 1


def test_a_failing_renderer_is_retried_until_the_attempts_run_out_then_the_job_fails(monkeypatch, settings, media):
    settings.PDF_MAX_ATTEMPTS = 3
    failing = Renderer(error=RuntimeError("Pango: không đủ bộ nhớ"))
    monkeypatch.setattr("pacts.pdf.render_pact_pdf_bytes", failing)
    pact = execute()
    outcome, countdowns = run_with_retries(job_of(pact).pk)
    job = job_of(pact)
    assert outcome == PdfJob.Status.FAILED
    assert countdowns == [20, 40]
    assert (job.status, job.attempts) == (PdfJob.Status.FAILED, 3)
    assert job.last_error == "RuntimeError: Pango: không đủ bộ nhớ"
    assert job.finished_at is not None and job.pdf_sha256 == "" and not job.pdf
    assert len(failing.calls) == 3
    assert files_in(media) == []


def test_a_failed_attempt_goes_back_to_waiting_with_a_growing_delay():
    pact = execute()
    job = pdf_job_claim(job_of(pact).pk)
    before = timezone.now()
    job, countdown = pdf_job_fail(job, ValueError("x" * 5000))
    assert countdown == 20
    assert job.status == PdfJob.Status.PENDING
    assert job.last_error.startswith("ValueError: xxx") and len(job.last_error) == 2000
    # Due when the retry is: the sweep does not send a second copy while the retry waits.
    assert job.queued_at >= before + timedelta(seconds=20)
    assert [retry_countdown(n) for n in range(1, 8)] == [20, 40, 80, 160, 320, 600, 600]


def test_a_soft_time_limit_counts_as_a_failed_attempt(monkeypatch, settings):
    settings.PDF_MAX_ATTEMPTS = 1
    monkeypatch.setattr("pacts.pdf.render_pact_pdf_bytes", Renderer(error=SoftTimeLimitExceeded()))
    pact = execute()
    assert run_with_retries(job_of(pact).pk) == (PdfJob.Status.FAILED, [])
    job = job_of(pact)
    assert (job.status, job.attempts) == (PdfJob.Status.FAILED, 1)
    assert job.last_error.startswith("SoftTimeLimitExceeded")


def test_a_redelivered_job_whose_worker_died_too_often_is_failed():
    pact = execute()
    job_id = job_of(pact).pk
    PdfJob.objects.filter(pk=job_id).update(status=PdfJob.Status.RENDERING, attempts=5, started_at=timezone.now())
    assert pdf_job_claim(job_id, redelivered=True) is None
    job = job_of(pact)
    assert job.status == PdfJob.Status.FAILED
    assert job.last_error.startswith("WorkerLostError")


def test_the_final_pdf_is_sealed_when_a_certificate_is_configured(renderer, monkeypatch, settings):
    settings.PDF_SIGNING_P12 = "/run/secrets/thidua-seal.p12"
    monkeypatch.setattr("pacts.seal.seal_pdf", lambda data: data + b"% sealed\n")
    pact = execute()
    render_pact_pdf.apply(args=[job_of(pact).pk])
    job = job_of(pact)
    data = Path(job.pdf.path).read_bytes()
    assert job.sealed and data.endswith(b"% sealed\n")
    assert job.pdf_sha256 == hashlib.sha256(data).hexdigest()


def test_a_draft_preview_is_never_sealed(renderer, monkeypatch, settings):
    settings.PDF_SIGNING_P12 = "/run/secrets/thidua-seal.p12"
    monkeypatch.setattr("pacts.seal.seal_pdf", lambda data: pytest.fail("a draft must not be sealed"))
    world = make_world(2, open_pact=False)
    preview = pdf_job_create(pact=world.pact, requested_by=world.officer, draft=True)
    render_pact_pdf.apply(args=[preview.pk])
    preview.refresh_from_db()
    assert (preview.status, preview.sealed, preview.draft) == (PdfJob.Status.READY, False, True)
    assert renderer.calls == [(world.pact.pk, True)]


# ---------------------------------------------------------------------------------------------
# Render again, and which job is current
# ---------------------------------------------------------------------------------------------


def test_render_again_adds_a_version_and_keeps_the_first_versions_hash(renderer, admin_user, media):
    pact = execute()
    render_pact_pdf.apply(args=[job_of(pact).pk])
    first = job_of(pact)
    second = pdf_job_rerender(pact=pact, requested_by=admin_user)
    assert (second.version, second.status, second.requested_by) == (2, PdfJob.Status.PENDING, admin_user)
    assert current_pdf_job(pact) == first  # the document of record until the new one is ready
    render_pact_pdf.apply(args=[second.pk])
    second.refresh_from_db()
    assert current_pdf_job(pact) == second
    assert second.pdf_sha256 != first.pdf_sha256
    kept = PdfJob.objects.get(pk=first.pk)
    assert (kept.status, kept.pdf_sha256, kept.pdf.name) == (PdfJob.Status.READY, first.pdf_sha256, first.pdf.name)
    assert len(files_in(media)) == 2


def test_render_again_while_a_render_is_waiting_sends_that_job_again(
    admin_user, queued, django_capture_on_commit_callbacks
):
    pact = execute()
    with django_capture_on_commit_callbacks(execute=True):
        assert pdf_job_rerender(pact=pact, requested_by=admin_user) == job_of(pact)
    assert PdfJob.objects.filter(pact=pact).count() == 1
    assert queued == [job_of(pact).pk]


def test_render_again_while_a_render_is_running_returns_that_job(admin_user, queued):
    pact = execute()
    pdf_job_claim(job_of(pact).pk)
    assert pdf_job_rerender(pact=pact, requested_by=admin_user) == job_of(pact)
    assert PdfJob.objects.filter(pact=pact).count() == 1


def test_render_again_after_a_failure_adds_a_version(admin_user):
    pact = execute()
    PdfJob.objects.filter(pact=pact).update(status=PdfJob.Status.FAILED, last_error="RuntimeError: x")
    assert pdf_job_rerender(pact=pact, requested_by=admin_user).version == 2


def test_only_an_executed_pact_can_be_rendered_again(admin_user):
    world = make_world(2)
    with pytest.raises(PactError) as error:
        pdf_job_rerender(pact=world.pact, requested_by=admin_user)
    assert error.value.message == "Chỉ giao ước đã được tất cả các đơn vị ký mới có thể tạo lại bản PDF."
    assert not PdfJob.objects.exists()


def test_the_latest_job_of_each_kind_and_the_current_document(renderer):
    pact = execute()
    assert current_pdf_job(pact) is None
    assert latest_pdf_job(pact) == job_of(pact)
    assert latest_pdf_job(pact, draft=True) is None
    preview = pdf_job_create(pact=pact, draft=True)
    render_pact_pdf.apply(args=[preview.pk])
    assert latest_pdf_job(pact, draft=True) == preview
    assert current_pdf_job(pact) is None  # a ready preview is not the document of record
    render_pact_pdf.apply(args=[job_of(pact).pk])
    assert current_pdf_job(pact) == job_of(pact)


# ---------------------------------------------------------------------------------------------
# The sweep
# ---------------------------------------------------------------------------------------------


def test_the_sweep_requeues_jobs_waiting_too_long_and_only_those(queued):
    stale_pact, fresh_pact = execute(prefix="cu"), execute(prefix="moi")
    stale, fresh = job_of(stale_pact), job_of(fresh_pact)
    PdfJob.objects.filter(pk=stale.pk).update(queued_at=timezone.now() - timedelta(minutes=11))
    counts = pdf_jobs_sweep()
    assert queued == [stale.pk]
    assert counts == {"requeued": 1, "recovered": 0, "failed": 0, "created": 0, "restoring": 0}
    assert job_of(stale_pact).queued_at > timezone.now() - timedelta(minutes=1)
    assert job_of(fresh_pact).queued_at == fresh.queued_at
    assert pdf_jobs_sweep()["requeued"] == 0  # requeued just now: not again at the next sweep


def test_the_sweep_leaves_a_job_waiting_for_its_retry_alone(queued):
    pact = execute()
    job, countdown = pdf_job_fail(pdf_job_claim(job_of(pact).pk), RuntimeError("x"))
    assert pdf_jobs_sweep(now=timezone.now() + timedelta(minutes=9))["requeued"] == 0
    assert pdf_jobs_sweep(now=job.queued_at + timedelta(minutes=11))["requeued"] == 1
    assert queued == [job.pk]


def test_the_sweep_gives_back_a_job_whose_worker_died_while_rendering(queued, settings):
    pact = execute()
    job = pdf_job_claim(job_of(pact).pk)
    assert pdf_jobs_sweep(now=timezone.now() + timedelta(minutes=1))["recovered"] == 0  # may still be running
    later = job.started_at + timedelta(seconds=settings.PDF_RENDER_TIME_LIMIT + settings.PDF_STALLED_MARGIN + 1)
    counts = pdf_jobs_sweep(now=later)
    job.refresh_from_db()
    assert counts["recovered"] == 1 and queued == [job.pk]
    assert (job.status, job.attempts) == (PdfJob.Status.PENDING, 1)
    assert job.last_error.startswith("WorkerLostError")


def test_the_sweep_fails_a_stuck_job_whose_attempts_are_spent(queued, settings):
    settings.PDF_MAX_ATTEMPTS = 1
    pact = execute()
    job = pdf_job_claim(job_of(pact).pk)
    counts = pdf_jobs_sweep(now=job.started_at + timedelta(hours=1))
    job.refresh_from_db()
    assert counts["failed"] == 1 and queued == []
    assert job.status == PdfJob.Status.FAILED


def test_the_sweep_writes_the_missing_job_of_an_executed_pact(queued, django_capture_on_commit_callbacks):
    pact = execute()
    PdfJob.objects.filter(pact=pact).delete()
    pdf_job_create(pact=pact, draft=True)  # a preview does not count as the document
    with django_capture_on_commit_callbacks(execute=True):
        counts = pdf_jobs_sweep()
    job = latest_pdf_job(pact)
    assert counts["created"] == 1
    assert (job.version, job.status) == (2, PdfJob.Status.PENDING)
    assert job.pk in queued
    assert pdf_jobs_sweep()["created"] == 0


def test_the_beat_task_runs_the_sweep(queued):
    assert sweep_pdf_jobs.apply().get() == {"requeued": 0, "recovered": 0, "failed": 0, "created": 0, "restoring": 0}


def test_beat_runs_the_sweep_every_minute():
    from django.conf import settings as django_settings

    entry = django_settings.CELERY_BEAT_SCHEDULE["pdf-sweep"]
    assert entry["task"] == "pacts.tasks.sweep_pdf_jobs"
    assert entry["schedule"] == django_settings.PDF_SWEEP_EVERY == timedelta(minutes=1)


def test_a_pact_error_fails_the_job_at_once_without_retrying(monkeypatch):
    from pacts import pdf_jobs
    from pacts.errors import PactError
    from pacts.models import PdfJob
    from tests.pacts.factories import make_world

    world = make_world(1, prefix="perm", open_pact=False)
    job = PdfJob.objects.create(pact=world.pact, version=1, status=PdfJob.Status.RENDERING, attempts=1)
    job.refresh_from_db()
    failed, countdown = pdf_jobs.pdf_job_fail(job, PactError("Chỉ giao ước đã ký kết mới có bản PDF."))
    assert countdown is None
    assert failed.status == PdfJob.Status.FAILED
    assert failed.last_error == "PactError: Chỉ giao ước đã ký kết mới có bản PDF."
    assert pdf_jobs.pdf_job_reason(failed) == "Chỉ giao ước đã ký kết mới có bản PDF."


# ---------------------------------------------------------------------------------------------
# Stalled jobs: the bound comes from the render's time limit
# ---------------------------------------------------------------------------------------------


def stall(job: PdfJob, *, seconds: float) -> PdfJob:
    """The job as if its worker had claimed it ``seconds`` ago and then died."""
    PdfJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(seconds=seconds))
    job.refresh_from_db()
    return job


def test_the_render_task_runs_under_the_time_limits_of_the_settings():
    from django.conf import settings as django_settings

    assert render_pact_pdf.time_limit == django_settings.PDF_RENDER_TIME_LIMIT
    assert 0 < render_pact_pdf.soft_time_limit < render_pact_pdf.time_limit
    assert render_pact_pdf.time_limit < django_settings.CELERY_TASK_TIME_LIMIT


@override_settings(PDF_RENDER_TIME_LIMIT=40, PDF_STALLED_MARGIN=5)
def test_a_job_is_stalled_once_its_render_outlived_the_time_limit_and_the_margin(queued):
    pact = execute()
    job = pdf_job_claim(job_of(pact).pk)
    assert pdf_jobs.pdf_stalled_after() == timedelta(seconds=45)
    assert pdf_jobs.pdf_recovery_bound() == timedelta(seconds=45 + 60)
    assert not pdf_jobs.pdf_job_is_stalled(job, now=job.started_at + timedelta(seconds=44))
    assert pdf_jobs_sweep(now=job.started_at + timedelta(seconds=44))["recovered"] == 0
    assert pdf_jobs.pdf_job_is_stalled(job, now=job.started_at + timedelta(seconds=46))
    assert pdf_jobs_sweep(now=job.started_at + timedelta(seconds=46))["recovered"] == 1
    assert queued == [job.pk]


@override_settings(PDF_RENDER_TIME_LIMIT=40, PDF_STALLED_MARGIN=5)
def test_a_stalled_job_shows_as_stalled_with_its_reason():
    pact = execute()
    job = stall(pdf_job_claim(job_of(pact).pk), seconds=50)
    with translation.override("en"):
        assert pdf_jobs.pdf_job_status(job) == ("stalled", "Stalled")
        assert "has not finished this render for 1 minutes" in pdf_jobs.pdf_job_reason(job)
    running = stall(job, seconds=30)
    assert pdf_jobs.pdf_job_status(running)[0] == PdfJob.Status.RENDERING


def test_render_again_takes_a_stalled_job_over_at_once(
    renderer, admin_user, queued, settings, media, django_capture_on_commit_callbacks
):
    pact = execute()
    lost = pdf_job_claim(job_of(pact).pk)
    stall(lost, seconds=settings.PDF_RENDER_TIME_LIMIT + settings.PDF_STALLED_MARGIN + 1)
    lost.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        job = pdf_job_rerender(pact=pact, requested_by=admin_user)
    assert job.pk == lost.pk and PdfJob.objects.filter(pact=pact).count() == 1
    assert (job.status, job.last_error) == (PdfJob.Status.PENDING, pdf_jobs.WORKER_LOST)
    assert queued == [job.pk]
    assert render_pact_pdf.apply(args=[job.pk]).get() == PdfJob.Status.READY
    # The lost worker's render, should it ever come back, is no longer the job's: it is thrown away.
    assert pdf_job_render(lost).status == PdfJob.Status.READY
    assert len(files_in(media)) == 1
    assert job_of(pact).attempts == 2


def test_render_again_fails_a_stalled_job_whose_attempts_are_spent_and_adds_a_version(admin_user, queued, settings):
    settings.PDF_MAX_ATTEMPTS = 1
    pact = execute()
    stall(pdf_job_claim(job_of(pact).pk), seconds=settings.PDF_RENDER_TIME_LIMIT + settings.PDF_STALLED_MARGIN + 1)
    job = pdf_job_rerender(pact=pact, requested_by=admin_user)
    assert (job.version, job.status) == (2, PdfJob.Status.PENDING)
    first = job_of(pact)
    assert (first.status, first.last_error) == (PdfJob.Status.FAILED, pdf_jobs.WORKER_LOST)


# ---------------------------------------------------------------------------------------------
# A missing file: rendered again byte-identical, or replaced by a new version
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def restores(monkeypatch) -> list[int]:
    """Records the jobs whose missing file is sent to the worker instead of rendering them."""
    sent: list[int] = []
    monkeypatch.setattr(pdf_jobs, "queue_restore", lambda job_id: sent.append(job_id) or True)
    return sent


def ready_pdf() -> PdfJob:
    pact = execute(prefix=f"r{PdfJob.objects.count()}-")
    render_pact_pdf.apply(args=[job_of(pact).pk])
    return job_of(pact)


def test_the_sweep_renders_a_missing_file_again_byte_identical_under_the_same_name(media, restores, monkeypatch):
    job = ready_pdf()  # the real renderer
    path = Path(job.pdf.path)
    issued = path.read_bytes()
    path.unlink()
    assert pdf_jobs_sweep()["restoring"] == 1
    assert restores == [job.pk]
    # A day later: nothing in the bytes depends on when they are rendered (fonts are dated by the pact).
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 86400)
    assert render_missing_pdf.apply(args=[job.pk]).get() == "restored"
    monkeypatch.undo()
    assert path.read_bytes() == issued
    again = job_of(job.pact)
    assert hashlib.sha256(issued).hexdigest() == job.pdf_sha256 == again.pdf_sha256
    assert (again.pdf.name, again.status, again.last_error) == (job.pdf.name, PdfJob.Status.READY, "")
    assert PdfJob.objects.filter(pact=job.pact).count() == 1
    assert files_in(media) == [path]
    assert render_missing_pdf.apply(args=[job.pk]).get() == "present"


def test_a_missing_file_renders_again_identical_after_the_portal_moved_to_another_address(media, restores, settings):
    settings.SITE_URL = "https://thidua.old.example.gov.vn"
    job = ready_pdf()  # the real renderer: the address is printed in the footer and the QR code
    path = Path(job.pdf.path)
    issued = path.read_bytes()
    path.unlink()
    settings.SITE_URL = "https://thidua.new.example.gov.vn"
    assert render_missing_pdf.apply(args=[job.pk]).get() == "restored"
    assert path.read_bytes() == issued
    assert job_of(job.pact).site_url == "https://thidua.old.example.gov.vn"


def test_a_sealed_pdf_whose_file_is_missing_gets_a_new_version_and_keeps_its_hash(
    renderer, monkeypatch, settings, queued
):
    settings.PDF_SIGNING_P12 = "/run/secrets/thidua-seal.p12"
    monkeypatch.setattr("pacts.seal.seal_pdf", lambda data: data + b"% sealed\n")
    job = ready_pdf()
    assert job.sealed
    Path(job.pdf.path).unlink()
    assert render_missing_pdf.apply(args=[job.pk]).get() == "replaced"
    kept = job_of(job.pact)
    assert (kept.status, kept.pdf_sha256, kept.pdf.name) == (PdfJob.Status.READY, job.pdf_sha256, job.pdf.name)
    assert kept.last_error.startswith("FileMissingError") and "version 2 replaces it" in kept.last_error
    second = PdfJob.objects.get(pact=job.pact, version=2)
    assert second.status == PdfJob.Status.PENDING and not second.draft
    assert len(renderer.calls) == 1  # a sealed PDF is not rendered just to compare it
    # Asked again (by a download or the sweep), it adds nothing.
    assert render_missing_pdf.apply(args=[job.pk]).get() == "skipped"
    assert PdfJob.objects.filter(pact=job.pact).count() == 2
    with translation.override("en"):
        assert "version 2 replaces it" in pdf_jobs.pdf_job_reason(kept)


def test_an_unsealed_render_that_differs_gets_a_new_version_and_the_old_hash_is_untouched(renderer, queued):
    job = ready_pdf()  # the stub renders different bytes at each call
    Path(job.pdf.path).unlink()
    assert render_missing_pdf.apply(args=[job.pk]).get() == "replaced"
    kept = job_of(job.pact)
    assert (kept.pdf_sha256, kept.status) == (job.pdf_sha256, PdfJob.Status.READY)
    assert not Path(job.pdf.path).exists()  # the differing bytes were not written under the old name
    assert PdfJob.objects.get(pact=job.pact, version=2).status == PdfJob.Status.PENDING


def test_a_replacement_already_waiting_is_sent_to_the_worker_again(
    renderer, queued, django_capture_on_commit_callbacks
):
    job = ready_pdf()
    Path(job.pdf.path).unlink()
    with django_capture_on_commit_callbacks(execute=True):
        waiting = pdf_jobs.pdf_job_create(pact=job.pact)  # e.g. queued while the broker was down
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert render_missing_pdf.apply(args=[job.pk]).get() == "replaced"
    assert queued == [waiting.pk]
    assert PdfJob.objects.filter(pact=job.pact, draft=False).count() == 2


def test_a_missing_file_whose_pact_no_longer_matches_its_records_is_settled_not_rendered_for_ever(
    monkeypatch, restores, queued
):
    job = ready_pdf()
    Path(job.pdf.path).unlink()
    monkeypatch.setattr(
        "pacts.pdf.render_pact_pdf_bytes", Renderer(error=PactError("The pact's records no longer match."))
    )
    assert render_missing_pdf.apply(args=[job.pk]).get() == "unrestorable"
    kept = job_of(job.pact)
    assert kept.last_error.startswith("FileMissingError") and kept.pdf_sha256 == job.pdf_sha256
    assert pdf_jobs_sweep()["restoring"] == 0 and restores == []


def test_the_sweep_checks_current_documents_in_bounded_batches(renderer, restores, settings):
    settings.PDF_FILE_CHECK_BATCH = 1
    first, second = ready_pdf(), ready_pdf()
    older = first
    newer = PdfJob.objects.create(pact=first.pact, version=2, queued_at=timezone.now())
    render_pact_pdf.apply(args=[newer.pk])
    preview = pdf_job_create(pact=second.pact, draft=True)
    render_pact_pdf.apply(args=[preview.pk])
    for job in (older, job_of(second.pact), PdfJob.objects.get(pk=preview.pk)):
        Path(job.pdf.path).unlink()  # an old version, a current document, a preview
    minute = timezone.now().replace(second=0, microsecond=0)
    counts = [pdf_jobs_sweep(now=minute + timedelta(minutes=n))["restoring"] for n in range(2)]
    # One file checked a minute, in turn: only the current document of the second pact was missing.
    assert sorted(counts) == [0, 1]
    assert restores == [second.pk]


# ---------------------------------------------------------------------------------------------
# Reasons an administrator can read
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (pdf_jobs.WORKER_LOST, "The worker stopped while rendering"),
        ("SoftTimeLimitExceeded: SoftTimeLimitExceeded()", "longer than the time limit of"),
        ("TimeLimitExceeded: 90", "longer than the time limit of"),
        ("MemoryError", "ran out of memory"),
        ("OSError: [Errno 28] No space left on device", "could not be read or written"),
        ("ImproperlyConfigured: PDF_SIGNING_P12: cannot read", "not set up correctly"),
        ("ZeroDivisionError: division by zero", "unexpected error"),
        ("PactError: The pact's records no longer match the text that was signed.", "The pact's records no longer"),
    ],
)
def test_a_failure_reads_as_a_reason_from_the_class_of_its_error(error, reason):
    world = make_world(1, prefix="ly-do", open_pact=False)
    job = PdfJob.objects.create(pact=world.pact, version=1, status=PdfJob.Status.FAILED, last_error=error)
    with translation.override("en"):
        assert reason in pdf_jobs.pdf_job_reason(job)
