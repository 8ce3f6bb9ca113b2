"""Hooks other apps listen to. ``leader_appointed`` is sent inside the transaction that records a new
head or acting head of a unit (or links a current leader's account): a receiver's writes (pacts writes
its e-mails to the new leader into the outbox) commit with the appointment or not at all, so a receiver
must write rows only, never reach a network service itself."""

from django.dispatch import Signal

leader_appointed = Signal()  # sender=Appointment, appointment=<Appointment>
