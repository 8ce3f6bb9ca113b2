"""Celery tasks of the pacts app: thin wrappers around the services, the reminders and the PDF jobs."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .audit import audit_record
from .models import AuditEvent, Pact
from .notifications import pact_emails_enqueue, recipients_for
from .pdf_jobs import (
    PRERENDER_TASK,
    RENDER_TASK,
    RESTORE_TASK,
    pdf_job_claim,
    pdf_job_fail,
    pdf_job_render,
    pdf_job_restore,
    pdf_jobs_sweep,
    pdf_pages_prerender,
)
from .selectors import pending_slots

AUTO_REMINDER = "auto"
logger = logging.getLogger(__name__)


@shared_task(name="pacts.tasks.send_due_reminders")
def send_due_reminders() -> int:
    """Run daily by beat: reminds pending leaders of open pacts whose deadline is N days away
    (N in settings.PACT_REMINDER_DAYS), once per pact and day."""
    today = timezone.localdate()
    reminded = 0
    for pact in Pact.objects.filter(status=Pact.Status.OPEN, deadline__gt=timezone.now()):
        days_left = (timezone.localdate(pact.deadline) - today).days
        if days_left not in settings.PACT_REMINDER_DAYS:
            continue
        already = AuditEvent.objects.filter(
            pact=pact,
            action=AuditEvent.Action.REMINDED,
            detail=AUTO_REMINDER,
            at__gte=timezone.now() - timedelta(hours=20),
        ).exists()
        if already or not pending_slots(pact).exists():
            continue
        with transaction.atomic():
            audit_record(action=AuditEvent.Action.REMINDED, pact=pact, detail=AUTO_REMINDER)
            pact_emails_enqueue(pact=pact, recipients=recipients_for(pact, pending_slots(pact)), kind="reminder")
        reminded += 1
    return reminded


# max_retries=None: the job row counts the attempts (settings.PDF_MAX_ATTEMPTS), including those
# whose worker died, which Celery's own retry counter never sees (a broker counts no redeliveries). The
# render's own time limits, not the default tasks' 10 minutes: the sweep's "stalled" bound is derived from them.
@shared_task(
    name=RENDER_TASK,
    bind=True,
    max_retries=None,
    time_limit=settings.PDF_RENDER_TIME_LIMIT,
    soft_time_limit=settings.PDF_RENDER_SOFT_TIME_LIMIT,
)
def render_pact_pdf(self, job_id: int) -> str:
    """Renders one PDF job: claims it, renders, seals, stores; on failure, retries with backoff."""
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    job = pdf_job_claim(job_id, redelivered=redelivered)
    if job is None:  # done, failed, or being rendered by another run: a repeat yields no second document
        return "skipped"
    try:
        return pdf_job_render(job).status
    except Exception as error:  # noqa: BLE001 - every failure counts, SoftTimeLimitExceeded included
        logger.warning("PDF job %s failed (attempt %s): %r", job_id, job.attempts, error)
        job, countdown = pdf_job_fail(job, error)
        if countdown is None:
            return job.status
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(
    name=RESTORE_TASK,
    time_limit=settings.PDF_RENDER_TIME_LIMIT,
    soft_time_limit=settings.PDF_RENDER_SOFT_TIME_LIMIT,
)
def render_missing_pdf(job_id: int) -> str:
    """Renders again a ready job's file that is missing from storage (asked by a download or the sweep)."""
    return pdf_job_restore(job_id)


@shared_task(
    name=PRERENDER_TASK,
    ignore_result=True,
    time_limit=settings.PDF_RENDER_TIME_LIMIT,
    soft_time_limit=settings.PDF_RENDER_SOFT_TIME_LIMIT,
)
def prerender_pact_pdf(pact_id: int) -> str:
    """Lays out in the background the pages an open pact's new signatures changed, so that the render after
    its last signature lays out only what that one changes (pacts/pdf_pages.py). A failure costs only that
    head start: it is logged, not retried."""
    try:
        return pdf_pages_prerender(pact_id)
    except Exception:  # noqa: BLE001 - SoftTimeLimitExceeded included
        logger.warning("PDF pre-render of pact %s failed", pact_id, exc_info=True)
        return "failed"


@shared_task(name="pacts.tasks.sweep_pdf_jobs")
def sweep_pdf_jobs() -> dict[str, int]:
    """Run by beat every minute: re-queues waiting and stalled jobs, writes missing ones, checks files."""
    return pdf_jobs_sweep()
