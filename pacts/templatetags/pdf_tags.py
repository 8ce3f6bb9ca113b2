"""The PDF panel of the pact page: the document's live status, download and print, "render again" and
the draft preview, in one query for the jobs whatever the view that renders the page."""

from django import template

from .. import selectors
from ..models import Pact, PdfJob
from ..permissions import PREVIEWABLE, can_download_pdf, can_manage_pdf_jobs

register = template.Library()

BADGES = {
    PdfJob.Status.PENDING: "text-bg-secondary",
    PdfJob.Status.RENDERING: "text-bg-info",
    PdfJob.Status.READY: "text-bg-success",
    PdfJob.Status.FAILED: "text-bg-danger",
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
def pdf_retry(job: PdfJob) -> str:
    """What a failed job's row offers: "rerender" (a new version of an executed pact's document),
    "preview" (a new preview of a pact still in draft or open) or nothing."""
    if job.status != PdfJob.Status.FAILED:
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
        "can_rerender": executed and can_manage_pdf_jobs(user),
    }
