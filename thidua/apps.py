from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "thidua.admin.PortalAdminSite"


class ShellConfig(AppConfig):
    """The project shell as an app of its own: no models, only its management commands (backup, restore,
    verify of the record; seed_demo), which need the other apps and so live on top of them."""

    name = "thidua"
    verbose_name = "Thi đua portal"
