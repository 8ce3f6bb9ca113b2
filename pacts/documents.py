"""The signed pact's PDF: jobs written as an outbox in the transaction that needs them, queued after
commit on the ``pdf`` queue, claimed by a worker with a compare-and-set, retried, and swept.

A job's life: pending → rendering (claimed: ``attempts`` + 1) → ready (file and SHA-256 saved together)
or back to pending with ``last_error`` (retried with backoff), and failed once the attempts run out.
Whoever claimed a job last owns it: a render that lost its claim (the sweep gave the job to another
worker) throws its bytes away, so a job never yields a second document.
"""

import hashlib
import logging
from datetime import datetime, timedelta

from celery.exceptions import Retry
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import PactError
from .models import Pact, PdfJob

logger = logging.getLogger(__name__)

PDF_QUEUE = "pdf"
ERROR_LENGTH = 2000
# A render is killed by the hard time limit; past it and this margin, a job still "rendering" lost its worker.
STUCK_MARGIN = timedelta(minutes=2)
WORKER_LOST = "WorkerLostError: the worker stopped while rendering (killed, or out of memory)"


# ---------------------------------------------------------------------------------------------
# Writing and queueing jobs
# ---------------------------------------------------------------------------------------------


def pdf_job_create(*, pact: Pact, requested_by=None, draft: bool = False) -> PdfJob:
    """Writes a pending job (call it inside the transaction that needs the PDF) and queues it after commit."""
    with transaction.atomic():
        _lock(pact)
        last = PdfJob.objects.filter(pact=pact).aggregate(n=Max("version"))["n"] or 0
        job = PdfJob.objects.create(
            pact=pact, version=last + 1, draft=draft, requested_by=requested_by, queued_at=timezone.now()
        )
        transaction.on_commit(lambda: queue_render(job.pk))
    return job


def _lock(pact: Pact) -> None:
    """The pact's row lock numbers its jobs' versions one at a time (execution, "render again", previews)."""
    Pact.objects.select_for_update().filter(pk=pact.pk).first()


def queue_render(job_id: int) -> bool:
    """Sends the job to the pdf worker. A broker that is down loses nothing: the job row stays
    pending and the sweep sends it again, so the error is logged, not raised to the signer."""
    from .tasks import render_pact_pdf

    try:
        render_pact_pdf.apply_async(args=[job_id], queue=PDF_QUEUE)
    except Retry:  # run in-process (no broker configured): the render failed and the job waits for a retry
        logger.warning("PDF job %s failed in-process; it waits for the sweep or for 'render again'", job_id)
        return False
    except Exception:  # noqa: BLE001 - any broker failure; the sweep is the remedy
        logger.exception("PDF job %s not queued; the sweep will queue it again", job_id)
        return False
    return True


def pdf_job_rerender(*, pact: Pact, requested_by=None) -> PdfJob:
    """Renders the executed pact's document again, as a new version: earlier versions keep their files and
    hashes. While a render of the pact is waiting or running, that job is returned instead (a waiting one
    is sent to the worker again at once: a duplicate message finds it claimed and does nothing)."""
    if pact.status != Pact.Status.EXECUTED:
        raise PactError(_("Only a pact that every unit has signed can be rendered again."))
    with transaction.atomic():
        _lock(pact)
        latest = latest_pdf_job(pact)
        if latest is not None and latest.status == PdfJob.Status.RENDERING:
            return latest
        if latest is not None and latest.status == PdfJob.Status.PENDING:
            transaction.on_commit(lambda: queue_render(latest.pk))
            return latest
        return pdf_job_create(pact=pact, requested_by=requested_by)


def current_pdf_job(pact: Pact) -> PdfJob | None:
    """The document of record: the latest ready job that is not a draft preview."""
    return PdfJob.objects.filter(pact=pact, draft=False, status=PdfJob.Status.READY).order_by("-version").first()


def latest_pdf_job(pact: Pact, draft: bool = False) -> PdfJob | None:
    """The latest job of the pact, of the final document or of the draft previews, whatever its status."""
    return PdfJob.objects.filter(pact=pact, draft=draft).order_by("-version").first()


# ---------------------------------------------------------------------------------------------
# Running a job (called by the worker's task)
# ---------------------------------------------------------------------------------------------


def pdf_job_claim(job_id: int, *, redelivered: bool = False) -> PdfJob | None:
    """Takes a pending job for this worker (compare-and-set); None when another run has it or it is done.

    A message the broker ``redelivered`` after its worker died finds its job still "rendering": it takes
    the job over, unless the attempts are spent (a render that always kills its worker would otherwise be
    requeued forever)."""
    now = timezone.now()
    claim = {"status": PdfJob.Status.RENDERING, "started_at": now, "attempts": F("attempts") + 1}
    claimed = PdfJob.objects.filter(pk=job_id, status=PdfJob.Status.PENDING).update(**claim)
    if not claimed and redelivered:
        stuck = PdfJob.objects.filter(pk=job_id, status=PdfJob.Status.RENDERING)
        claimed = stuck.filter(attempts__lt=settings.PDF_MAX_ATTEMPTS).update(**claim)
        if not claimed:
            stuck.update(status=PdfJob.Status.FAILED, last_error=WORKER_LOST, finished_at=now)
    if not claimed:
        return None
    return PdfJob.objects.select_related("pact__campaign__region").get(pk=job_id)


def pdf_job_render(job: PdfJob) -> PdfJob:
    """Renders, seals (when configured, never a draft), hashes and stores the claimed job's PDF."""
    from . import seal
    from .pdf import render_pact_pdf_bytes

    data = render_pact_pdf_bytes(job.pact, draft=job.draft)
    sealed = not job.draft and seal.sealing_configured()
    if sealed:
        data = seal.seal_pdf(data)
    return _store(job, data, sealed=sealed)


def _store(job: PdfJob, data: bytes, *, sealed: bool) -> PdfJob:
    with transaction.atomic():
        current = PdfJob.objects.select_for_update().select_related("pact__campaign").get(pk=job.pk)
        if not _still_ours(current, job):
            logger.warning("PDF job %s was taken over while rendering; this render is discarded", job.pk)
            return current
        current.pdf.save("pact.pdf", ContentFile(data), save=False)
        saved_name = current.pdf.name
        try:
            current.pdf_sha256 = hashlib.sha256(data).hexdigest()
            current.sealed = sealed
            current.status = PdfJob.Status.READY
            current.last_error = ""
            current.finished_at = timezone.now()
            current.save(update_fields=["pdf", "pdf_sha256", "sealed", "status", "last_error", "finished_at"])
        except Exception:
            current.pdf.storage.delete(saved_name)
            raise
    return current


def pdf_job_fail(job: PdfJob, error: BaseException) -> tuple[PdfJob, int | None]:
    """Records a failed attempt. Returns the job and the seconds to wait before the retry, or None when
    there is none (the attempts are spent and the job is failed, or the job is no longer ours)."""
    # A PactError (pact not executed, records no longer matching the signed text) will not go away on retry.
    permanent = isinstance(error, PactError)
    reason = (str(error) if permanent else f"{type(error).__name__}: {error}")[:ERROR_LENGTH]
    now = timezone.now()
    with transaction.atomic():
        current = PdfJob.objects.select_for_update().get(pk=job.pk)
        if not _still_ours(current, job):
            return current, None
        current.last_error = reason
        if permanent or current.attempts >= settings.PDF_MAX_ATTEMPTS:
            current.status, current.finished_at, countdown = PdfJob.Status.FAILED, now, None
        else:
            countdown = retry_countdown(current.attempts)
            # queued_at is when the retry is due, so the sweep does not send a second copy meanwhile.
            current.status, current.queued_at = PdfJob.Status.PENDING, now + timedelta(seconds=countdown)
        current.save(update_fields=["last_error", "status", "finished_at", "queued_at"])
    return current, countdown


def retry_countdown(attempts: int) -> int:
    """Exponential backoff: 20 s after the first failure, doubling, at most 10 minutes."""
    return min(2**attempts * 10, 600)


def _still_ours(current: PdfJob, claimed: PdfJob) -> bool:
    return current.status == PdfJob.Status.RENDERING and current.started_at == claimed.started_at


# ---------------------------------------------------------------------------------------------
# The sweep (run by beat every few minutes)
# ---------------------------------------------------------------------------------------------


def pdf_jobs_sweep(now: datetime | None = None) -> dict[str, int]:
    """Re-queues pending jobs that waited too long, gives back jobs whose worker died while rendering,
    and writes the job of any executed pact that has none: no lost message or dead worker loses a PDF."""
    now = now or timezone.now()
    counts = {"requeued": _requeue_waiting(now), "recovered": 0, "failed": 0, "created": 0}
    counts["recovered"], counts["failed"] = _recover_stuck(now)
    counts["created"] = _create_missing()
    return counts


def _requeue_waiting(now: datetime) -> int:
    waited = now - timedelta(minutes=settings.PDF_SWEEP_MINUTES)
    waiting = PdfJob.objects.filter(status=PdfJob.Status.PENDING, queued_at__lt=waited).values_list("pk", "queued_at")
    requeued = 0
    for job_id, queued_at in waiting:
        # Compare-and-set on queued_at: two sweeps at once send one message, not two.
        if PdfJob.objects.filter(pk=job_id, status=PdfJob.Status.PENDING, queued_at=queued_at).update(queued_at=now):
            requeued += queue_render(job_id)
    return requeued


def _recover_stuck(now: datetime) -> tuple[int, int]:
    limit = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) - STUCK_MARGIN
    stuck = PdfJob.objects.filter(status=PdfJob.Status.RENDERING, started_at__lt=limit).values_list(
        "pk", "started_at", "attempts"
    )
    recovered = failed = 0
    for job_id, started_at, attempts in stuck:
        same = PdfJob.objects.filter(pk=job_id, status=PdfJob.Status.RENDERING, started_at=started_at)
        if attempts >= settings.PDF_MAX_ATTEMPTS:
            failed += same.update(status=PdfJob.Status.FAILED, last_error=WORKER_LOST, finished_at=now)
        elif same.update(status=PdfJob.Status.PENDING, last_error=WORKER_LOST, queued_at=now):
            recovered += 1
            queue_render(job_id)
    return recovered, failed


def _create_missing() -> int:
    created = 0
    for pact in Pact.objects.filter(status=Pact.Status.EXECUTED).exclude(pdf_jobs__draft=False):
        with transaction.atomic():
            _lock(pact)
            if not PdfJob.objects.filter(pact=pact, draft=False).exists():  # re-read under the lock
                pdf_job_create(pact=pact)
                created += 1
    return created
