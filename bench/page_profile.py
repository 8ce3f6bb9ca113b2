"""Where one page of issue 16 spends its time in production: gunicorn (one sync worker, production mode, as
bench/pages_load.py starts it) serves the page to wrk over one connection while py-spy samples the worker,
then the functions are printed with the share of the samples that were inside them (the portal's own, the
ORM's and the templates' main steps), highest first.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/page_profile.py roster

Pages: the keys of pages_load.pages() (home, signing, units, search, roster, progress, report, ranking).
Needs py-spy (`.venv/bin/pip install py-spy`; a profiler, not a dependency of the portal) and wrk. Options:
--seconds S (12), --rate N (samples a second, 500), --all (every function, not only the main ones).
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pages_load  # noqa: E402

# The frames worth reading: the portal's modules, and the ORM's and the templates' main steps.
MAIN = re.compile(
    r"\((accounts|core|legal|regions|people|pacts|awards|reports|thidua|outbox)/"
    r"|QuerySet\._fetch_all|SQLCompiler\.as_sql \(|Model\.from_db|CursorWrapper\._execute \("
    r"|Template\.render \(django/template/backends|WSGIHandler\.__call__"
)


def shares(raw: str, everything: bool) -> tuple[int, list[tuple[float, str]]]:
    """The share of the samples inside each function (py-spy's raw format: one stack and its count a line)."""
    inside: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _space, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        total += int(count)
        frames = {re.sub(r":\d+\)$", ")", frame.split("site-packages/")[-1]) for frame in stack.split(";")}
        for frame in frames:
            inside[frame] += int(count)
    found = [(100 * n / total, frame) for frame, n in inside.most_common() if everything or MAIN.search(frame)]
    return total, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page")
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(ROOT / ".venv" / "bin" / "py-spy")
    if not Path(spy).exists() or not shutil.which("wrk"):
        raise SystemExit("needs py-spy (.venv/bin/pip install py-spy) and wrk (apt-get install wrk)")
    os.environ.update(pages_load.production_environment(args.port))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    page = {found.key: found for found in pages_load.pages()}[args.page]
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "thidua.wsgi:application", "--bind", f"127.0.0.1:{args.port}"]
    server = subprocess.Popen([*command, "--workers", "1", "--log-level", "warning", "--preload"], cwd=ROOT)
    try:
        pages_load.wait_for(args.port)
        pages_load.warm_up(args.port, page, 1)
        worker = subprocess.check_output(["pgrep", "-P", str(server.pid)], text=True).split()[0]
        with tempfile.NamedTemporaryFile(suffix=".txt") as out:
            sampler = subprocess.Popen(
                [spy, "record", "-p", worker, "-d", str(args.seconds), "-r", str(args.rate), "-f", "raw"]
                + ["-o", out.name, "--nonblocking"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(0.5)
            url = f"http://127.0.0.1:{args.port}{page.path}"
            headers = ["-H", f"Cookie: {page.cookie}", "-H", "X-Forwarded-Proto: https"]
            load = subprocess.run(
                ["wrk", "-t1", "-c1", f"-d{args.seconds}s", *headers, url], capture_output=True, text=True
            )
            sampler.wait()
            total, found = shares(Path(out.name).read_text(encoding="utf-8", errors="replace"), args.all)
    finally:
        server.terminate()
        server.wait(timeout=30)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", load.stdout)
    print(f"{page.label}: {rate.group(1) if rate else '?'} req/s on one worker, {total} samples")
    for share, frame in found[:60]:
        print(f"{share:5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
