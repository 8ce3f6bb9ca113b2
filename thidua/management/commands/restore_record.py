"""Restores a backup of the record into the empty database of DATABASE_URL and the file storage, then verifies it.

    DATABASE_URL=postgres://owner@host/thidua_new MEDIA_ROOT=/srv/media python manage.py restore_record BACKUP

The files go where the portal keeps them: MEDIA_ROOT, or the bucket of AWS_STORAGE_BUCKET_NAME.

Every part of the backup is checked against its manifest first; a database that already holds tables
is refused unless --replace. Exits 1 when the restored record does not verify.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua.record import RecordError, backup_load, record_restore


class Command(BaseCommand):
    help = "Restores a backup_record directory into DATABASE_URL's empty database and the file storage, then verifies."

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path, help="a thidua-<time> directory written by backup_record")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="drop and restore the backup's tables in a database that holds them, and overwrite different files",
        )
        parser.add_argument(
            "--no-privileges",
            action="store_true",
            help="PostgreSQL: leave out the backup's grants (when the application's role does not exist here)",
        )

    def handle(self, *args, backup: Path, replace: bool, no_privileges: bool, **options) -> None:
        started = time.monotonic()
        try:
            loaded = backup_load(backup)
            check = record_restore(backup=loaded, replace=replace, restore_privileges=not no_privileges)
        except RecordError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {loaded.path} ({len(loaded.manifest['files'])} files) in {time.monotonic() - started:.1f} s."
        )
        for problem in check.problems:
            self.stderr.write(problem)
        self.stdout.write(check.summary())
        if not check.ok:
            raise CommandError("the restored record does not verify")
