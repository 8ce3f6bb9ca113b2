from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PactsConfig(AppConfig):
    name = "pacts"
    verbose_name = _("Campaigns and pacts")

    def ready(self) -> None:
        # receivers connects the signal receivers; tasks registers the tasks in every process (web
        # included), since the PDF jobs are queued by task name.
        from . import receivers, tasks  # noqa: F401
