"""The outbox's life cycle: written with the change, sent after commit, claimed once, retried, swept."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from kombu.exceptions import OperationalError

from outbox import services
from outbox.models import Email
from outbox.signals import email_sent
from outbox.tasks import send_email, sweep_emails

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def _enqueue(**overrides) -> Email:
    fields = {
        "to": "lanhdao@example.vn",
        "subject": "Giao ước đã mở ký",
        "body": "Kính gửi đồng chí,\nmời ký.",
        "kind": "tests.opened",
        "reference": {"pact": 7},
    }
    return services.email_enqueue(**(fields | overrides))


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis. Connection refused.")

    monkeypatch.setattr(send_email, "apply_async", refuse)


@pytest.fixture
def heard():
    """The e-mails announced by ``email_sent``."""
    emails = []

    def listen(sender, email, **kwargs):
        emails.append(email)

    email_sent.connect(listen, dispatch_uid="test-listener")
    yield emails
    email_sent.disconnect(dispatch_uid="test-listener")


def test_an_email_is_written_pending_and_queued_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _enqueue()
    assert len(callbacks) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.PENDING, 0)
    assert mail.outbox == []


def test_after_commit_it_is_sent_marked_and_announced(django_capture_on_commit_callbacks, heard):
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Email.Status.SENT, 1, "")
    assert email.sent_at is not None
    (message,) = mail.outbox
    assert (message.to, message.subject, message.body) == (["lanhdao@example.vn"], email.subject, email.body)
    assert [e.pk for e in heard] == [email.pk]
    assert heard[0].status == Email.Status.SENT


def test_a_second_run_of_the_task_sends_nothing(django_capture_on_commit_callbacks, heard):
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    assert send_email(email.pk) == "skipped"
    assert len(mail.outbox) == 1
    assert len(heard) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_an_email_claimed_by_another_run_is_not_sent_again(broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    assert services.email_claim(email.pk) is not None
    assert send_email(email.pk) == "skipped"
    assert mail.outbox == []


def test_an_email_not_yet_due_is_left_for_its_time(broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    Email.objects.filter(pk=email.pk).update(due_at=timezone.now() + timedelta(minutes=5))
    assert send_email(email.pk) == "skipped"
    assert Email.objects.get(pk=email.pk).status == Email.Status.PENDING


def test_a_line_break_in_the_subject_is_folded_so_the_mail_can_be_sent():
    assert _enqueue(subject="Giao ước\nđã mở ký ").subject == "Giao ước đã mở ký"


def test_a_failed_send_waits_and_is_retried_with_a_growing_delay(settings, django_capture_on_commit_callbacks, heard):
    settings.EMAIL_BACKEND = "tests.outbox.test_services.RefusingBackend"
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.PENDING, 1)
    assert "mail server down" in email.last_error
    assert before + timedelta(seconds=30) <= email.due_at <= timezone.now() + timedelta(seconds=30)
    # The retry's message ran at once (tasks are eager here): too early, it sent nothing.
    Email.objects.filter(pk=email.pk).update(due_at=timezone.now())
    send_email(email.pk)
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.due_at >= timezone.now() + timedelta(seconds=55)
    assert heard == []


def test_the_backoff_doubles_up_to_an_hour():
    assert [services.retry_countdown(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert services.retry_countdown(20) == 3600


def test_an_email_is_failed_once_its_attempts_are_spent(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.outbox.test_services.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    Email.objects.filter(pk=email.pk).update(due_at=timezone.now())
    assert send_email(email.pk) == Email.Status.FAILED
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.FAILED, 2)
    assert send_email(email.pk) == "skipped"


def test_with_the_broker_down_the_email_waits_pending_and_nothing_is_raised(
    broker_down, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.PENDING, 0)
    assert "not queued; the sweep will queue it again" in caplog.text


def test_with_the_broker_down_a_batch_tries_the_broker_once_and_every_email_waits(
    monkeypatch, django_capture_on_commit_callbacks
):
    tries = []

    def refuse(*args, **kwargs):
        tries.append(args)
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(send_email, "apply_async", refuse)
    messages = [services.Message(f"lanhdao{n}@example.vn", "Giao ước", "Mời ký", "tests.opened") for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        services.emails_enqueue(messages)
    assert len(tries) == 1
    assert list(Email.objects.values_list("status", flat=True)) == [Email.Status.PENDING] * 5


def test_a_batch_is_written_in_one_go_and_sent_after_commit(django_assert_num_queries):
    messages = [services.Message(f"lanhdao{n}@example.vn", "Giao ước", "Mời ký", "tests.opened") for n in range(5)]
    with django_assert_num_queries(3):  # savepoint, insert, release
        services.emails_enqueue(messages)
    assert Email.objects.count() == 5


def test_the_sweep_sends_an_overdue_email_once_the_broker_is_back(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused.")

    with monkeypatch.context() as outage:
        outage.setattr(send_email, "apply_async", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            late, recent = _enqueue(), _enqueue(to="moi@example.vn")
    overdue = timezone.now() - timedelta(minutes=settings.OUTBOX_SWEEP_MINUTES + 1)
    Email.objects.filter(pk=late.pk).update(due_at=overdue)
    assert sweep_emails() == {"requeued": 1, "recovered": 0, "failed": 0}
    assert Email.objects.get(pk=late.pk).status == Email.Status.SENT
    assert Email.objects.get(pk=recent.pk).status == Email.Status.PENDING  # its own message may still come
    assert [m.to for m in mail.outbox] == [["lanhdao@example.vn"]]


def test_two_sweeps_at_once_queue_an_overdue_email_once(broker_down, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    overdue = timezone.now() - timedelta(minutes=settings.OUTBOX_SWEEP_MINUTES + 1)
    Email.objects.filter(pk=email.pk).update(due_at=overdue)
    now = timezone.now()
    services.emails_sweep(now=now)
    assert Email.objects.get(pk=email.pk).due_at == now
    assert services._requeue_overdue(now) == 0


def test_the_sweep_gives_back_an_email_whose_worker_died_while_sending(broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    services.email_claim(email.pk)
    later = timezone.now() + timedelta(seconds=services.SEND_TIME_LIMIT) + services.STUCK_MARGIN + timedelta(seconds=1)
    assert services.emails_sweep(now=timezone.now())["recovered"] == 0  # still within its time limit
    assert services.emails_sweep(now=later)["recovered"] == 1
    email.refresh_from_db()
    assert (email.status, email.last_error) == (Email.Status.PENDING, services.WORKER_LOST)


def test_the_sweep_fails_a_stuck_email_whose_attempts_are_spent(
    broker_down, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    services.email_claim(email.pk)
    later = timezone.now() + timedelta(seconds=services.SEND_TIME_LIMIT) + services.STUCK_MARGIN + timedelta(seconds=1)
    assert services.emails_sweep(now=later)["failed"] == 1
    assert Email.objects.get(pk=email.pk).status == Email.Status.FAILED


def test_a_listener_that_fails_leaves_the_email_to_be_retried(django_capture_on_commit_callbacks):
    def broken(sender, email, **kwargs):
        raise RuntimeError("listener broke")

    email_sent.connect(broken, dispatch_uid="broken-listener")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            email = _enqueue()
    finally:
        email_sent.disconnect(dispatch_uid="broken-listener")
    email.refresh_from_db()
    assert (email.status, email.sent_at) == (Email.Status.PENDING, None)
    assert "listener broke" in email.last_error


def test_a_secret_body_is_erased_once_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue(secret=True, body="https://portal/reset/abc/")
    email.refresh_from_db()
    assert (email.status, email.body) == (Email.Status.SENT, "")
    assert mail.outbox[0].body == "https://portal/reset/abc/"


def test_the_database_refuses_an_unknown_status():
    from django.db import IntegrityError, transaction

    email = _enqueue()
    with pytest.raises(IntegrityError), transaction.atomic():
        Email.objects.filter(pk=email.pk).update(status="lost")
