"""Celery tasks of the reports: thin wrappers around reports/jobs.py."""

import logging

from celery import shared_task
from django.conf import settings

from .jobs import RENDER_TASK, report_job_claim, report_job_fail, report_job_render, report_jobs_sweep

logger = logging.getLogger(__name__)


@shared_task(
    name=RENDER_TASK,
    bind=True,
    max_retries=None,
    time_limit=settings.PDF_RENDER_TIME_LIMIT,
    soft_time_limit=settings.PDF_RENDER_SOFT_TIME_LIMIT,
)
def render_report(self, job_id: int) -> str:
    """Drafts one report job: claims it, writes the .docx and the PDF; on failure, retries with backoff."""
    job = report_job_claim(job_id)
    if job is None:
        return "skipped"
    try:
        return report_job_render(job).status
    except Exception as error:  # noqa: BLE001 - every failure counts, SoftTimeLimitExceeded included
        logger.warning("Report job %s failed (attempt %s): %r", job_id, job.attempts, error)
        job, countdown = report_job_fail(job, error)
        if countdown is None:
            return job.status
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(name="reports.tasks.sweep_report_jobs")
def sweep_report_jobs() -> dict[str, int]:
    """Run by beat every minute: sends again the jobs left waiting, gives back those whose worker died."""
    return report_jobs_sweep()
