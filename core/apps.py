from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_unaccent(sender, connection, **kwargs) -> None:
    """SQLite has no ``unaccent``: the embedded default gets the same folding as PostgreSQL's, in Python."""
    if connection.vendor == "sqlite":
        from .text import fold

        connection.connection.create_function("unaccent", 1, lambda value: None if value is None else fold(value))
        # core.search.Folded: PostgreSQL has it as an IMMUTABLE SQL function (regions/migrations/0006).
        connection.connection.create_function(
            "thidua_folded", 1, lambda value: None if value is None else fold(value).lower(), deterministic=True
        )


class CoreConfig(AppConfig):
    """The ground floor as an app: no models, only its templates (shared partials) and the searches' ``unaccent``."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        connection_created.connect(_sqlite_unaccent, dispatch_uid="core_sqlite_unaccent")
        from . import tasks  # noqa: F401 (the export task, registered where Celery's autodiscovery has not run yet)
