"""Writes a consistent backup of the record (the database and every file it names) into a new directory.

    python manage.py backup_record /var/backups/thidua

prints the backup's path; exits 1 when the database names files that the storage lacks (the backup is
written all the same, listing them in its manifest), so a cron job reports it; a PDF whose loss the pdf
worker settled, and whose newer version is in the backup and matches its SHA-256, is listed, not counted
as a failure.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua.record import RecordError, record_backup


class Command(BaseCommand):
    help = "Backs up the database and the files it names (PDFs, evidence) into a new directory under DIRECTORY."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path, help="where the new thidua-<time> backup directory is created")

    def handle(self, *args, directory: Path, **options) -> None:
        started = time.monotonic()
        try:
            backup = record_backup(directory=directory)
        except RecordError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.manifest
        size = manifest["database"]["bytes"] + sum(entry["bytes"] for entry in manifest["files"].values())
        self.stdout.write(
            f"Backup written to {backup.path}: database {manifest['database']['bytes']:,} bytes, "
            f"{len(manifest['files'])} files, {size:,} bytes in all, in {time.monotonic() - started:.1f} s."
        )
        if manifest["lost"]:
            self.stdout.write(
                f"{len(manifest['lost'])} PDF file(s) known lost, replaced by a newer version in this backup: "
                + ", ".join(manifest["lost"])
            )
        if manifest["missing"]:
            raise CommandError(
                f"{len(manifest['missing'])} file(s) named by the database are missing from the storage: "
                + ", ".join(manifest["missing"])
            )
        self.stdout.write(str(backup.path))
