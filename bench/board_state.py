"""Times the live board's state endpoint (pacts.views.board.board_state), which every open board polls about
once a second: the unchanged poll (If-None-Match → 304, no body) and the changed one (200 with the state), for
pacts of 10, 30 and 60 signatory units, half of them signed.

Usage, against a PostgreSQL benchmark database (the script migrates it and adds its small regions, pacts and
signatures, which are evidence and stay):

    createdb -h 127.0.0.1 -U postgres thidua_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/board_state.py

Options: --repeat N (timed requests per case, default 30), --no-migrate, --allow-sqlite.

Django's test Client (the view, its queries, no network), as the other page benchmarks, with the database
connection kept between requests as production keeps it (CONN_MAX_AGE 60 with DEBUG off): without that, each
request's time is mostly a new connection's. What it says about the
design: a sync gunicorn worker answers an unchanged poll in about the time printed, so one worker keeps up
with hundreds of boards polling each second, where server-sent events would hold a worker per open board.
Needs the development requirements (factory_boy).
"""

import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
warnings.filterwarnings("ignore", message="No directory at")

from bench import _timing as timing  # noqa: E402 (after the path is set)

SIZES = (10, 30, 60)
WIDTH = 34


def _board(units: int, prefix: str):
    from pacts import board, services
    from pacts.models import Pact
    from tests.pacts.factories import make_world

    world = make_world(units, prefix=prefix)
    for n in range(0, units, 2):
        pact = Pact.objects.get(pk=world.pact.pk)
        services.pact_sign(
            pact=pact, unit=world.units[n], user=world.leaders[n], consent=True, content_hash=pact.content_hash
        )
    return board.board_link_create(pact=world.pact, hours=4, actor=world.officer)


def _time(client, url: str, repeat: int, **headers) -> tuple[int, float, float, int]:
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url, **headers)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return response.status_code, times[len(times) // 2], times[int(len(times) * 0.95) - 1], len(executed)


def main() -> None:
    parser = timing.argument_parser(__doc__.splitlines()[0])
    args = parser.parse_args()
    import django

    django.setup()
    if not timing.prepare_database(args):
        return
    from django.conf import settings
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.test import Client
    from django.urls import reverse

    # Production keeps its connections (CONN_MAX_AGE); DEBUG's default closes one after every request.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 60
    request_finished.disconnect(close_old_connections)

    client = Client()
    stamp = int(time.time())
    print(f"{'case':<{WIDTH}} status  queries  median ms  p95 ms  bytes")
    for size in SIZES:
        link = _board(size, prefix=f"bs{stamp}-{size}-")
        url = reverse("pacts:board_state", args=[link.token])
        first = client.get(url)
        etag = first["ETag"]
        for label, headers in (("changed (200)", {}), ("unchanged (304)", {"HTTP_IF_NONE_MATCH": etag})):
            status, median, p95, queries = _time(client, url, args.repeat, **headers)
            size_bytes = len(client.get(url, **headers).content)
            name = f"{size} units, {label}"
            print(f"{name:<{WIDTH}} {status:>6}  {queries:>7}  {median:>9.2f}  {p95:>6.2f}  {size_bytes:>5}")


if __name__ == "__main__":
    main()
