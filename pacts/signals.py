"""Hooks other apps listen to. ``pact_executed`` is sent after the transaction that executed a
pact has committed (the PDF feature renders the signed document from it)."""

from django.dispatch import Signal

pact_executed = Signal()  # sender=Pact, pact=<Pact>
