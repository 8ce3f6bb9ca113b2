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


# How pip reaches PyPI through this network (a CA bundle, a proxy, a timeout, a mirror): kept. Anything else
# (a constraint file, extra wheel directories) would hide what a new user's plain `pip install` does.
NETWORK_SETTINGS = ("PIP_CERT", "PIP_CLIENT_CERT", "PIP_PROXY", "PIP_DEFAULT_TIMEOUT", "PIP_INDEX_URL", "PIP_RETRIES")


def environment_without_pip_settings() -> dict[str, str]:
    """The caller's environment with no PIP_* setting but the network ones, and no pip configuration file
    (PIP_CONFIG_FILE=os.devnull: neither the user's nor the machine's pip.conf is read)."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("PIP_") or name in NETWORK_SETTINGS
    }
    environment["PIP_CONFIG_FILE"] = os.devnull
    return environment


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
