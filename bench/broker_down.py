"""Times "open a pact" and "send reminders" through the test Client while the broker is down.

Usage, against PostgreSQL (the script works in a throwaway test database, "test_<name>", that it creates
and drops; the broker is a Redis URL on a port where nothing listens, unless --broker names another):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/broker_down.py

Options: --repeat N (actions of each kind, default 5), --units N (signatory units per pact, default 3),
--broker URL. For each action it prints the median and the worst time in seconds; every answer must be a
redirect (the change saved, the e-mails left pending in the outbox for the sweep). It also times the last
signature of each pact through the service (it executes the pact and queues the PDF job after commit).
"""

import argparse
import os
import socket
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
warnings.filterwarnings("ignore", message="No directory at")


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--units", type=int, default=3)
    parser.add_argument("--broker", default="")
    args = parser.parse_args()
    # Before Django reads its settings: the broker the web node would use, down.
    os.environ["REDIS_URL"] = args.broker or f"redis://127.0.0.1:{_dead_port()}/0"

    import logging

    import django

    django.setup()
    logging.disable(logging.CRITICAL)  # each refused publish logs a traceback: not what is measured
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        _measure(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _measure(args: argparse.Namespace) -> None:
    from datetime import timedelta

    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from outbox.models import Email
    from pacts.models import Pact, PdfJob
    from tests.pacts.factories import make_world

    print(f"broker: {settings.CELERY_BROKER_URL} (down); {args.units} signatory units per pact")
    timings: dict[str, list[float]] = {"pact_open": [], "pact_remind": [], "pact_sign": []}
    for n in range(args.repeat):
        world = make_world(args.units, open_pact=False, prefix=f"bench{n}-")
        client = Client()
        client.force_login(world.officer)
        deadline = timezone.localtime(timezone.now() + timedelta(days=7)).strftime("%d/%m/%Y %H:%M")
        for name, address, data in (
            ("pact_open", reverse("pacts:pact_open", args=[world.pact.pk]), {"deadline": deadline}),
            ("pact_remind", reverse("pacts:pact_remind", args=[world.pact.pk]), {}),
        ):
            start = time.perf_counter()
            response = client.post(address, data)
            timings[name].append(time.perf_counter() - start)
            if response.status_code != 302:
                raise SystemExit(f"{name} answered {response.status_code}, not a redirect")
        if Pact.objects.get(pk=world.pact.pk).status != Pact.Status.OPEN:
            raise SystemExit("the pact was not opened")
        timings["pact_sign"].append(_sign_all(world))
    pending = Email.objects.filter(status=Email.Status.PENDING).count()
    for name, seconds in timings.items():
        print(f"{name:<12} median {statistics.median(seconds):6.3f} s   worst {max(seconds):6.3f} s")
    print(f"e-mails pending in the outbox for the sweep: {pending} of {Email.objects.count()}")
    waiting = PdfJob.objects.filter(status=PdfJob.Status.PENDING).count()
    print(f"PDF jobs pending for the sweep: {waiting} of {PdfJob.objects.count()}")


def _sign_all(world) -> float:
    """Signs for every unit through the service; returns the time of the last signature, which executes
    the pact and queues its PDF job (pacts.pdf_jobs.queue_render) after commit."""
    from django.db import transaction

    from pacts import services
    from pacts.models import Pact

    for unit, leader in zip(world.units, world.leaders, strict=True):
        pact = Pact.objects.get(pk=world.pact.pk)
        start = time.perf_counter()
        with transaction.atomic():  # the request's own commit, so the job is queued (and refused) in it
            services.pact_sign(pact=pact, unit=unit, user=leader, consent=True, content_hash=pact.content_hash)
        elapsed = time.perf_counter() - start
    if Pact.objects.get(pk=world.pact.pk).status != Pact.Status.EXECUTED:
        raise SystemExit("the pact was not executed")
    return elapsed


if __name__ == "__main__":
    main()
