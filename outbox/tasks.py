"""Celery tasks of the outbox: thin wrappers around outbox/services.py."""

import logging

from celery import shared_task

from .services import SEND_TASK, SEND_TIME_LIMIT, email_claim, email_deliver, email_fail, emails_sweep, queue_send

logger = logging.getLogger(__name__)


@shared_task(name=SEND_TASK, time_limit=SEND_TIME_LIMIT, soft_time_limit=SEND_TIME_LIMIT - 20)
def send_email(email_id: int) -> str:
    """Sends one e-mail: claims it, sends, marks it sent; on failure, queues its retry with backoff."""
    email = email_claim(email_id)
    if email is None:  # not due yet, sent, failed, or being sent by another run: nothing to do
        return "skipped"
    try:
        return email_deliver(email).status
    except Exception as error:  # noqa: BLE001 - every failure counts, SoftTimeLimitExceeded included
        logger.warning("E-mail %s failed (attempt %s): %r", email_id, email.attempts, error)
        email, countdown = email_fail(email, error)
        if countdown is not None:
            queue_send(email.pk, countdown=countdown)
        return email.status


@shared_task(name="outbox.tasks.sweep_emails")
def sweep_emails() -> dict[str, int]:
    """Run by beat every minute: queues overdue e-mails again and recovers those of dead workers."""
    return emails_sweep()
