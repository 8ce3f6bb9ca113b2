"""Hooks other apps listen to. ``leader_appointed`` is sent after the transaction that recorded a
new head or acting head of a unit has committed (pacts e-mails the new leader about pending slots)."""

from django.dispatch import Signal

leader_appointed = Signal()  # sender=Appointment, appointment=<Appointment>
