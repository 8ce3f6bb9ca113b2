"""Times and measures the reading of a zip bomb (10 million shared strings in ~400 KB) by the old path and the new one.

Usage: DATABASE_URL=... .venv/bin/python bench/upload_bomb.py [--count N]

Each path runs in a fresh child process, so that its peak memory (ru_maxrss) is its own: "old" is
openpyxl's read-only reader as the imports called it before the check; "new" is ``core.xlsx.read_rows``,
which checks the archive first. The old path may be stopped by --limit seconds (gunicorn's timeout is 60).
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")


def _child(path: str, count: int) -> None:
    import django

    django.setup()
    from openpyxl import load_workbook

    from core import xlsx
    from regions.excel import UNIT_SHEET
    from tests.core.bombs import shared_strings_bomb

    content = shared_strings_bomb(count)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = "read"
    if path == "old":
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
    else:
        try:
            xlsx.read_rows(io.BytesIO(content), UNIT_SHEET)
        except xlsx.SheetError as error:
            outcome = f"refused: {error.message}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "size": len(content),
                "seconds": seconds,
                "peak_mb": peak / 1024,
                "grew_mb": (peak - before) / 1024,
                "outcome": outcome,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000_000)
    parser.add_argument("--limit", type=int, default=120)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.count)
        return
    for path in ("old", "new"):
        command = [sys.executable, __file__, "--child", path, "--count", str(args.count)]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=args.limit, check=True)
            data = json.loads(result.stdout.strip().splitlines()[-1])
            print(
                f"{path}: file {data['size'] / 1024:.0f} KB, {data['seconds']:.2f} s, peak {data['peak_mb']:.0f} MB "
                f"(+{data['grew_mb']:.0f} MB while reading), {data['outcome']}"
            )
        except subprocess.TimeoutExpired:
            print(f"{path}: still running after {args.limit} s (stopped)")


if __name__ == "__main__":
    main()
