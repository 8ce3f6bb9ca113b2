"""What the pacts app does when something happens elsewhere."""

from django.db import transaction
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from accounts.signals import reauth_failed
from regions.signals import leader_appointed


@receiver(leader_appointed)
def tell_new_leader_about_pending_pacts(sender, appointment, **kwargs) -> None:
    """A leader who changes mid-signing hands the unit's slot over: the new one is told (by e-mail)."""
    if appointment.user_id is None:
        return
    from .tasks import send_handover_emails

    send_handover_emails.delay(appointment.unit_id)


@receiver(reauth_failed)
def audit_failed_confirmation_before_signing(sender, request, next_url: str, **kwargs) -> None:
    """A wrong password on the way to a signing page is a refused signing: it goes into that pact's trail."""
    try:
        match = resolve(next_url.split("?", 1)[0])
    except Resolver404:
        return
    if match.view_name != "pacts:pact_sign":
        return
    from .audit import RequestInfo, audit_record
    from .models import PactSignatory

    slot = (
        PactSignatory.objects.select_related("pact__campaign", "unit")
        .filter(pact_id=match.kwargs["pk"], unit_id=match.kwargs["unit_id"])
        .first()
    )
    if slot is None:
        return
    with transaction.atomic():
        audit_record(
            action="refused",
            pact=slot.pact,
            actor=request.user,
            unit=slot.unit,
            unit_name=slot.unit_name,
            info=RequestInfo.from_request(request),
            detail=_("Wrong password at the confirmation before signing."),
        )
