"""The signed pact's PDF produced by a real Celery worker on Redis, against the test database.

The worker is started as production starts its pdf worker (prefork, one child, recycled by memory),
on a queue of its own so that no other worker on the same Redis takes the test's messages. It reads
the test database (pytest-django's "test_…" database, committed for real by a transactional test) and
writes into a temporary MEDIA_ROOT that this process reads too.
"""

import hashlib
import os
import signal
import subprocess
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from pacts import pdf_jobs, services
from pacts.models import Pact, PdfJob
from pacts.tasks import render_pact_pdf
from tests.conftest import require
from tests.pacts.factories import make_world
from tests.workers import database_url, stop, worker_command
from thidua.celery import app

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process = process
        self.log = log

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """SIGKILL to the whole worker, its main process and the child rendering (as `docker kill` does):
        no process is left to hand the message back to the broker."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        stop(self.process)
        print(self.log.read_text())


@pytest.fixture
def start_pdf_worker(settings, tmp_path, monkeypatch):
    """Starts real pdf workers on a queue of the test's own, each with the given extra environment."""
    require(bool(settings.REDIS_URL), "REDIS_URL is not set: no broker for a real worker")
    require(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "the worker process must share the test database: PostgreSQL only",
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_SIGNING_P12 = ""
    queue = f"pdf-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(pdf_jobs, "PDF_QUEUE", queue)
    workers: list[Worker] = []

    def start(**extra_env: str) -> Worker:
        worker = _start_worker(settings, queue, tmp_path / f"worker-{len(workers) + 1}.log", extra_env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def pdf_worker(start_pdf_worker):
    return start_pdf_worker()


def _start_worker(settings, queue: str, log: Path, extra_env: dict[str, str]) -> Worker:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PDF_SIGNING_P12": "",
        "LOG_LEVEL": "WARNING",
        **extra_env,
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            worker_command(queue),
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, which Worker.kill kills whole
        )
    return Worker(process, log)


def _executed_pact(n_units: int, *, prefix: str) -> Pact:
    """Builds the pact with tasks run in-process, then lets the last signature send its PDF job to Redis."""
    world = make_world(n_units, prefix=prefix)
    for index, (unit, leader) in enumerate(zip(world.units, world.leaders, strict=True)):
        if index == n_units - 1:
            app.conf.task_always_eager = False  # restored by the autouse fixture in tests/conftest.py
        pact = Pact.objects.get(pk=world.pact.pk)
        services.pact_sign(pact=pact, unit=unit, user=leader, consent=True, content_hash=pact.content_hash)
    return Pact.objects.get(pk=world.pact.pk)


def _wait_for(job_id: int, statuses: set[str], timeout: float) -> PdfJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = PdfJob.objects.get(pk=job_id)
        if job.status in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {PdfJob.objects.get(pk=job_id).status} after {timeout} s")


def _assert_one_document(job: PdfJob, media: Path) -> None:
    assert job.status == PdfJob.Status.READY, job.last_error
    data = Path(job.pdf.path).read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == job.pdf_sha256
    assert [path.name for path in media.rglob("*.pdf")] == [Path(job.pdf.name).name]
    assert PdfJob.objects.filter(pact=job.pact_id).count() == 1


def test_the_worker_renders_the_pdf_of_a_pact_executed_through_the_service(pdf_worker):
    pact = _executed_pact(2, prefix="worker")
    job = _wait_for(PdfJob.objects.get(pact=pact).pk, {PdfJob.Status.READY, PdfJob.Status.FAILED}, timeout=60)
    _assert_one_document(job, Path(settings.MEDIA_ROOT))
    assert job.attempts == 1


def test_a_worker_killed_while_rendering_is_replaced_and_the_pdf_is_made_once(pdf_worker):
    pact = _executed_pact(13, prefix="sigkill")
    job_id = PdfJob.objects.get(pact=pact).pk
    _wait_for(job_id, {PdfJob.Status.RENDERING}, timeout=60)
    (child,) = pdf_worker.children()
    os.kill(child, signal.SIGKILL)
    # The broker redelivers the message; the replacement child takes the job over and finishes it.
    job = _wait_for(job_id, {PdfJob.Status.READY, PdfJob.Status.FAILED}, timeout=90)
    _assert_one_document(job, Path(settings.MEDIA_ROOT))
    assert job.attempts == 2
    assert child not in pdf_worker.children()


def test_with_the_broker_down_at_execution_the_sweep_produces_the_pdf_once_it_is_back(pdf_worker, monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis. Connection refused.")

    with monkeypatch.context() as outage:
        outage.setattr(render_pact_pdf, "apply_async", broker_down)
        pact = _executed_pact(2, prefix="outage")
    job_id = PdfJob.objects.get(pact=pact).pk
    time.sleep(2)
    assert PdfJob.objects.get(pk=job_id).status == PdfJob.Status.PENDING  # nothing reached the worker
    later = timezone.now() + timedelta(minutes=settings.PDF_SWEEP_MINUTES + 1)
    assert pdf_jobs.pdf_jobs_sweep(now=later)["requeued"] == 1
    job = _wait_for(job_id, {PdfJob.Status.READY, PdfJob.Status.FAILED}, timeout=60)
    _assert_one_document(job, Path(settings.MEDIA_ROOT))


def test_a_pdf_worker_killed_outright_mid_render_is_recovered_within_the_documented_bound(start_pdf_worker, settings):
    # Small limits, in the workers' environment and in this process, whose sweep judges what is stalled.
    limits = {"PDF_RENDER_TIME_LIMIT": "6", "PDF_STALLED_MARGIN": "2"}
    settings.PDF_RENDER_TIME_LIMIT, settings.PDF_STALLED_MARGIN = 6, 2
    bound = pdf_jobs.pdf_stalled_after()
    assert bound == timedelta(seconds=8)
    first = start_pdf_worker(**limits)
    pact = _executed_pact(30, prefix="killed")
    job_id = PdfJob.objects.get(pact=pact).pk
    claimed = _wait_for(job_id, {PdfJob.Status.RENDERING}, timeout=60)
    first.kill()
    killed_at = time.monotonic()
    # No process is left to give the message back (the broker holds it unacked for its visibility timeout,
    # two hours): the job stays "rendering", not yet stalled, and a sweep now leaves it alone.
    time.sleep(1)
    job = PdfJob.objects.get(pk=job_id)
    assert job.status == PdfJob.Status.RENDERING and not pdf_jobs.pdf_job_is_stalled(job)
    assert pdf_jobs.pdf_jobs_sweep()["recovered"] == 0
    start_pdf_worker(**limits)
    while timezone.now() <= claimed.started_at + bound:
        time.sleep(0.2)
    # Past the bound it shows as stalled, and the sweep (beat runs it every minute) gives it back.
    assert pdf_jobs.pdf_job_status(PdfJob.objects.get(pk=job_id))[0] == pdf_jobs.STALLED
    assert pdf_jobs.pdf_jobs_sweep()["recovered"] == 1
    job = _wait_for(job_id, {PdfJob.Status.READY, PdfJob.Status.FAILED}, timeout=60)
    _assert_one_document(job, Path(settings.MEDIA_ROOT))
    assert (job.attempts, job.last_error) == (2, "")
    # Within the documented bound (stalled, then the next sweep) and the render itself.
    assert time.monotonic() - killed_at < pdf_jobs.pdf_recovery_bound().total_seconds()
