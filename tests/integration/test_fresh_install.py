"""A new user's first step: `pip install -r requirements.txt` into a fresh venv, with no constraint or flag."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent.parent


def pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError:
        return False
    return True


def environment_without_pip_settings() -> dict[str, str]:
    """The caller's environment minus every PIP_* variable, so no constraint file can creep in."""
    return {name: value for name, value in os.environ.items() if not name.startswith("PIP_")}


@pytest.mark.integration
def test_the_requirements_install_into_a_fresh_venv_with_no_flags(tmp_path):
    require(pypi_reachable(), "PyPI is not reachable")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = venv / "bin" / "pip"
    installed = subprocess.run(
        [str(pip), "install", "--no-cache-dir", "-r", str(ROOT / "requirements.txt")],
        capture_output=True,
        text=True,
        timeout=900,
        env=environment_without_pip_settings(),
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    consistent = subprocess.run([str(pip), "check"], capture_output=True, text=True, timeout=120)
    assert consistent.returncode == 0, consistent.stdout
