"""The Celery app, configured from Django settings through the CELERY_ namespace."""

import logging
import os

from celery import Celery, signals
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")

app = Celery("thidua")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Two queues: "default" for short jobs (e-mail), "pdf" for WeasyPrint on its own worker.
app.conf.task_queues = (Queue("default"), Queue("pdf"))
app.autodiscover_tasks()

logger = logging.getLogger(__name__)
PDF_QUEUE_PREFIX = "pdf"  # "pdf", and the tests' own "pdf-test-…" queues
# Set in the worker's main process once it knows its queues, inherited by the children it forks.
_warm_children = False


# The one task whose result is read (by the worker integration test): results are ignored otherwise.
@app.task(name="thidua.ping", ignore_result=False)
def ping() -> str:
    """Answers "pong": used by /healthz tooling and the worker integration test."""
    return "pong"


@signals.celeryd_after_setup.connect
def _note_pdf_worker(sender, instance, **kwargs) -> None:
    """A worker consuming the pdf queue warms each child it starts (``_warm_pdf_child``)."""
    global _warm_children  # noqa: PLW0603 - read by the children this process forks
    queues = instance.app.amqp.queues.consume_from or {}
    _warm_children = any(name.startswith(PDF_QUEUE_PREFIX) for name in queues)


@signals.worker_process_init.connect
def _warm_pdf_child(**kwargs) -> None:
    """In each new child of the pdf worker (at start, and after every recycle): WeasyPrint, the fonts and the
    seal loaded before the first job, so that no job pays the cold start (pacts.pdf.warm_up)."""
    if _warm_children:
        warm_pdf_child()


def warm_pdf_child() -> float | None:
    from pacts.pdf import warm_up

    try:
        seconds = warm_up()
    except Exception:  # noqa: BLE001 - a child that could not warm renders cold, it does not stop
        logger.warning("pdf worker child not warmed up", exc_info=True)
        return None
    logger.info("pdf worker child warmed up in %.2f s", seconds)
    return seconds
