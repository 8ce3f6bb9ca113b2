"""The Celery app, configured from Django settings through the CELERY_ namespace."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")

app = Celery("thidua")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Two queues: "default" for short jobs (e-mail), "pdf" for WeasyPrint on its own worker.
app.conf.task_queues = (Queue("default"), Queue("pdf"))
app.autodiscover_tasks()


# The one task whose result is read (by the worker integration test): results are ignored otherwise.
@app.task(name="thidua.ping", ignore_result=False)
def ping() -> str:
    """Answers "pong": used by /healthz tooling and the worker integration test."""
    return "pong"
