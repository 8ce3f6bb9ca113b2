"""Times the pact PDF renderer (pacts.pdf.render_pact_pdf_bytes) and its peak memory, by number of signatory units.

Usage, against PostgreSQL (the script migrates the database and builds what is missing: for each size, one pact
executed through pacts.services, in a region of its own whose every unit's head signs):

    createdb -h 127.0.0.1 -U postgres thidua_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/pdf_render.py
    DATABASE_URL=... .venv/bin/python bench/pdf_render.py --sizes 30,80,200 --repeat 10 --out /tmp/pdfs

Options: --sizes N,N,... (signatory units, default 13,26,30,60,80,200), --repeat N (timed renders per size,
default 5), --out DIR (keep one PDF per size there), --no-migrate, --allow-sqlite (it refuses SQLite otherwise).
Building the 200-unit pact takes about a minute the first time; the pacts stay in the benchmark database
(signatures are evidence and cannot be deleted: drop the database to start again).

Each size is rendered in a child process of its own, so its peak RSS (resource.getrusage ru_maxrss) is that
size's alone. For each size it prints the pages and size of the PDF; the first render of the process (fonts
are loaded then), the median and max wall time of the --repeat renders after it and their median CPU time
(steadier than wall time on a shared machine); the RSS once Django is loaded, the
peak after the first render and the peak after the last (if the last keeps climbing with --repeat, memory
leaks across renders). The renders run in one process, as a Celery worker runs them. The throughput of the
real worker is measured by the PDF pipeline's own script, not here.
"""

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, once DEBUG is off without collectstatic

PREFIX = "bench-pdf-"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="13,26,30,60,80,200", help="signatory units, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="timed renders per size after the first (default 5)")
    parser.add_argument("--out", type=Path, help="write one PDF per size into this folder")
    parser.add_argument("--no-migrate", action="store_true", help="do not run migrate first")
    parser.add_argument("--allow-sqlite", action="store_true", help="run even on SQLite")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)  # a pact id: render it (internal)
    return parser.parse_args()


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _executed_pact(units: int):
    """The executed benchmark pact of that many units, built through the services when it is missing."""
    from unittest import mock

    from django.test import override_settings

    from pacts.models import Pact
    from thidua.celery import app

    region_name = f"Khu vực thi đua thử {PREFIX}{units}-{units}"
    pact = Pact.objects.filter(campaign__region__name=region_name, status=Pact.Status.EXECUTED).first()
    if pact is not None:
        return pact
    from pacts import services
    from tests.pacts.factories import make_world

    print(f"building an executed pact of {units} units …", flush=True)
    app.conf.task_always_eager = True  # the opening e-mails go to the in-memory outbox below, not to a broker
    with (
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
        mock.patch("pacts.pdf_jobs.queue_render"),  # measure the renderer alone, not the worker's job
    ):
        world = make_world(units, prefix=f"{PREFIX}{units}-")
        for unit, leader in zip(world.units, world.leaders, strict=True):
            pact = Pact.objects.get(pk=world.pact.pk)
            services.pact_sign(pact=pact, unit=unit, user=leader, consent=True, content_hash=pact.content_hash)
    return Pact.objects.get(pk=world.pact.pk)


def _child(pact_id: int, repeat: int, out: Path | None) -> None:
    """Renders one pact 1 + repeat times in this process and prints the figures as one JSON line."""
    import django

    django.setup()
    from pypdf import PdfReader

    from pacts.models import Pact
    from pacts.pdf import render_pact_pdf_bytes

    pact = Pact.objects.get(pk=pact_id)
    loaded = _rss_mib()
    start = time.perf_counter()
    data = render_pact_pdf_bytes(pact)
    first = time.perf_counter() - start
    after_first = _rss_mib()
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        render_pact_pdf_bytes(pact)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"pact-{pact.signatories.count()}.pdf").write_bytes(data)
    figures = {
        "units": pact.signatories.count(),
        "pages": len(PdfReader(io.BytesIO(data)).pages),
        "kib": len(data) / 1024,
        "first": first,
        "median": statistics.median(times) if times else first,
        "max": max(times) if times else first,
        "cpu": statistics.median(cpu) if cpu else first,
        "rss_loaded": loaded,
        "rss_first": after_first,
        "rss_last": _rss_mib(),
    }
    print(json.dumps(figures))


def main() -> None:
    args = _arguments()
    if args.child is not None:
        _child(args.child, args.repeat, args.out)
        return
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and not args.allow_sqlite:
        sys.exit("Set DATABASE_URL to a PostgreSQL benchmark database (or pass --allow-sqlite).")
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    pacts = {size: _executed_pact(size).pk for size in sizes}

    print(
        f"{'units':>5} {'pages':>5} {'KiB':>6} {'first s':>8} {'median s':>8} {'max s':>6} {'cpu s':>6}"
        "   RSS MiB loaded/first/last"
    )
    for size in sizes:
        command = [sys.executable, __file__, "--child", str(pacts[size]), "--repeat", str(args.repeat)]
        if args.out is not None:
            command += ["--out", str(args.out)]
        result = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ)
        f = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{f['units']:>5} {f['pages']:>5} {f['kib']:>6.0f} {f['first']:>8.2f} {f['median']:>8.2f} {f['max']:>6.2f}"
            f" {f['cpu']:>6.2f}   {f['rss_loaded']:.0f} / {f['rss_first']:.0f} / {f['rss_last']:.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
