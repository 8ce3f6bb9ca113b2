from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Dashboards and reports")

    def ready(self) -> None:
        # The report jobs are queued by task name: every process (web included) registers the tasks.
        from . import tasks  # noqa: F401
