"""Hooks other apps may listen to. ``pact_executed`` is sent once the transaction that executed a pact has
committed; nothing in the project listens to it today (the signed document's PDF job is written in that
same transaction, see ``pacts.pdf_jobs``, so no lost signal can lose it)."""

from django.dispatch import Signal

pact_executed = Signal()  # sender=Pact, pact=<Pact>
