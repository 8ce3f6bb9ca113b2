"""Last signature → PDF ready, with a real pdf worker on Redis (issue 16's figure): for each size, pacts are
built (tests.pacts.factories.make_world, Decree 30 format), every unit but one signs through pacts.services
(each signature queues the open pact's pre-render to the worker, at most one waiting), the worker is left to
finish, then the last unit signs. The figure is the executed pact's PDF job from its creation (inside the
signature's transaction, so a little before its commit) to its completion (``finished_at``, written by the
worker), both from the database's clock.

Usage, against PostgreSQL and a Redis database of its own (the script migrates and builds its pacts; they
stay in the database: drop it to start again). Run nothing else on that Redis database meanwhile: the test
suite clears the cache there (FLUSHDB), which drops the broker's waiting messages too.

    createdb -h 127.0.0.1 -U postgres thidua_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python bench/pdf_last_signature.py --sizes 26,200,672 --runs 10

The worker is started by the script as production starts it (prefork, one child, recycled by memory) and
started again before the first run of each size: that run meets a child that has just started (warmed by
thidua/celery.py, as every child is), the others a child that has rendered before. Options: --sizes, --runs,
--max-memory KiB (the worker's --max-memory-per-child, default 400000), --no-migrate. It prints each run and,
per size, the median and p95 (linear interpolation) of the runs, the pages laid out by the final render (from
the worker's log) and the worker child's RSS after the last run.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
warnings.filterwarnings("ignore", message="No directory at")

PREFIX = "bench-last-"
WORKER = "pdf-bench@%h"
LAID_OUT = re.compile(r"PDF of pact (\d+): (\d+) pages laid out, (\d+) reused, (\d+) parts, ([0-9.]+) s")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="26,200,672")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--max-memory", type=int, default=400_000)
    parser.add_argument("--no-migrate", action="store_true")
    return parser.parse_args()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * share
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


class Worker:
    def __init__(self, max_memory: int, log: Path) -> None:
        command = [str(Path(sys.executable).with_name("celery")), "-A", "thidua", "worker", "-Q", "pdf"]
        command += ["-n", WORKER, "--pool", "prefork", "--concurrency", "1", f"--max-memory-per-child={max_memory}"]
        command += ["-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - our own worker command
            command, cwd=ROOT, env=os.environ.copy(), stdout=log.open("ab"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 90
        while "warmed up" not in log.read_text(errors="replace"):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"the pdf worker did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)

    def child_rss_mib(self) -> float:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        for line in Path(f"/proc/{children[0]}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _idle(pact_id: int, timeout: float = 600) -> None:
    """Waits until no pre-render of the pact is waiting and the worker runs nothing."""
    from django.core.cache import cache

    from pacts.pdf_jobs import PRERENDER_QUEUED
    from thidua.celery import app

    deadline = time.monotonic() + timeout
    name = WORKER.replace("%h", os.uname().nodename)
    while time.monotonic() < deadline:
        if cache.get(PRERENDER_QUEUED.format(pact_id)) is None:
            inspect = app.control.inspect(destination=[name], timeout=2)
            active, reserved = inspect.active() or {}, inspect.reserved() or {}
            # No reply (a busy machine) is not an idle worker: ask again.
            if name in active and name in reserved and not active[name] and not reserved[name]:
                return
        time.sleep(0.3)
    raise RuntimeError("the worker did not finish the pre-render")


def _one_run(size: int, run: int, worker: Worker) -> tuple[float, int]:
    from django.test import override_settings

    from pacts import services
    from pacts.models import Pact, PdfJob
    from tests.pacts.factories import make_world
    from thidua.celery import app

    prefix = f"{PREFIX}{size}-{run}-{int(time.time())}-"
    app.conf.task_always_eager = True  # the opening e-mails go to the in-memory outbox, not to a broker
    with (
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
    ):
        world = make_world(size, prefix=prefix)
    app.conf.task_always_eager = False
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        pairs = list(zip(world.units, world.leaders, strict=True))
        for unit, leader in pairs[:-1]:
            pact = Pact.objects.get(pk=world.pact.pk)
            services.pact_sign(pact=pact, unit=unit, user=leader, consent=True, content_hash=pact.content_hash)
        _idle(world.pact.pk)
        unit, leader = pairs[-1]
        pact = Pact.objects.get(pk=world.pact.pk)
        services.pact_sign(pact=pact, unit=unit, user=leader, consent=True, content_hash=pact.content_hash)
    job = PdfJob.objects.get(pact=world.pact, draft=False)
    deadline = time.monotonic() + 300
    while job.status not in (PdfJob.Status.READY, PdfJob.Status.FAILED):
        if time.monotonic() > deadline:
            raise RuntimeError(f"job {job.pk} not done")
        time.sleep(0.05)
        job.refresh_from_db()
    if job.status != PdfJob.Status.READY:
        raise RuntimeError(f"job {job.pk} failed: {job.last_error}")
    return (job.finished_at - job.queued_at).total_seconds(), world.pact.pk


def main() -> None:
    args = _arguments()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql") or not settings.REDIS_URL:
        sys.exit("Set DATABASE_URL to PostgreSQL and REDIS_URL to a Redis database: a real worker reads both.")
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    log = Path(tempfile.mkdtemp(prefix="pdf-last-")) / "worker.log"
    print(f"worker log: {log}", flush=True)
    summary = []
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        worker = Worker(args.max_memory, log)  # a new worker, a child just started, for the first run
        times = []
        try:
            for run in range(1, args.runs + 1):
                seconds, pact_id = _one_run(size, run, worker)
                times.append(seconds)
                match = [m for m in LAID_OUT.finditer(log.read_text(errors="replace")) if int(m.group(1)) == pact_id]
                detail = f"{match[-1].group(2)} laid out, {match[-1].group(3)} reused" if match else ""
                print(f"{size:>4} units  run {run:>2}: {seconds:6.2f} s  ({detail})", flush=True)
            rss = worker.child_rss_mib()
        finally:
            worker.stop()
        summary.append((size, statistics.median(times), _percentile(times, 0.95), max(times), rss))
    print(f"\n{'units':>5} {'median s':>9} {'p95 s':>7} {'max s':>7} {'child RSS MiB':>14}")
    for size, median, p95, worst, rss in summary:
        print(f"{size:>5} {median:>9.2f} {p95:>7.2f} {worst:>7.2f} {rss:>14.0f}")


if __name__ == "__main__":
    main()
