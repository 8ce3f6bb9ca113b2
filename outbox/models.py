"""An e-mail waiting in, or gone from, the outbox (see outbox/services.py for its life cycle)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Email(models.Model):
    """One message to one address. ``kind`` and ``reference`` say what it is about, for whoever listens
    to ``email_sent`` (pacts writes its "e-mailed" audit event from them); the outbox reads neither."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(_("recipient address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("body"))
    kind = models.CharField(_("message kind"), max_length=64)
    reference = models.JSONField(_("reference"), default=dict, blank=True)
    # A one-time link (password reset) is not shown in the admin, and its body is erased once sent.
    secret = models.BooleanField(_("holds a one-time link"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    due_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]), name="outbox_email_status_valid"
            ),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outbox_email_sent_at"),
        ]
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
