"""The signed pact's PDF: jobs written as an outbox in the transaction that needs them, queued after
commit on the ``pdf`` queue, claimed by a worker with a compare-and-set, retried, and swept.

A job's life: pending → rendering (claimed: ``attempts`` + 1) → ready (file and SHA-256 saved together)
or back to pending with ``last_error`` (retried with backoff), and failed once the attempts run out.
Whoever claimed a job last owns it: a render that lost its claim (the sweep gave the job to another
worker) throws its bytes away, so a job never yields a second document.

A render is stopped at settings.PDF_RENDER_TIME_LIMIT; a job still "rendering" PDF_STALLED_MARGIN seconds
later has lost its worker: it is shown "stalled", "render again" takes it over at once, and the sweep (every
minute) gives it back. A ready job's hash never changes: when its file is missing (found on download or by
the sweep) the same job is rendered again and written back under the same name only if the bytes hash to
the SHA-256 on record (an unsealed PDF does: old printouts still verify); otherwise (a sealed PDF carries
the time of its seal) a new version is rendered and the old job says why in ``last_error``.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import current_app
from celery.exceptions import Retry
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import PactError
from .models import Pact, PactSignature, PdfJob

logger = logging.getLogger(__name__)

PDF_QUEUE = "pdf"
# The worker's tasks (pacts.tasks) call this module, so it sends to them by name and never imports them.
RENDER_TASK = "pacts.tasks.render_pact_pdf"
RESTORE_TASK = "pacts.tasks.render_missing_pdf"
PRERENDER_TASK = "pacts.tasks.prerender_pact_pdf"
# One pre-render waiting per pact at most (a burst of signatures queues one, not one each): set when one is
# queued, cleared when the worker starts it (signatures landing meanwhile queue the next).
PRERENDER_QUEUED = "pdf-prerender-queued:{}"
ERROR_LENGTH = 2000
WORKER_LOST = "WorkerLostError: the worker stopped while rendering (killed, or out of memory)"
# A ready job whose file went missing and could not be written back identical: "last_error" says why and,
# when a new version replaces it, which one. Such a job is not rendered again by the sweep or a download.
FILE_MISSING = "FileMissingError"
FILE_REPLACED = FILE_MISSING + ": the file was missing and {why}; version {version} replaces it"
FILE_UNRESTORABLE = FILE_MISSING + ": the file is missing and cannot be rendered again: {error}"
SEALED_DIFFERS = "a sealed PDF cannot be made again identical (its seal carries the time it was made)"
RENDER_DIFFERS = "its new render differs from the SHA-256 on record (fonts or renderer changed)"
STALLED = "stalled"
REPLACED_BY = re.compile(r"; version (\d+) replaces it$")


# ---------------------------------------------------------------------------------------------
# Writing and queueing jobs
# ---------------------------------------------------------------------------------------------


def pdf_job_create(*, pact: Pact, requested_by=None, draft: bool = False) -> PdfJob:
    """Writes a pending job (call it inside the transaction that needs the PDF) and queues it after commit."""
    with transaction.atomic():
        _lock(pact)
        jobs = PdfJob.objects.filter(pact=pact)
        last = jobs.aggregate(n=Max("version"))["n"] or 0
        # Signed documents and previews are numbered apart; a job written before either had its number
        # counts with its version, so the numbers a person has seen go on from where they were.
        shown = jobs.filter(draft=draft).aggregate(n=Max(Coalesce("number", "version")))["n"] or 0
        job = PdfJob.objects.create(
            pact=pact,
            version=last + 1,
            number=shown + 1,
            draft=draft,
            requested_by=requested_by,
            queued_at=timezone.now(),
            site_url=settings.SITE_URL,
        )
        transaction.on_commit(lambda: queue_render(job.pk))
    return job


def _lock(pact: Pact) -> None:
    """The pact's row lock numbers its jobs' versions one at a time (execution, "render again", previews)."""
    Pact.objects.select_for_update().filter(pk=pact.pk).first()


def queue_render(job_id: int) -> bool:
    """Sends the job to the pdf worker. A broker that is down loses nothing: the job row stays
    pending and the sweep sends it again, so the error is logged, not raised to the signer."""
    try:
        current_app.tasks[RENDER_TASK].apply_async(args=[job_id], queue=PDF_QUEUE)
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
    is sent to the worker again at once: a duplicate message finds it claimed and does nothing). A stalled
    render (its worker is gone) is taken over at once: given back and sent again, or failed when its
    attempts are spent, and then a new version is made."""
    if pact.status != Pact.Status.EXECUTED:
        raise PactError(_("Only a pact that every unit has signed can be rendered again."))
    with transaction.atomic():
        _lock(pact)
        latest = latest_pdf_job(pact)
        now = timezone.now()
        if latest is not None and pdf_job_is_stalled(latest, now=now):
            # Pending again (sent below) or failed (its attempts are spent: a new version follows).
            _give_back(latest.pk, latest.started_at, latest.attempts, now)
            latest.refresh_from_db()
        if latest is not None and latest.status == PdfJob.Status.RENDERING:
            return latest
        if latest is not None and latest.status == PdfJob.Status.PENDING:
            transaction.on_commit(lambda: queue_render(latest.pk))
            return latest
        return pdf_job_create(pact=pact, requested_by=requested_by)


# ---------------------------------------------------------------------------------------------
# Pre-rendering an open pact's pages as its signatures land (pacts/pdf_pages.py)
# ---------------------------------------------------------------------------------------------


@receiver(post_save, sender=PactSignature, dispatch_uid="pacts.pdf_jobs.prerender_on_signature")
def _signature_saved(sender, instance: PactSignature, created: bool, **kwargs) -> None:
    if created:
        transaction.on_commit(lambda: queue_prerender(instance.pact_id))


def queue_prerender(pact_id: int) -> bool:
    """Asks the pdf worker to lay out the open pact's pages that the last signatures changed, unless one
    such request is already waiting. Never in-process (tests and the embedded setup run tasks eagerly: the
    signer would wait for it), and a broker or cache that is down only loses the head start."""
    if current_app.conf.task_always_eager:
        return False
    mark = PRERENDER_QUEUED.format(pact_id)
    try:
        if not cache.add(mark, 1, timeout=settings.PDF_RENDER_TIME_LIMIT * 2):
            return False
        current_app.tasks[PRERENDER_TASK].apply_async(args=[pact_id], queue=PDF_QUEUE)
    except Exception:  # noqa: BLE001 - an optimisation: the final render lays out whatever is not kept
        logger.warning("PDF pre-render of pact %s not queued", pact_id, exc_info=True)
        try:
            cache.delete(mark)
        except Exception:  # noqa: BLE001
            logger.debug("cache unreachable", exc_info=True)
        return False
    return True


def pdf_pages_prerender(pact_id: int) -> str:
    """The pdf worker's pre-render of an open pact (pdf.prerender_pact_pages): "done" or "skipped"."""
    from .pdf import prerender_pact_pages

    try:
        cache.delete(PRERENDER_QUEUED.format(pact_id))
    except Exception:  # noqa: BLE001 - the mark expires by itself
        logger.debug("cache unreachable", exc_info=True)
    pact = Pact.objects.filter(pk=pact_id).first()
    if pact is None:
        return "skipped"
    stats = prerender_pact_pages(pact, site_url=settings.SITE_URL)
    if stats is None:
        return "skipped"
    logger.info("PDF pre-render of pact %s: %s", pact_id, stats)
    return "done"


# ---------------------------------------------------------------------------------------------
# Stalled jobs and the reasons of failures, as an administrator sees them
# ---------------------------------------------------------------------------------------------


def pdf_stalled_after() -> timedelta:
    """How long after its claim a job still "rendering" has surely lost its worker: the render's hard time
    limit, when the worker kills it, and a margin for the clocks of the worker and the database."""
    return timedelta(seconds=settings.PDF_RENDER_TIME_LIMIT + settings.PDF_STALLED_MARGIN)


def pdf_recovery_bound() -> timedelta:
    """The longest a job whose worker died waits before it is given back to a worker: stalled, then the
    next sweep (the figure the README and the settings document)."""
    return pdf_stalled_after() + settings.PDF_SWEEP_EVERY


def pdf_job_is_stalled(job: PdfJob, *, now: datetime | None = None) -> bool:
    return (
        job.status == PdfJob.Status.RENDERING
        and job.started_at is not None
        and job.started_at < (now or timezone.now()) - pdf_stalled_after()
    )


def stalled_pdf_jobs(jobs: QuerySet[PdfJob], *, now: datetime | None = None) -> QuerySet[PdfJob]:
    """The jobs of ``jobs`` that are stalled (the job list's filter and count)."""
    limit = (now or timezone.now()) - pdf_stalled_after()
    return jobs.filter(status=PdfJob.Status.RENDERING, started_at__lt=limit)


def pdf_job_status(job: PdfJob) -> tuple[str, str]:
    """The status a person sees and its label: a job's own, or "stalled" for a render whose worker is gone."""
    if pdf_job_is_stalled(job):
        return STALLED, _("Stalled")
    return job.status, job.get_status_display()


def _error_class(error: str) -> str:
    head = error.split(":", 1)[0].strip()
    return head if head.isidentifier() else ""


def pdf_job_reason(job: PdfJob) -> str:
    """Why the job failed, is stalled, waits for a retry, or (ready) lost its file: in the reader's language,
    from the class of the error kept in ``last_error`` (which stays on the page, as it is, for IT)."""
    if pdf_job_is_stalled(job):
        minutes = max(1, round((timezone.now() - job.started_at).total_seconds() / 60))
        return _(
            "The worker has not finished this render for %(minutes)s minutes and has probably stopped. It is "
            "given back to a worker within a minute; render again to restart it now."
        ) % {"minutes": minutes}
    error = job.last_error
    if not error:
        return ""
    kind = _error_class(error)
    if kind == FILE_MISSING:
        replaced = REPLACED_BY.search(error)
        if replaced:
            return _(
                "The file was missing from the server and could not be made again identical (a sealed PDF "
                "carries the time of its seal, or the fonts changed): version %(version)s replaces it. "
                "Printouts of this version still verify by their SHA-256."
            ) % {"version": _shown_number_of(job.pact_id, int(replaced.group(1)))}
        detail = error.split("cannot be rendered again: ", 1)[-1]
        return _("The file is missing from the server and cannot be rendered again: %(error)s") % {"error": detail}
    if kind == "PactError":
        return error.split(":", 1)[1].strip()
    if not kind:  # a rule's message recorded as it was (jobs failed before the error class was kept)
        return error
    if kind == "WorkerLostError":
        return _("The worker stopped while rendering (it was killed, restarted or ran out of memory).")
    if kind in ("SoftTimeLimitExceeded", "TimeLimitExceeded"):
        return _("Rendering took longer than the time limit of %(seconds)s seconds.") % {
            "seconds": settings.PDF_RENDER_TIME_LIMIT
        }
    if kind == "MemoryError":
        return _("The worker ran out of memory while rendering.")
    if kind == "ImproperlyConfigured":
        return _("The server is not set up correctly for PDFs (for example the seal's certificate).")
    if kind in ("OSError", "PermissionError", "FileNotFoundError", "IsADirectoryError"):
        return _("A file on the server could not be read or written (disk full, a missing permission or font).")
    if kind in ("OperationalError", "InterfaceError", "DatabaseError"):
        return _("The database could not be reached while rendering.")
    return _("Rendering failed with an unexpected error; the technical detail below is for IT.")


def _shown_number_of(pact_id: int, version: int) -> int:
    """The number a person reads for the pact's job of that version (``last_error`` records the version)."""
    job = PdfJob.objects.filter(pact_id=pact_id, version=version).only("number", "version").first()
    return job.shown_number if job else version


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
    from . import pdf_pages, seal
    from .pdf import render_pact_pdf_bytes

    data = render_pact_pdf_bytes(job.pact, draft=job.draft, site_url=job.site_url)
    sealed = not job.draft and seal.sealing_configured()
    if sealed:
        data = seal.seal_pdf(data)
    stored = _store(job, data, sealed=sealed)
    if not job.draft and stored.status == PdfJob.Status.READY:
        pdf_pages.cache_delete(job.pact_id)  # the pre-rendered pages served their purpose
    return stored


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
    reason = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
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
# The sweep (run by beat every minute)
# ---------------------------------------------------------------------------------------------


def pdf_jobs_sweep(now: datetime | None = None) -> dict[str, int]:
    """Re-queues pending jobs that waited too long, gives back jobs whose worker died while rendering,
    writes the job of any executed pact that has none, and has the missing files of current documents
    rendered again: no lost message, dead worker or lost file loses a PDF."""
    now = now or timezone.now()
    counts = {"requeued": _requeue_waiting(now), "recovered": 0, "failed": 0, "created": 0, "restoring": 0}
    counts["recovered"], counts["failed"] = _recover_stuck(now)
    counts["created"] = _create_missing()
    counts["restoring"] = _check_files(now)
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
    stalled = stalled_pdf_jobs(PdfJob.objects.all(), now=now).values_list("pk", "started_at", "attempts")
    recovered = failed = 0
    for job_id, started_at, attempts in stalled:
        outcome = _give_back(job_id, started_at, attempts, now)
        if outcome == "recovered":
            recovered += 1
            queue_render(job_id)
        failed += outcome == "failed"
    return recovered, failed


def _give_back(job_id: int, started_at: datetime, attempts: int, now: datetime) -> str:
    """Takes a stalled job from its lost worker (compare-and-set on its claim: a render that comes back
    later finds it is no longer its own): "recovered" (pending again), "failed" (attempts spent) or ""."""
    same = PdfJob.objects.filter(pk=job_id, status=PdfJob.Status.RENDERING, started_at=started_at)
    if attempts >= settings.PDF_MAX_ATTEMPTS:
        return "failed" if same.update(status=PdfJob.Status.FAILED, last_error=WORKER_LOST, finished_at=now) else ""
    return "recovered" if same.update(status=PdfJob.Status.PENDING, last_error=WORKER_LOST, queued_at=now) else ""


def _create_missing() -> int:
    created = 0
    for pact in Pact.objects.filter(status=Pact.Status.EXECUTED).exclude(pdf_jobs__draft=False):
        with transaction.atomic():
            _lock(pact)
            if not PdfJob.objects.filter(pact=pact, draft=False).exists():  # re-read under the lock
                pdf_job_create(pact=pact)
                created += 1
    return created


def _current_documents() -> QuerySet[PdfJob]:
    """The current document of every pact (its latest ready final version) whose file is not known lost."""
    latest = PdfJob.objects.filter(pact=OuterRef("pact"), draft=False, status=PdfJob.Status.READY).order_by("-version")
    jobs = PdfJob.objects.filter(pk=Subquery(latest.values("pk")[:1]))
    return jobs.exclude(last_error__startswith=FILE_MISSING).order_by("pk")


def _check_files(now: datetime) -> int:
    """Checks one batch of current documents' files (one storage.exists each) and queues the missing ones.
    The batch moves on each minute, so every file is checked once every total / batch minutes."""
    batch = settings.PDF_FILE_CHECK_BATCH
    documents = _current_documents()
    total = documents.count()
    if not total:
        return 0
    start = (int(now.timestamp() // 60) * batch) % total if total > batch else 0
    restoring = 0
    for job in documents[start : start + batch]:
        if not job.pdf.storage.exists(job.pdf.name):
            logger.warning("PDF job %s: the file %s is missing; it is rendered again", job.pk, job.pdf.name)
            restoring += queue_restore(job.pk)
    return restoring


# ---------------------------------------------------------------------------------------------
# A missing file: found on download or by the sweep, rendered again by the pdf worker
# ---------------------------------------------------------------------------------------------


def queue_restore(job_id: int) -> bool:
    """Sends the job whose file is missing to the pdf worker; a broker that is down leaves it to the sweep."""
    try:
        current_app.tasks[RESTORE_TASK].apply_async(args=[job_id], queue=PDF_QUEUE)
    except Exception:  # noqa: BLE001 - any broker failure; the next sweep or download asks again
        logger.exception("PDF job %s: the render of its missing file was not queued", job_id)
        return False
    return True


@dataclass(frozen=True)
class MissingFile:
    """What a download of a ready job whose file is gone can say: the file is being rendered again, or a
    newer version replaces it, or (``reason``) it cannot be made again."""

    restoring: bool = False
    replacement: PdfJob | None = None
    reason: str = ""


def pdf_file_missing(job: PdfJob) -> MissingFile | None:
    """None when the ready job's file is in storage; otherwise what is done about it (a final document is
    queued to be rendered again, unless it is known that it cannot be made identical)."""
    if job.pdf and job.pdf.storage.exists(job.pdf.name):
        return None
    if job.draft:
        return MissingFile(reason=_("The preview's file is missing: ask for a new preview on the pact's page."))
    if _error_class(job.last_error) == FILE_MISSING:
        replaced = REPLACED_BY.search(job.last_error)
        if replaced:
            replacement = PdfJob.objects.filter(pact=job.pact_id, version=int(replaced.group(1))).first()
            return MissingFile(replacement=replacement, reason=pdf_job_reason(job))
        return MissingFile(reason=pdf_job_reason(job))
    queue_restore(job.pk)  # with the broker down, the sweep asks again within minutes
    return MissingFile(restoring=True)


def pdf_job_restore(job_id: int) -> str:
    """Renders again the file of a ready final job that is missing from storage (the pdf worker's task).

    The same bytes are written back under the same name only if their SHA-256 is the one on record; a
    sealed PDF, or a render that differs, gets a new version instead, and the job records why. Returns
    "restored", "replaced", "unrestorable", "present" (nothing was missing) or "skipped"."""
    from .pdf import render_pact_pdf_bytes

    job = (
        PdfJob.objects.select_related("pact__campaign__region")
        .filter(pk=job_id, status=PdfJob.Status.READY, draft=False)
        .exclude(last_error__startswith=FILE_MISSING)
        .first()
    )
    if job is None or not job.pdf:
        return "skipped"
    if job.pdf.storage.exists(job.pdf.name):
        return "present"
    if job.sealed:
        return _replace(job, why=SEALED_DIFFERS)
    try:
        data = render_pact_pdf_bytes(job.pact, site_url=job.site_url)
    except PactError as error:
        _settle(job, FILE_UNRESTORABLE.format(error=error)[:ERROR_LENGTH])
        logger.warning("PDF job %s: its missing file cannot be rendered again: %s", job.pk, error)
        return "unrestorable"
    if hashlib.sha256(data).hexdigest() != job.pdf_sha256:
        return _replace(job, why=RENDER_DIFFERS)
    return _write_back(job, data)


def _write_back(job: PdfJob, data: bytes) -> str:
    storage, name = job.pdf.storage, job.pdf.name
    with transaction.atomic():
        # Compare-and-set: the same ready job, hash and file name as when the render began.
        current = PdfJob.objects.select_for_update().get(pk=job.pk)
        if (current.status, current.pdf_sha256, current.pdf.name) != (job.status, job.pdf_sha256, name):
            return "skipped"
        if storage.exists(name):
            return "present"
        saved = storage.save(name, ContentFile(data))
        if saved != name:  # another worker wrote the same bytes back first: keep one file
            storage.delete(saved)
            return "present"
    logger.warning("PDF job %s: its missing file %s was rendered again, identical (SHA-256 on record)", job.pk, name)
    return "restored"


def _replace(job: PdfJob, *, why: str) -> str:
    """A new version stands in for the job whose file cannot be made again identical (unless a newer
    version is already there or on its way); the job's hash and status stay, its ``last_error`` says why."""
    with transaction.atomic():
        _lock(job.pact)  # one replacement at a time per pact: two restorations make one new version
        if not _unsettled(job).exists():
            return "skipped"
        newer = (
            PdfJob.objects.filter(pact=job.pact, draft=False, version__gt=job.version)
            .exclude(status=PdfJob.Status.FAILED)
            .order_by("-version")
            .first()
        )
        if newer is not None and newer.status == PdfJob.Status.PENDING:
            # It may be waiting for a broker that was down: send it again (a duplicate finds it claimed).
            transaction.on_commit(lambda: queue_render(newer.pk))
        replacement = newer or pdf_job_create(pact=job.pact)
        _settle(job, FILE_REPLACED.format(why=why, version=replacement.version))
    logger.warning(
        "PDF job %s: its missing file %s is replaced by version %s: %s", job.pk, job.pdf.name, replacement.version, why
    )
    return "replaced"


def _unsettled(job: PdfJob) -> QuerySet[PdfJob]:
    """The job, if it is still ready with the same hash and its missing file is not settled yet."""
    same = PdfJob.objects.filter(pk=job.pk, status=PdfJob.Status.READY, pdf_sha256=job.pdf_sha256)
    return same.exclude(last_error__startswith=FILE_MISSING)


def _settle(job: PdfJob, note: str) -> bool:
    """Records on a ready job why its missing file is not written back (compare-and-set). Its hash and
    status never change."""
    return bool(_unsettled(job).update(last_error=note))
