"""Error reports to the site's administrators (settings.ADMINS), written to the outbox like every other e-mail."""

import contextlib
import logging

from django.conf import settings
from django.utils.log import AdminEmailHandler

ADMIN_ERROR_KIND = "admin.error"


class ExceptionsOnly(logging.Filter):
    """Passes records that carry an exception: a 503 the portal answers on purpose (readiness, a PDF being
    rendered again) is logged, not e-mailed."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.exc_info is not None


class OutboxAdminEmailHandler(AdminEmailHandler):
    """Django's error report, queued in the outbox instead of sent from inside the failed request: a slow or
    absent mail server never holds the page, and the report is retried like any e-mail."""

    def send_mail(self, subject, message, *args, **kwargs) -> None:
        if not settings.ADMINS:
            return
        # Imported here: logging is configured before the apps (and their models) are loaded.
        from .services import Message, emails_enqueue

        subject = f"{settings.EMAIL_SUBJECT_PREFIX}{subject}"
        # A report that cannot be written (the database is what failed) must not fail the error page.
        with contextlib.suppress(Exception):
            emails_enqueue(
                Message(to=address, subject=subject, body=message, kind=ADMIN_ERROR_KIND)
                for _name, address in settings.ADMINS
            )
