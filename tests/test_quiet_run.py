"""`make run`'s embedded default prints no warning meant for library authors: none from kombu, none from pyHanko."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_embedded(code: str) -> subprocess.CompletedProcess:
    """Runs code after django.setup() in a fresh interpreter on the embedded default (no DATABASE_URL, no REDIS_URL),
    with every warning shown once (-W default), as a user's terminal would show it."""
    environment = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "REDIS_URL")}
    environment["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
    setup = "import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-W", "default", "-c", setup + code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=environment,
    )


def test_an_eager_task_on_the_embedded_default_logs_no_kombu_warning():
    ran = run_embedded("from thidua.celery import app\nprint(app.tasks['thidua.ping'].apply_async().get())")
    assert ran.returncode == 0, ran.stderr
    assert "pong" in ran.stdout
    assert "WARNING" not in ran.stderr, ran.stderr


def test_importing_the_seal_module_prints_no_deprecation_warning_from_pyhanko():
    ran = run_embedded("import pacts.seal")
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr == ""
