"""Checks the record against its own hashes: every frozen pact's text, every signature, every ready PDF's file.

    python manage.py verify_record

prints one line per mismatch and a summary; exits 1 on any mismatch. An executed pact whose PDF is still
pending or rendering is listed as awaiting it, not counted as a mismatch.
"""

from django.core.management.base import BaseCommand, CommandError

from thidua.record import record_verify


class Command(BaseCommand):
    help = (
        "Verifies every frozen pact's text against its SHA-256, every signature against the text it signed, "
        "every ready PDF's file against its SHA-256, every executed pact against its slots, records and PDF, "
        "and that every file the database names exists."
    )

    def handle(self, *args, **options) -> None:
        check = record_verify()
        for note in check.notes:
            self.stdout.write(note)
        for problem in check.problems:
            self.stderr.write(problem)
        self.stdout.write(check.summary())
        if not check.ok:
            raise CommandError("the record does not verify")
