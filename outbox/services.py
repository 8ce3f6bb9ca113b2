"""The outbox: e-mails written as rows in the transaction that causes them, queued after commit on the
``default`` queue, claimed by a worker with a compare-and-set, retried with backoff, and swept.

An e-mail's life: pending → sending (claimed once due: ``attempts`` + 1) → sent, with ``email_sent``
announced in the transaction that marks it; or back to pending with ``last_error`` and ``due_at`` pushed
back (exponential backoff), and failed once OUTBOX_MAX_ATTEMPTS are spent. Queueing never raises: with
the broker down the row stays pending and the sweep (beat, every minute) queues it again once it is
OUTBOX_SWEEP_MINUTES overdue; the sweep also gives back rows left "sending" by a worker that died.
Delivery is at least once: a worker that dies between the mail server's answer and the mark sends that
e-mail again; none is lost without a trace (one that cannot be sent ends failed, with its reason).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Email
from .signals import email_sent

logger = logging.getLogger(__name__)

ERROR_LENGTH = 2000
# The send task's hard time limit (seconds): SMTP has its own EMAIL_TIMEOUT per operation, well below it.
SEND_TIME_LIMIT = 120
# Past the time limit and this margin, an e-mail still "sending" lost its worker.
STUCK_MARGIN = timedelta(minutes=1)
# A retry's message may arrive a little before its due time (clocks of web and worker nodes).
CLOCK_SLACK = timedelta(seconds=5)
WORKER_LOST = "WorkerLostError: the worker stopped while sending"
# The task is sent by name: outbox.tasks wraps these services, so importing it here would close a circle.
SEND_TASK = "outbox.tasks.send_email"


# ---------------------------------------------------------------------------------------------
# Writing and queueing
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One e-mail to write. ``secret`` marks a body holding a one-time link: hidden in the admin, erased once sent."""

    to: str
    subject: str
    body: str
    kind: str
    reference: dict = field(default_factory=dict)
    secret: bool = False


def emails_enqueue(messages: Iterable[Message]) -> list[Email]:
    """Writes pending e-mails (call it inside the transaction of the change that causes them) and queues
    them after commit."""
    with transaction.atomic():
        emails = Email.objects.bulk_create(
            Email(
                to=message.to,
                # A header cannot hold a line break: Django would refuse to send it, on every attempt.
                subject=" ".join(message.subject.split()),
                body=message.body,
                kind=message.kind,
                reference=message.reference,
                secret=message.secret,
            )
            for message in messages
        )
        if emails:
            ids = [email.pk for email in emails]
            transaction.on_commit(lambda: queue_sends(ids))
    return emails


def email_enqueue(*, to: str, subject: str, body: str, kind: str, reference=None, secret: bool = False) -> Email:
    """Writes one pending e-mail, as emails_enqueue does."""
    (email,) = emails_enqueue([Message(to, subject, body, kind, reference or {}, secret)])
    return email


def queue_sends(email_ids: list[int]) -> int:
    """Queues the e-mails in turn; after the first the broker refuses, the others are left to the sweep
    too, so a request waits for one failed attempt, not one per e-mail."""
    for queued, email_id in enumerate(email_ids):
        if not queue_send(email_id):
            if len(email_ids) > queued + 1:
                logger.warning("%s more e-mails not queued; the sweep will queue them", len(email_ids) - queued - 1)
            return queued
    return len(email_ids)


def queue_send(email_id: int, *, countdown: int | None = None) -> bool:
    """Sends the e-mail to the worker. A broker that is down loses nothing: the row stays pending and the
    sweep queues it again, so the error is logged, never raised to the person whose action caused it."""
    try:
        current_app.tasks[SEND_TASK].apply_async(args=[email_id], countdown=countdown)
    except Exception:  # noqa: BLE001 - any broker failure; the sweep is the remedy
        logger.exception("E-mail %s not queued; the sweep will queue it again", email_id)
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Sending (called by the worker's task)
# ---------------------------------------------------------------------------------------------


def email_claim(email_id: int, *, now: datetime | None = None) -> Email | None:
    """Takes a due pending e-mail for this run (compare-and-set); None when it is not due, another run
    has it, or it is done: a repeated or early message sends nothing."""
    now = now or timezone.now()
    claimed = Email.objects.filter(pk=email_id, status=Email.Status.PENDING, due_at__lte=now + CLOCK_SLACK).update(
        status=Email.Status.SENDING, started_at=now, attempts=F("attempts") + 1
    )
    return Email.objects.get(pk=email_id) if claimed else None


def email_deliver(email: Email) -> Email:
    """Hands the claimed e-mail to the mail server, then marks it sent and announces ``email_sent``."""
    EmailMessage(email.subject, email.body, None, [email.to]).send()
    with transaction.atomic():
        mine = Email.objects.filter(pk=email.pk, status=Email.Status.SENDING, started_at=email.started_at)
        mark = {"status": Email.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
        if email.secret:
            mark["body"] = ""
        if not mine.update(**mark):  # compare-and-set: only the run that claimed it last marks it
            logger.warning("E-mail %s was taken over while sending; it may arrive twice", email.pk)
            return Email.objects.get(pk=email.pk)
        email = Email.objects.get(pk=email.pk)
        email_sent.send(sender=Email, email=email)
    return email


def email_fail(email: Email, error: BaseException) -> tuple[Email, int | None]:
    """Records a failed attempt. Returns the e-mail and the seconds until its retry, or None when there is
    none (the attempts are spent and it is failed, or it is no longer this run's)."""
    reason = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    now = timezone.now()
    with transaction.atomic():
        current = Email.objects.select_for_update().get(pk=email.pk)
        if current.status != Email.Status.SENDING or current.started_at != email.started_at:
            return current, None
        current.last_error = reason
        if current.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            current.status, countdown = Email.Status.FAILED, None
        else:
            countdown = retry_countdown(current.attempts)
            current.status, current.due_at = Email.Status.PENDING, now + timedelta(seconds=countdown)
        current.save(update_fields=["last_error", "status", "due_at"])
    return current, countdown


def retry_countdown(attempts: int) -> int:
    """Exponential backoff: 30 s after the first failure, doubling, at most an hour."""
    return min(2 ** (attempts - 1) * 30, 3600)


# ---------------------------------------------------------------------------------------------
# The sweep (run by beat every minute)
# ---------------------------------------------------------------------------------------------


def emails_sweep(now: datetime | None = None) -> dict[str, int]:
    """Queues again the pending e-mails overdue by OUTBOX_SWEEP_MINUTES (their message was lost, or the
    broker was down) and gives back those whose worker died while sending."""
    now = now or timezone.now()
    counts = {"requeued": _requeue_overdue(now), "recovered": 0, "failed": 0}
    counts["recovered"], counts["failed"] = _recover_stuck(now)
    return counts


def _requeue_overdue(now: datetime) -> int:
    overdue = now - timedelta(minutes=settings.OUTBOX_SWEEP_MINUTES)
    waiting = Email.objects.filter(status=Email.Status.PENDING, due_at__lt=overdue).values_list("pk", "due_at")
    requeued = 0
    for email_id, due_at in waiting:
        # Compare-and-set on due_at: two sweeps at once send one message, not two.
        if Email.objects.filter(pk=email_id, status=Email.Status.PENDING, due_at=due_at).update(due_at=now):
            requeued += queue_send(email_id)
    return requeued


def _recover_stuck(now: datetime) -> tuple[int, int]:
    limit = now - timedelta(seconds=SEND_TIME_LIMIT) - STUCK_MARGIN
    stuck = Email.objects.filter(status=Email.Status.SENDING, started_at__lt=limit).values_list(
        "pk", "started_at", "attempts"
    )
    recovered = failed = 0
    for email_id, started_at, attempts in stuck:
        same = Email.objects.filter(pk=email_id, status=Email.Status.SENDING, started_at=started_at)
        if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            failed += same.update(status=Email.Status.FAILED, last_error=WORKER_LOST)
        elif same.update(status=Email.Status.PENDING, last_error=WORKER_LOST, due_at=now):
            recovered += 1
            queue_send(email_id)
    return recovered, failed
