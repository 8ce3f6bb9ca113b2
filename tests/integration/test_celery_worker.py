"""A real Celery worker, started against the configured broker (Redis in CI), runs a task."""

import os
import subprocess
import uuid

import pytest
from django.conf import settings

from tests.conftest import require
from tests.workers import worker_command
from thidua.celery import app, ping

pytestmark = pytest.mark.integration


@pytest.fixture
def worker_queue():
    require(bool(settings.REDIS_URL), "REDIS_URL is not set: no broker for a real worker")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        worker_command(queue, pool="solo"),
        cwd=settings.BASE_DIR,
        env={**os.environ, "REDIS_URL": settings.REDIS_URL},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output)


def test_a_real_worker_runs_a_task_and_returns_its_result(worker_queue):
    result = ping.apply_async(queue=worker_queue)
    assert result.get(timeout=60) == "pong"
    assert result.successful()
