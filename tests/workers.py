"""Real Celery workers for the integration and e2e tests: the command that starts one, the test database
it must read, and how it is stopped."""

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings


def database_url() -> str:
    """The test database as a DATABASE_URL, so that a worker process reads what the test committed."""
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_command(queue: str, *, pool: str = "prefork", level: str = "warning", name: str = "") -> list[str]:
    """Starts a worker of the project on one queue, as production starts one (prefork with one child), named
    after the queue unless told; gossip, mingle and heartbeat are off, as a test needs none of them."""
    command = [str(Path(sys.executable).with_name("celery")), "-A", "thidua", "worker", "-Q", queue]
    command += ["-n", name or f"{queue}@%h", "--pool", pool]
    if pool == "prefork":
        command += ["--concurrency", "1"]
    return command + ["-l", level, "--without-gossip", "--without-mingle", "--without-heartbeat"]


def stop(process: subprocess.Popen) -> None:
    """Asks the worker to stop, and kills it if it has not within 30 seconds."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
