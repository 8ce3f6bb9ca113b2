"""E-mails survive a broker outage: with a real Redis stopped, opening a pact, sending reminders and asking
for a password reset answer at once, their e-mails wait in the outbox; Redis started again, the sweep
queues them and a real worker on the ``default`` queue sends every one.

The test runs a Redis of its own (``redis-server`` on a free port, no persistence) so that stopping it
disturbs nobody, and a worker started as production starts its default worker, on that Redis, against the
test database (committed for real: a transactional test), writing its e-mails as files in a temporary
folder (EMAIL_FILE_PATH) that this process reads.
"""

import os
import shutil
import socket
import subprocess
import time
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from outbox.models import Email
from outbox.services import emails_sweep
from outbox.tasks import send_email
from pacts.models import AuditEvent, Pact
from tests.conftest import require
from tests.pacts.factories import make_world
from tests.workers import database_url, stop, worker_command
from thidua.celery import app

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Generous guards only: a user must get an answer within about 2 s; a test does not time it more tightly.
ANSWER_GUARD_SECONDS = 5


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what}: not after {timeout} s")


class Redis:
    """A redis-server of the test's own, which it stops and starts again on the same port."""

    def __init__(self, port: int, log: Path) -> None:
        self.port, self.log, self.process = port, log, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        server = shutil.which("redis-server")
        command = [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with self.log.open("a") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        _wait_until(self.answers, 10, "redis-server answering")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        assert not self.answers()

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def redis(tmp_path):
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = Redis(_free_port(), tmp_path / "redis.log")
    server.start()
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.process.terminate()
            server.process.wait(timeout=10)


@pytest.fixture
def broker(redis):
    """This process publishes to the test's Redis: its connection pools are made again for it."""
    previous = app.conf.broker_url
    app.conf.broker_url = redis.url
    app.conf.task_always_eager = False  # restored by the autouse fixture in tests/conftest.py
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield redis
    finally:
        app.pool.force_close_all()
        app.conf.broker_url = previous
        app._pool, app.amqp._producer_pool = None, None


@pytest.fixture
def mail_folder(tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def default_worker(broker, mail_folder, tmp_path):
    require(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "the worker process must share the test database: PostgreSQL only",
    )
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker.url,
        "EMAIL_URL": "",
        "EMAIL_FILE_PATH": str(mail_folder),
        "LOG_LEVEL": "WARNING",
    }
    command = worker_command("default", level="info", name="outbox-test@%h")
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until(lambda: " ready." in log.read_text(), 60, "the worker ready")
        yield process
    finally:
        stop(process)
        print(log.read_text())


def _timed_post(client, address: str, data: dict) -> float:
    start = time.monotonic()
    response = client.post(address, data)
    elapsed = time.monotonic() - start
    assert response.status_code == 302, response.content.decode()[:500]
    return elapsed


def _sent_files(folder: Path) -> list[str]:
    """The recipient of every e-mail the worker wrote. Django's file backend appends each message to a file
    named by the second and its own id, with a line of dashes after it: two may share a file."""
    recipients = []
    for path in folder.iterdir():
        for text in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if text.strip():
                recipients.append(message_from_bytes(text)["To"])
    return sorted(recipients)


def test_with_redis_stopped_the_actions_answer_and_every_email_is_sent_once_it_is_back(
    client, broker, default_worker, mail_folder
):
    world = make_world(3, open_pact=False, prefix="outage")
    client.force_login(world.officer)
    deadline = timezone.localtime(timezone.now() + timedelta(days=7)).strftime("%d/%m/%Y %H:%M")

    send_email.apply_async(args=[0])  # the pool now holds a live connection, which the outage breaks
    broker.stop()
    elapsed = {
        "open": _timed_post(client, reverse("pacts:pact_open", args=[world.pact.pk]), {"deadline": deadline}),
        "remind": _timed_post(client, reverse("pacts:pact_remind", args=[world.pact.pk]), {}),
        "reset": _timed_post(client, reverse("accounts:password_reset"), {"email": world.leaders[0].email}),
    }
    print("seconds per answer with Redis stopped:", elapsed)
    assert all(seconds < ANSWER_GUARD_SECONDS for seconds in elapsed.values()), elapsed
    assert Pact.objects.get(pk=world.pact.pk).status == Pact.Status.OPEN
    emails = Email.objects.all()
    assert (
        sorted(emails.values_list("kind", flat=True))
        == ["accounts.password_reset"] + ["pacts.opened"] * 3 + ["pacts.reminder"] * 3
    )
    assert set(emails.values_list("status", flat=True)) == {Email.Status.PENDING}
    assert list(mail_folder.iterdir()) == []

    broker.start()
    # The sweep finds them overdue (as it would OUTBOX_SWEEP_MINUTES later) and queues them again.
    overdue = timezone.now() - timedelta(minutes=settings.OUTBOX_SWEEP_MINUTES, seconds=1)

    def swept() -> bool:
        Email.objects.filter(status=Email.Status.PENDING).update(due_at=overdue)
        emails_sweep()
        return not Email.objects.filter(status=Email.Status.PENDING, due_at__lte=overdue).exists()

    _wait_until(swept, 30, "every e-mail queued by the sweep")
    _wait_until(lambda: not emails.exclude(status=Email.Status.SENT).exists(), 60, "every e-mail sent")

    expected = sorted([world.leaders[0].email] + [leader.email for leader in world.leaders] * 2)
    assert _sent_files(mail_folder) == expected
    assert AuditEvent.objects.filter(pact=world.pact, action="emailed").count() == 6
    assert Email.objects.get(kind="accounts.password_reset").body == ""  # the link no longer kept once sent
