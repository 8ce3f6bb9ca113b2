"""Hooks of the outbox. ``email_sent`` is sent in the transaction that marks an e-mail sent, so what a
listener writes (an "e-mailed" audit event) is committed with that mark or not at all."""

from django.dispatch import Signal

email_sent = Signal()  # sender=Email, email=<Email>
