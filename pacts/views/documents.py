"""The pact's PDF: the public verification page, the live status and download of the pact page,
"render again", draft previews, the administrators' job list and the yearly .zip archive."""

import csv
import hashlib
import io
import math
import zipfile
from collections.abc import Iterable
from tempfile import SpooledTemporaryFile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.throttling import client_address
from core.pages import page_bounds, page_of_count, paginate, require
from core.text import ascii_slug
from core.throttle import throttled
from regions.selectors import region_name_on

from .. import selectors
from ..document_forms import MAX_UPLOAD_BYTES, PdfJobFilterForm, PdfUploadForm
from ..errors import PactError
from ..models import Pact, PdfJob
from ..pdf_jobs import (
    STALLED,
    WORKER_LOST,
    MissingFile,
    pdf_file_missing,
    pdf_job_create,
    pdf_job_is_stalled,
    pdf_job_reason,
    pdf_job_rerender,
    pdf_job_status,
    pdf_stalled_after,
    stalled_pdf_jobs,
)
from ..permissions import can_download_pdf, can_manage_pdf_jobs, can_preview_pdf, can_see_pdf_attempts
from ..templatetags.pacts_tags import evidence_time
from .access import pact_for_user

CHUNK = 64 * 1024
# Room for the multipart envelope around a file of the largest size accepted.
MULTIPART_OVERHEAD = 64 * 1024
ARCHIVE_IN_MEMORY = 32 * 1024 * 1024
WAITING = (PdfJob.Status.PENDING, PdfJob.Status.RENDERING)
# A missing file is usually rendered again within a minute or two.
RETRY_AFTER_SECONDS = 120
# The verification page lists the signatory units this many at a time.
VERIFY_PAGE_SIZE = 50


def _back_to(request: HttpRequest, pact: Pact) -> HttpResponse:
    """Back to the page the form was on (the job list), else to the pact's PDF panel."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(reverse("pacts:pact_detail", args=[pact.pk]) + "#pdf")


def pdf_filename(pact: Pact, job: PdfJob) -> str:
    """giao-uoc-<region>-<year>[-<block>]-v<version>.pdf for a signed document (its version among the signed
    documents), giao-uoc-<region>-<year>[-<block>]-du-thao-<number>.pdf for a preview."""
    parts = ["giao-uoc", pact.campaign.region.slug, str(pact.campaign.year)]
    if pact.block:
        parts.append(ascii_slug(pact.block))
    parts.append(f"du-thao-{job.shown_number}" if job.draft else f"v{job.shown_number}")
    return "-".join(parts) + ".pdf"


def _sha256_of(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


# --- public verification ------------------------------------------------------------------------


def _upload_form(request: HttpRequest) -> PdfUploadForm:
    """The posted form; a body larger than any accepted file is refused before Django reads it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD:
        return PdfUploadForm(data={}, files={}, body_too_large=True)
    return PdfUploadForm(request.POST, request.FILES)


# Public and read-only: it compares a file and changes nothing, so a forged request gains nothing, and
# without the CSRF check Django does not read (and spool) an oversized body before the view refuses it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
# Counted before the code is looked up or the body read: guessing codes and sending files cost a bounded few.
@throttled(
    "verify-lookup", rate_setting="THROTTLE_VERIFY_LOOKUPS_PER_ADDRESS", key=client_address, methods=frozenset({"GET"})
)
@throttled(
    "verify-upload", rate_setting="THROTTLE_VERIFY_UPLOADS_PER_ADDRESS", key=client_address, methods=frozenset({"POST"})
)
def verify(request: HttpRequest, code: str) -> HttpResponse:
    pact = selectors.pact_for_verification(code)
    if pact is None:
        return render(request, "pacts/verify_unknown.html", {"code": code}, status=404)
    issued = selectors.issued_pdf_jobs(pact)
    form, checked_hash, match = PdfUploadForm(), "", None
    if request.method == "POST":
        form = _upload_form(request)
        if form.is_valid():
            document: UploadedFile = form.cleaned_data["document"]
            checked_hash = _sha256_of(document.chunks(CHUNK))
            match = next((job for job in issued if job.pdf_sha256 == checked_hash), None)
            form = PdfUploadForm()
    # A public page (the QR code of the printed pact): one page of the signatory units, the count in SQL.
    _signed, total = selectors.signature_counts(pact)
    page = page_of_count(request, total, VERIFY_PAGE_SIZE)
    context = {
        "pact": pact,
        "region_name": region_name_on(pact.campaign.region, pact.signed_on),
        "page": page,
        "signatories": selectors.signatories_with_signatures(pact, *page_bounds(page)) if total else [],
        "issued": issued,
        "form": form,
        "checked_hash": checked_hash,
        "match": match,
    }
    return render(request, "pacts/verify.html", context)


# --- the pact page: status, download, render again, preview --------------------------------------


def pdf_job_state(job: PdfJob | None, *, show_error: bool, show_attempts: bool = False) -> dict:
    """What the pact page's panel shows of a job, as JSON ("stalled" when its worker is gone); the error and
    its reason are for those who manage the jobs, the number of attempts for administrators."""
    status, label = pdf_job_status(job) if job else ("none", _("Not requested yet"))
    state = {
        "status": status,
        "status_label": label,
        "version": job.shown_number if job else None,
        "draft": job.draft if job else False,
        "download_url": (
            reverse("pacts:pdf_download", args=[job.pact_id, job.version])
            if job and job.status == PdfJob.Status.READY
            else None
        ),
    }
    if show_attempts:
        state["attempts"] = job.attempts if job else 0
    if show_error:
        state["last_error"] = job.last_error if job else ""
        state["reason"] = pdf_job_reason(job) if job else ""
    return state


@never_cache
@require_GET
@login_required
def pdf_status(request: HttpRequest, pk: int) -> JsonResponse:
    pact = pact_for_user(request, pk, need=can_download_pdf)
    jobs = selectors.pdf_jobs_of_pact(pact)
    job = jobs.preview if request.GET.get("draft") == "1" else jobs.latest
    user = request.user
    return JsonResponse(
        pdf_job_state(job, show_error=can_manage_pdf_jobs(user), show_attempts=can_see_pdf_attempts(user))
    )


@require_GET
@login_required
def pdf_download(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=can_download_pdf)
    job = get_object_or_404(PdfJob, pact=pact, version=version, status=PdfJob.Status.READY)
    try:
        handle = job.pdf.open("rb")
    except (FileNotFoundError, ValueError) as error:
        missing = pdf_file_missing(job)  # queues the file's render when it can be made again
        if missing is None:  # there again (restored meanwhile): an unreadable file is not a missing one
            raise Http404(_("The PDF file cannot be read.")) from error
        return _missing_file(request, pact, job, missing)
    response = FileResponse(
        handle,
        as_attachment=request.GET.get("download") == "1",
        filename=pdf_filename(pact, job),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private"
    return response


def _missing_file(request: HttpRequest, pact: Pact, job: PdfJob, missing: MissingFile) -> HttpResponse:
    """A clear page instead of a bare 404: "try again in a few minutes" while the file is rendered again
    (503 with Retry-After), or the version that replaces it, or why it cannot be made again."""
    replacement = missing.replacement
    waiting = missing.restoring or (replacement is not None and replacement.status in WAITING)
    context = {
        "pact": pact,
        "job": job,
        "missing": missing,
        "replacement_ready": replacement is not None and replacement.status == PdfJob.Status.READY,
        "waiting": waiting,
        "can_manage": can_manage_pdf_jobs(request.user),
    }
    response = render(request, "pacts/pdf_missing.html", context, status=503 if waiting else 404)
    if waiting:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@require_POST
@login_required
def pdf_rerender(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=lambda user, _pact: can_manage_pdf_jobs(user))
    try:
        job = pdf_job_rerender(pact=pact, requested_by=request.user)
    except PactError as error:
        messages.error(request, error.message)
        return _back_to(request, pact)
    if job.status == PdfJob.Status.PENDING and job.last_error == WORKER_LOST:  # a stalled render taken over
        messages.success(
            request,
            _("Version %(version)s had stopped rendering (its worker was lost): it is being rendered again now.")
            % {"version": job.shown_number},
        )
    else:
        messages.success(
            request,
            _(
                "Version %(version)s of the PDF is being rendered. The earlier versions stay on record "
                "with their SHA-256."
            )
            % {"version": job.shown_number},
        )
    return _back_to(request, pact)


@require_POST
@login_required
def pdf_preview(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=can_download_pdf)
    if not can_preview_pdf(request.user, pact):
        messages.error(request, _("Only a draft or a pact open for signing can be previewed."))
        return _back_to(request, pact)
    waiting = selectors.pdf_jobs_of_pact(pact).preview
    # A preview renders the pact as it is when the worker takes it: one waiting preview is enough (but not
    # a stalled one, whose worker is gone).
    if waiting is not None and waiting.status in WAITING and not pdf_job_is_stalled(waiting):
        messages.info(request, _("A preview is already being prepared: it appears below when it is ready."))
        return _back_to(request, pact)
    pdf_job_create(pact=pact, requested_by=request.user, draft=True)
    messages.success(request, _("The preview marked DRAFT is being prepared: it appears below when it is ready."))
    return _back_to(request, pact)


# --- administrators: every job, the yearly archive ------------------------------------------------


@require_GET
@login_required
def pdf_jobs(request: HttpRequest) -> HttpResponse:
    require(can_manage_pdf_jobs(request.user))
    form = PdfJobFilterForm(request.GET if "status" in request.GET else None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    jobs = selectors.pdf_jobs_for_list(status="" if status == STALLED else status)
    if status == STALLED:
        jobs = stalled_pdf_jobs(jobs)
    counts = selectors.pdf_job_status_counts()
    counts[STALLED] = stalled_pdf_jobs(PdfJob.objects.all()).count()
    context = {
        "form": form,
        "page": paginate(request, jobs),
        "counts": [(value, label, counts[value]) for value, label in [*PdfJob.Status.choices, (STALLED, _("Stalled"))]],
        "archive_years": selectors.years_with_executed_pacts(),
        "stalled_minutes": math.ceil(pdf_stalled_after().total_seconds() / 60),
        "show_attempts": can_see_pdf_attempts(request.user),
    }
    return render(request, "pacts/pdf_jobs.html", context)


def _archive_name(job: PdfJob, taken: set[str]) -> str:
    name = pdf_filename(job.pact, job)
    if name in taken:  # two executed pacts of one region and block: keep both
        name = name.removesuffix(".pdf") + f"-{job.pact_id}.pdf"
    taken.add(name)
    return name


def _copy_into(archive: zipfile.ZipFile, name: str, job: PdfJob) -> str:
    """Copies the job's file into the archive as it is, returning the SHA-256 of the bytes copied."""
    stamp = timezone.localtime(job.finished_at or job.created_at)
    entry = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    entry.compress_type = zipfile.ZIP_STORED  # a PDF is already compressed
    digest = hashlib.sha256()
    with job.pdf.open("rb") as source, archive.open(entry, "w") as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
    return digest.hexdigest()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Text that Excel will not run as a formula (a pact's title is typed by people)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _index_row(name: str, pact: Pact, region_name: str, version: int | None, sha: str, note: str) -> list[str]:
    cells = [name, region_name, pact.block, pact.title, str(version or ""), evidence_time(pact.executed_at), sha, note]
    return [_cell(cell) for cell in cells]


def year_archive(year: int, jobs: list[PdfJob], missing: list[Pact]) -> SpooledTemporaryFile:
    """One .zip of the year's current documents, with an index (muc-luc-<year>.csv) of their SHA-256."""
    spool = SpooledTemporaryFile(max_size=ARCHIVE_IN_MEMORY)  # noqa: SIM115 (the response closes it)
    index = io.StringIO()
    rows = csv.writer(index)
    header = [_("File"), _("Region"), _("Block"), _("Title"), _("Version"), _("Executed at"), _("SHA-256 of the PDF")]
    rows.writerow([*header, _("Note")])
    taken: set[str] = set()
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for job in jobs:
            name = _archive_name(job, taken)
            try:
                copied = _copy_into(archive, name, job)
            except (FileNotFoundError, ValueError):
                name, copied, note = "", job.pdf_sha256, _("The file is missing from the server.")
            else:
                note = "" if copied == job.pdf_sha256 else _("The file differs from the SHA-256 on record.")
            rows.writerow(_index_row(name, job.pact, job.region_name_on_day, job.shown_number, copied, note))
        for pact in missing:
            rows.writerow(_index_row("", pact, pact.region_name_on_day, None, "", _("No PDF has been rendered yet.")))
        # With a byte-order mark, Excel opens the Vietnamese names correctly.
        archive.writestr(f"muc-luc-{year}.csv", "\ufeff" + index.getvalue())
    spool.seek(0)
    return spool


@require_GET
@login_required
def pdf_archive(request: HttpRequest, year: int) -> FileResponse:
    require(can_manage_pdf_jobs(request.user))
    jobs = selectors.archive_pdf_jobs(year)
    missing = selectors.executed_pacts_without_pdf(year)
    if not jobs and not missing:
        raise Http404(_("No pact was executed in %(year)s.") % {"year": year})
    return FileResponse(
        year_archive(year, jobs, missing),
        as_attachment=True,
        filename=f"giao-uoc-thi-dua-{year}.zip",
        content_type="application/zip",
    )


urlpatterns = [
    path("verify/<str:code>/", verify, name="verify"),
    path("pacts/<int:pk>/pdf/status.json", pdf_status, name="pdf_status"),
    path("pacts/<int:pk>/pdf/<int:version>/download/", pdf_download, name="pdf_download"),
    path("pacts/<int:pk>/pdf/rerender/", pdf_rerender, name="pdf_rerender"),
    path("pacts/<int:pk>/pdf/preview/", pdf_preview, name="pdf_preview"),
    path("pdf-jobs/", pdf_jobs, name="pdf_jobs"),
    path("pacts/archive/<int:year>.zip", pdf_archive, name="pdf_archive"),
]
