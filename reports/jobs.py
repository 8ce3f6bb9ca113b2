"""The report jobs, as pacts/pdf_jobs.py runs the pact's PDF: a job row written when someone asks, sent after
commit to the ``pdf`` queue by task name (the worker's tasks call this module, so it never imports them), claimed
with a compare-and-set, retried with backoff, failed once the attempts (settings.PDF_MAX_ATTEMPTS) run out, and
swept every minute (a lost message is sent again, a render whose worker died is given back).

A job's life: pending → rendering (claimed: ``attempts`` + 1) → ready (both files and their SHA-256 saved
together) or back to pending with ``last_error``, and failed at the end. "Generate again" writes a new version:
the earlier ones keep their files and hashes.
"""

import hashlib
import logging
from datetime import datetime, timedelta

from celery import current_app
from celery.exceptions import Retry
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.years import FIRST_YEAR, LAST_YEAR
from regions.models import Region, RegionMembership

from .errors import ReportError
from .models import ReportJob, ReportKind

logger = logging.getLogger(__name__)

QUEUE = "pdf"
RENDER_TASK = "reports.tasks.render_report"
ERROR_LENGTH = 2000
WORKER_LOST = "WorkerLostError: the worker stopped while drafting the report"
WAITING = (ReportJob.Status.PENDING, ReportJob.Status.RENDERING)


def report_job_create(*, region: Region | None, year: int, kind: str, requested_by=None) -> ReportJob:
    """Writes a pending job for the region's (or, ``region`` None, the country's) report of the year and queues it
    after commit. While one of the same report waits or is being drafted, that one is returned instead."""
    if kind not in ReportKind.values:
        raise ReportError(_("Choose a year-end or a mid-year report."), field="kind")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ReportError(_("Choose a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    rosters = RegionMembership.objects.filter(year=year)
    if region is not None:
        rosters = rosters.filter(region=region)
    if not rosters.exists():
        raise ReportError(_("There is no roster for that year: nothing to report."), field="year")
    same = ReportJob.objects.filter(region=region, year=year, kind=kind)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                waiting = same.filter(status__in=WAITING).order_by("-version").first()
                if waiting is not None:
                    if waiting.status == ReportJob.Status.PENDING:
                        transaction.on_commit(lambda pk=waiting.pk: queue_render(pk))
                    return waiting
                version = (same.aggregate(n=Max("version"))["n"] or 0) + 1
                job = ReportJob.objects.create(
                    region=region,
                    year=year,
                    kind=kind,
                    version=version,
                    requested_by=requested_by,
                    queued_at=timezone.now(),
                )
                transaction.on_commit(lambda pk=job.pk: queue_render(pk))
                return job
        except IntegrityError:  # another request took the version number at the same moment: count again
            continue
    raise ReportError(_("The report could not be queued; try again."))


def queue_render(job_id: int) -> bool:
    """Sends the job to a worker; a broker that is down loses nothing (the row waits for the sweep)."""
    try:
        current_app.tasks[RENDER_TASK].apply_async(args=[job_id], queue=QUEUE)
    except Retry:  # in-process (no broker): the attempt failed and the job waits for the sweep
        logger.warning("Report job %s failed in-process; it waits for the sweep", job_id)
        return False
    except Exception:  # noqa: BLE001 - any broker failure; the sweep is the remedy
        logger.exception("Report job %s not queued; the sweep will queue it again", job_id)
        return False
    return True


def stalled_after() -> timedelta:
    return timedelta(seconds=settings.PDF_RENDER_TIME_LIMIT + settings.PDF_STALLED_MARGIN)


def report_job_claim(job_id: int) -> ReportJob | None:
    """Takes a pending job (compare-and-set); None when another run has it or it is done."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.PENDING).update(
        status=ReportJob.Status.RENDERING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return ReportJob.objects.select_related("region").get(pk=job_id)


def report_job_render(job: ReportJob) -> ReportJob:
    """Drafts the report from the data (reports/content.py) as .docx and PDF, and stores both with their hashes."""
    from .content import report_day, report_document
    from .docx import report_docx_bytes, report_moment
    from .pdf import report_pdf_bytes

    document = report_document(job.region, job.year, job.kind)
    moment = report_moment(report_day(job.year, job.kind))
    docx = report_docx_bytes(document, moment=moment)
    pdf = report_pdf_bytes(document, moment=moment)
    with transaction.atomic():
        current = ReportJob.objects.select_for_update().get(pk=job.pk)
        if current.status != ReportJob.Status.RENDERING or current.started_at != job.started_at:
            logger.warning("Report job %s was taken over while drafting; this draft is discarded", job.pk)
            return current
        current.docx.save(f"{document.file_stem}.docx", ContentFile(docx), save=False)
        current.pdf.save(f"{document.file_stem}.pdf", ContentFile(pdf), save=False)
        current.docx_sha256 = hashlib.sha256(docx).hexdigest()
        current.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        current.status, current.last_error, current.finished_at = ReportJob.Status.READY, "", timezone.now()
        current.save()
    return current


def report_job_fail(job: ReportJob, error: BaseException) -> tuple[ReportJob, int | None]:
    """Records a failed attempt; returns the job and the seconds before the retry (None: no retry)."""
    now = timezone.now()
    with transaction.atomic():
        current = ReportJob.objects.select_for_update().get(pk=job.pk)
        if current.status != ReportJob.Status.RENDERING or current.started_at != job.started_at:
            return current, None
        current.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        if isinstance(error, ReportError) or current.attempts >= settings.PDF_MAX_ATTEMPTS:
            current.status, current.finished_at, countdown = ReportJob.Status.FAILED, now, None
        else:
            countdown = min(2**current.attempts * 10, 600)
            current.status, current.queued_at = ReportJob.Status.PENDING, now + timedelta(seconds=countdown)
        current.save(update_fields=["last_error", "status", "finished_at", "queued_at"])
    return current, countdown


def report_jobs_sweep(now: datetime | None = None) -> dict[str, int]:
    """Sends again the jobs left waiting (a lost message), gives back those whose worker died."""
    now = now or timezone.now()
    waited = now - timedelta(minutes=settings.PDF_SWEEP_MINUTES)
    requeued = recovered = failed = 0
    waiting = ReportJob.objects.filter(status=ReportJob.Status.PENDING, queued_at__lt=waited)
    for job_id, queued_at in waiting.values_list("pk", "queued_at"):
        same = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.PENDING, queued_at=queued_at)
        if same.update(queued_at=now):
            requeued += queue_render(job_id)
    stalled = ReportJob.objects.filter(status=ReportJob.Status.RENDERING, started_at__lt=now - stalled_after())
    for job_id, started_at, attempts in stalled.values_list("pk", "started_at", "attempts"):
        same = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RENDERING, started_at=started_at)
        if attempts >= settings.PDF_MAX_ATTEMPTS:
            failed += same.update(status=ReportJob.Status.FAILED, last_error=WORKER_LOST, finished_at=now)
        elif same.update(status=ReportJob.Status.PENDING, last_error=WORKER_LOST, queued_at=now):
            recovered += 1
            queue_render(job_id)
    return {"requeued": requeued, "recovered": recovered, "failed": failed}


def report_job_is_stalled(job: ReportJob) -> bool:
    return (
        job.status == ReportJob.Status.RENDERING
        and job.started_at is not None
        and job.started_at < timezone.now() - stalled_after()
    )
