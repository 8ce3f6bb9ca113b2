"""What the pacts app does when something happens elsewhere."""

from django.dispatch import receiver

from regions.signals import leader_appointed


@receiver(leader_appointed)
def tell_new_leader_about_pending_pacts(sender, appointment, **kwargs) -> None:
    """A leader who changes mid-signing hands the unit's slot over: the new one is told (by e-mail)."""
    if appointment.user_id is None:
        return
    from .tasks import send_handover_emails

    send_handover_emails.delay(appointment.unit_id)
