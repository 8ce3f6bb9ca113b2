"""An export job's page (a progress indicator that polls its status), its status as JSON, its download.
Only the person who asked for the export sees any of them (404 for anyone else)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from .exports import requeue_if_waiting
from .models import ExportJob
from .xlsx import XLSX_CONTENT_TYPE


def _job_of(request: HttpRequest, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


def _state(job: ExportJob) -> dict:
    ready = job.status == ExportJob.Status.READY
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "rows": job.rows,
        "attempts": job.attempts,
        "download_url": reverse("core:export_download", args=[job.pk]) if ready else "",
    }


@require_GET
@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_of(request, pk)
    requeue_if_waiting(job)
    return render(request, "core/export_job.html", {"job": job, "state": _state(job)})


@require_GET
@login_required
def export_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job_of(request, pk)
    requeue_if_waiting(job)
    return JsonResponse(_state(job), headers={"Cache-Control": "no-store"})


@require_GET
@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_of(request, pk)
    if job.status != ExportJob.Status.READY or not job.file:
        raise Http404
    try:
        handle = job.file.storage.open(job.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=job.filename)
    response["Content-Type"] = XLSX_CONTENT_TYPE
    return response


app_name = "core"

urlpatterns = [
    path("<int:pk>/", export_job, name="export_job"),
    path("<int:pk>/status.json", export_status, name="export_status"),
    path("<int:pk>/download", export_download, name="export_download"),
]
