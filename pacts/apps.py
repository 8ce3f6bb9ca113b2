from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PactsConfig(AppConfig):
    name = "pacts"
    verbose_name = _("Campaigns and pacts")

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the signal receivers
        # Registers the tasks in every process (web included): the PDF jobs are queued by task name.
        from . import tasks  # noqa: F401
