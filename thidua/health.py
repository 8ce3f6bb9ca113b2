"""Readiness of a web node: each dependency checked on its own, and which of them the node needs to serve pages.

The web node needs its database, its file storage (PDFs are downloaded and evidence uploaded through it)
and, in production, the static manifest (without it every page fails). It does not need the broker: a
message that cannot be queued waits in its outbox row until the sweep sends it, so a broker outage is
reported as "degraded" and the node stays in service.
"""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import connection

OK = "ok"
SKIPPED = "skipped"
# What every page links to: if the manifest does not name it, no page renders.
BOOTSTRAP_CSS = "bootstrap/css/bootstrap.min.css"
BROKER_TIMEOUT_SECONDS = 1
PROBE_DIRECTORY = "readyz"


def database_check() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def broker_check() -> str:
    """Redis answers a ping within a second; skipped when there is no broker (tasks run in-process)."""
    if not settings.REDIS_URL:
        return SKIPPED
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=BROKER_TIMEOUT_SECONDS, socket_timeout=BROKER_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()
    return OK


def storage_check() -> str:
    """The default storage writes, reads back and deletes a small probe file.

    A round trip through the storage, rather than asking whether MEDIA_ROOT is writable, tests the very
    path a PDF or an evidence file takes: a missing or read-only volume, a full disk, wrong ownership,
    and any other storage backend configured later. Each probe has a name of its own, so replicas sharing
    the volume never collide."""
    content = uuid.uuid4().hex.encode()
    name = default_storage.save(f"{PROBE_DIRECTORY}/{uuid.uuid4().hex}.probe", ContentFile(content))
    try:
        with default_storage.open(name, "rb") as probe:
            if probe.read() != content:
                raise OSError("the probe file read back differs from what was written")
    finally:
        default_storage.delete(name)
    return OK


def static_check() -> str:
    """In production (manifest storage), the manifest exists, names Bootstrap's CSS, and that file is there.

    The map this process loaded at start is checked, not only the file: a process that started before
    collectstatic ran has an empty map and fails every page until it restarts."""
    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return SKIPPED
    if not storage.exists(storage.manifest_name):
        raise FileNotFoundError(f"no {storage.manifest_name}: run collectstatic")
    hashed = storage.hashed_files.get(BOOTSTRAP_CSS)
    if not hashed:
        raise LookupError(f"the manifest does not name {BOOTSTRAP_CSS}")
    if not storage.exists(hashed):
        raise FileNotFoundError(f"{hashed} is missing")
    return OK


CHECKS: dict[str, Callable[[], str]] = {
    "database": database_check,
    "broker": broker_check,
    "storage": storage_check,
    "static": static_check,
}
# The dependencies without which this node cannot serve a page; the others only degrade it.
REQUIRED = frozenset({"database", "storage", "static"})


def readiness() -> tuple[str, dict[str, str]]:
    """Runs every check; returns the node's status ("ok", "degraded" or "error") and each check's result."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure of a dependency is reported, never raised
            results[name] = f"error: {exc.__class__.__name__}"
    failed = {name for name, result in results.items() if result not in (OK, SKIPPED)}
    if failed & REQUIRED:
        return "error", results
    return ("degraded" if failed else "ok"), results
