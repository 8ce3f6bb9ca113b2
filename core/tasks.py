"""The worker's side of core.exports: build one export job, sent by name (``core.exports.BUILD_TASK``)."""

from celery import shared_task

from .exports import export_job_build, export_job_claim


@shared_task(name="core.tasks.build_export", acks_late=True, ignore_result=True)
def build_export(job_id: int) -> str:
    job = export_job_claim(job_id)
    if job is None:
        return "not pending"
    return export_job_build(job).status
