"""Large exports built by a worker: past ``settings.EXPORT_INLINE_ROWS`` rows, a page's .xlsx is an
``ExportJob`` queued by name (``core.tasks.build_export``), whose page polls its status and offers the
download when it is ready; below the bound the workbook is still sent with the response.

The domain apps register their builders here (``@register("regions.unit_list")``) in a module the
worker imports by the kind's dotted prefix; core never imports them. A builder takes the page's query
(a ``QueryDict``) and the person who asked, checks that person's right again, and returns the workbook's
bytes and its file name.

A job's life: pending → building (claimed with a compare-and-set: ``attempts`` + 1) → ready (file saved),
or back to pending with ``last_error`` until EXPORT_MAX_ATTEMPTS, then failed. A job still pending a
minute after it was queued (the broker was down) is queued again when its page asks for its status.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone

from .models import ExportJob
from .xlsx import xlsx_response

logger = logging.getLogger(__name__)

BUILD_TASK = "core.tasks.build_export"
EXPORT_QUEUE = "default"
REQUEUE_AFTER = timedelta(minutes=1)
ERROR_LENGTH = 2000

Builder = Callable[[QueryDict, object], tuple[bytes, str]]
_BUILDERS: dict[str, Builder] = {}


def register(kind: str) -> Callable[[Builder], Builder]:
    """Registers ``builder`` under ``kind``, "<module of the builder without its last part>.<name>": the worker
    imports ``<app>.exports`` for a kind "<app>.<name>"."""

    def decorator(builder: Builder) -> Builder:
        _BUILDERS[kind] = builder
        return builder

    return decorator


def builder_of(kind: str) -> Builder:
    if kind not in _BUILDERS:
        import_module(f"{kind.split('.', 1)[0]}.exports")  # registers the app's builders
    return _BUILDERS[kind]


def inline_rows() -> int:
    return getattr(settings, "EXPORT_INLINE_ROWS", 2000)


def inline_or_job(request: HttpRequest, *, kind: str, rows: int, query: QueryDict | None = None) -> HttpResponse:
    """The workbook now when it has at most ``inline_rows()`` rows; else a job, and its page. ``query``: what
    the builder reads, the page's query by default (a page whose address holds its arguments adds them)."""
    query = request.GET if query is None else query
    if rows <= inline_rows():
        content, filename = builder_of(kind)(query, request.user)
        return xlsx_response(content, filename)
    job = export_job_create(kind=kind, query=query, user=request.user, rows=rows)
    return redirect(job)


def export_job_create(*, kind: str, query: QueryDict, user, rows: int) -> ExportJob:
    params = {key: query.getlist(key) for key in query if key != "page"}
    job = ExportJob.objects.create(kind=kind, params=params, requested_by=user, rows=rows, queued_at=timezone.now())
    transaction.on_commit(lambda: queue_build(job.pk))
    return job


def queue_build(job_id: int) -> bool:
    """Sends the job to a worker by the task's name (run in-process when Celery is eager); a broker that is
    down leaves it pending (its page queues it again)."""
    try:
        current_app.tasks[BUILD_TASK].apply_async(args=[job_id], queue=EXPORT_QUEUE)
    except Exception:  # noqa: BLE001 (any broker error: the job waits in its row)
        logger.warning("export job %s could not be queued; it stays pending", job_id, exc_info=True)
        return False
    return True


def requeue_if_waiting(job: ExportJob) -> bool:
    """Queues again a job still pending REQUEUE_AFTER after it was queued (compare-and-set on queued_at)."""
    now = timezone.now()
    if job.status != ExportJob.Status.PENDING or (job.queued_at and now - job.queued_at < REQUEUE_AFTER):
        return False
    taken = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.PENDING, queued_at=job.queued_at)
    if not taken.update(queued_at=now):
        return False
    job.queued_at = now
    return queue_build(job.pk)


def export_job_claim(job_id: int) -> ExportJob | None:
    """The job, now building, if it was pending; None if another worker has it or it is done."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING)
    if not claimed.update(status=ExportJob.Status.BUILDING, attempts=F("attempts") + 1):
        return None
    return ExportJob.objects.get(pk=job_id)


def export_job_build(job: ExportJob) -> ExportJob:
    """Builds the claimed job's workbook and saves it: ready, or pending again (failed after the last try)."""
    query = QueryDict(mutable=True)
    for key, values in job.params.items():
        query.setlist(key, values)
    try:
        content, filename = builder_of(job.kind)(query, job.requested_by)
    except Exception as error:  # noqa: BLE001 (recorded on the job, shown to the person)
        last = job.attempts >= getattr(settings, "EXPORT_MAX_ATTEMPTS", 3)
        job.status = ExportJob.Status.FAILED if last else ExportJob.Status.PENDING
        job.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        job.finished_at = timezone.now() if last else None
        job.save(update_fields=["status", "last_error", "finished_at"])
        if not last:
            transaction.on_commit(lambda: queue_build(job.pk))
        return job
    job.file.save(filename, ContentFile(content), save=False)
    job.filename = filename
    job.status = ExportJob.Status.READY
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "filename", "status", "finished_at"])
    return job
