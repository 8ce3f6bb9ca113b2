from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _sqlite_unaccent(sender, connection, **kwargs) -> None:
    """SQLite has no ``unaccent``: the embedded default gets the same folding as PostgreSQL's, in Python."""
    if connection.vendor == "sqlite":
        from thidua.text import fold

        connection.connection.create_function("unaccent", 1, lambda value: None if value is None else fold(value))


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions and units")

    def ready(self) -> None:
        connection_created.connect(_sqlite_unaccent, dispatch_uid="regions_sqlite_unaccent")
