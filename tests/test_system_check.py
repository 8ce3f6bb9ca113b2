"""scripts/check-system.sh, run first by `make run`: it names the missing system packages before pip fails."""

import os
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
