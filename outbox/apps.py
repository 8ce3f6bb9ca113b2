from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        # Registers the send task in every process (web included): e-mails are queued by task name.
        from . import tasks  # noqa: F401
