"""The PDF panel of the pact page: the document's live status, download and print, "render again" and
the draft preview, in one query for the jobs whatever the view that renders the page."""

from django import template

from .. import selectors
from ..models import Pact, PdfJob
from ..pdf_jobs import STALLED, pdf_job_is_stalled, pdf_job_reason, pdf_job_status
from ..permissions import PREVIEWABLE, can_download_pdf, can_manage_pdf_jobs, can_see_pdf_attempts

register = template.Library()

BADGES = {
    PdfJob.Status.PENDING: "text-bg-secondary",
    PdfJob.Status.RENDERING: "text-bg-info",
    PdfJob.Status.READY: "text-bg-success",
    PdfJob.Status.FAILED: "text-bg-danger",
    STALLED: "text-bg-warning",
}
WAITING = {PdfJob.Status.PENDING, PdfJob.Status.RENDERING}


@register.filter
def pdf_badge(status: str) -> str:
    """The Bootstrap badge class of a job's status (the same map as static/js/pdf-status.js)."""
    return BADGES.get(status, "text-bg-light border")


@register.filter
def pdf_waiting(job: PdfJob | None) -> bool:
    return job is not None and job.status in WAITING


@register.filter
def pdf_status(job: PdfJob | None) -> str:
    """The status a person sees: the job's own, or "stalled" for a render whose worker is gone."""
    return pdf_job_status(job)[0] if job is not None else "none"


@register.filter
def pdf_status_label(job: PdfJob) -> str:
    return pdf_job_status(job)[1]


@register.filter
def pdf_reason(job: PdfJob | None) -> str:
    """Why the job failed or is stalled, in the reader's language (empty when nothing went wrong)."""
    return pdf_job_reason(job) if job is not None else ""


@register.filter
def pdf_retry(job: PdfJob) -> str:
    """What a failed or stalled job's row offers: "rerender" (a new version of an executed pact's document,
    or the stalled render taken over), "preview" (a new preview of a pact still in draft or open) or nothing."""
    if job.status != PdfJob.Status.FAILED and not pdf_job_is_stalled(job):
        return ""
    if not job.draft:
        return "rerender" if job.pact.status == Pact.Status.EXECUTED else ""
    return "preview" if job.pact.status in (Pact.Status.DRAFT, Pact.Status.OPEN) else ""


@register.inclusion_tag("pacts/pdf_panel_body.html")
def pdf_panel(pact: Pact, user) -> dict:
    if not can_download_pdf(user, pact):
        return {"show": False}
    jobs = selectors.pdf_jobs_of_pact(pact)
    executed = pact.status == Pact.Status.EXECUTED
    # can_preview_pdf without asking can_download_pdf's queries a second time.
    previewable = pact.status in PREVIEWABLE
    return {
        "show": executed or previewable or jobs.latest is not None,
        "pact": pact,
        "final": executed or jobs.latest is not None,
        "latest": jobs.latest,
        "current": jobs.current,
        "preview": jobs.preview if previewable else None,
        "previewable": previewable,
        "can_manage": can_manage_pdf_jobs(user),
        "can_see_attempts": can_see_pdf_attempts(user),
        "can_rerender": executed and can_manage_pdf_jobs(user),
    }
