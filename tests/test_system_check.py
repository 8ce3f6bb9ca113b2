"""scripts/check-system.sh, run first by `make run`: it names the missing system packages before pip fails."""

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import require

SYSTEM_CHECK = Path(__file__).resolve().parent.parent / "scripts" / "check-system.sh"


def test_the_system_check_names_the_missing_compiler_and_libpq_headers(tmp_path):
    """A PATH with python and fontconfig but no gcc or pg_config: the check names gcc and libpq-dev."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "grep", "fc-list"):
        found = next((Path(d) / tool for d in os.environ["PATH"].split(os.pathsep) if (Path(d) / tool).exists()), None)
        require(found is not None, f"{tool} is not on this machine")
        (bin_dir / tool).symlink_to(found)
    checked = subprocess.run(
        [str(bin_dir / "bash"), str(SYSTEM_CHECK), sys.executable],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": str(bin_dir)},
    )
    assert checked.returncode == 1
    assert "gcc" in checked.stderr.split("Missing system packages:")[1].splitlines()[0].split()
    assert "libpq-dev" in checked.stderr


def test_the_readme_apt_get_line_installs_every_package_the_check_can_name():
    readme = (SYSTEM_CHECK.parent.parent / "README.md").read_text(encoding="utf-8")
    apt_line = next(line for line in readme.splitlines() if line.startswith("sudo apt-get install "))
    listed = set(apt_line.split()[3:])
    script = SYSTEM_CHECK.read_text(encoding="utf-8")
    named = set(re.findall(r"missing\+=\(([^)$\"]+)\)", script)) | set(re.findall(r":(lib[\w.-]+)", script))
    named = {package for group in named for package in group.split()} - {"python3", "fontconfig"}
    assert named <= listed, named - listed
    assert {"gcc", "libpq-dev", "python3-venv", "fonts-liberation2", "fonts-croscore"} <= named
