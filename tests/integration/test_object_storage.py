"""Many web nodes, one object store: a PDF a worker rendered downloads, whole, from two other web nodes.

A real S3 API server (moto's server mode) runs in the test. A pdf worker and two web processes
(`manage.py runserver`) each get a local MEDIA_ROOT of their own, so nothing can pass through a shared
disk: the worker writes the signed PDF into the bucket, and both web nodes stream it from there to a
ministry user whose session they read from the shared database, after their own permission check.
"""

import hashlib
import io
import os
import socket
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
import requests
from django.urls import reverse

from pacts import pdf_jobs
from pacts.models import PdfJob
from tests.conftest import require
from tests.integration.test_pdf_worker import _executed_pact, _wait_for
from tests.workers import database_url, stop, worker_command

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BUCKET = "thidua-test-files"
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_endpoint():
    """A real S3 API on a free port, with the portal's bucket created as an operator would."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test"
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def node_env(settings, s3_endpoint, tmp_path, monkeypatch):
    """The environment every process of the test starts with: the test database, Redis, the bucket, one
    SECRET_KEY (a session made here is read there); each process adds a MEDIA_ROOT of its own."""
    require(bool(settings.REDIS_URL), "REDIS_URL is not set: no broker for a real worker")
    require(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "the worker and web processes must share the test database: PostgreSQL only",
    )
    endpoint, _ = s3_endpoint
    s3 = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_S3_REGION_NAME": REGION,
    }
    for name, value in s3.items():
        monkeypatch.setenv(name, value)
    # This process (where the pact is executed) uses the bucket too, and a disk of its own.
    settings.MEDIA_ROOT = tmp_path / "media-test"
    settings.PDF_SIGNING_P12 = ""
    for name, value in s3.items():
        setattr(settings, name, value)
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,
        "PDF_SIGNING_P12": "",
        "LOG_LEVEL": "WARNING",
        **s3,
    }


@pytest.fixture
def processes(settings):
    started: list[tuple[subprocess.Popen, Path]] = []

    def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
        with log.open("w") as output:
            process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        stop(process)
        print(f"--- {log.name}\n{log.read_text()}")


def _start_web(start, env: dict[str, str], media: Path, log: Path) -> str:
    port = _free_port()
    command = [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"]
    process = start(command, {**env, "MEDIA_ROOT": str(media)}, log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return base
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the web process on {base} never answered:\n{log.read_text()}")


def _session_cookie(client, user) -> dict[str, str]:
    """A session made by this process in the shared database, which every web node reads."""
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def test_a_pdf_rendered_by_a_worker_downloads_whole_from_two_other_web_nodes(
    node_env, s3_endpoint, processes, tmp_path, monkeypatch, client, ministry_user
):
    queue = f"pdf-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(pdf_jobs, "PDF_QUEUE", queue)
    disks = {name: tmp_path / f"media-{name}" for name in ("worker", "web1", "web2")}
    for disk in disks.values():
        disk.mkdir()
    processes(worker_command(queue), {**node_env, "MEDIA_ROOT": str(disks["worker"])}, tmp_path / "worker.log")
    webs = [_start_web(processes, node_env, disks[name], tmp_path / f"{name}.log") for name in ("web1", "web2")]

    pact = _executed_pact(2, prefix="s3")
    job = _wait_for(PdfJob.objects.get(pact=pact).pk, {PdfJob.Status.READY, PdfJob.Status.FAILED}, timeout=90)
    assert job.status == PdfJob.Status.READY, job.last_error

    _, s3 = s3_endpoint
    stored = s3.get_object(Bucket=BUCKET, Key=job.pdf.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == job.pdf_sha256
    grants = s3.get_object_acl(Bucket=BUCKET, Key=job.pdf.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner's only: not public
    cookie = _session_cookie(client, ministry_user)
    path = reverse("pacts:pdf_download", args=[pact.pk, job.version])
    for base in webs:
        response = requests.get(base + path, cookies=cookie, timeout=30)
        assert response.status_code == 200, response.text[:500]
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert hashlib.sha256(response.content).hexdigest() == job.pdf_sha256
        # Without a session the node sends to the login page, never the file.
        anonymous = requests.get(base + path, timeout=30, allow_redirects=False)
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    # The yearly archive, built by the second node from the bucket, holds the same bytes.
    archive = requests.get(
        webs[1] + reverse("pacts:pdf_archive", args=[pact.campaign.year]), cookies=cookie, timeout=60
    )
    assert archive.status_code == 200, archive.text[:500]
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        (pdf_name,) = [name for name in zipped.namelist() if name.endswith(".pdf")]
        assert hashlib.sha256(zipped.read(pdf_name)).hexdigest() == job.pdf_sha256
    # No disk served as the way between the nodes: every file is in the bucket.
    assert [path for disk in disks.values() for path in disk.rglob("*") if path.is_file()] == []
