"""What the pacts app does when something happens elsewhere."""

from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from accounts.signals import reauth_failed
from legal.signals import document_change_requested
from outbox.signals import email_sent
from regions.signals import leader_appointed

from .notifications import KIND_PREFIX


@receiver(leader_appointed)
def tell_new_leader_about_pending_pacts(sender, appointment, **kwargs) -> None:
    """A leader who changes mid-signing hands the unit's slot over: the new one is told by e-mail,
    written to the outbox in the transaction that records the appointment."""
    if appointment.user_id is None:
        return
    from .models import Pact
    from .notifications import pact_emails_enqueue, recipients_for
    from .selectors import pending_slots

    open_pacts = Pact.objects.filter(status=Pact.Status.OPEN, signatories__unit_id=appointment.unit_id)
    for pact in open_pacts.select_related("campaign__region").distinct():
        slots = pending_slots(pact).filter(unit_id=appointment.unit_id)
        recipients = [r for r in recipients_for(pact, slots) if r.appointment.pk == appointment.pk]
        pact_emails_enqueue(pact=pact, recipients=recipients, kind="handover")


@receiver(email_sent)
def audit_pact_email_sent(sender, email, **kwargs) -> None:
    """An e-mail about a pact, once sent, goes into that pact's trail (in the transaction marking it sent)."""
    if not email.kind.startswith(KIND_PREFIX):
        return
    from regions.models import Unit

    from .audit import audit_record
    from .models import AuditEvent, Pact

    pact = Pact.objects.select_related("campaign").filter(pk=email.reference.get("pact")).first()
    if pact is None:
        return
    audit_record(
        action=AuditEvent.Action.EMAILED,
        pact=pact,
        actor=None,
        unit=Unit.objects.filter(pk=email.reference.get("unit")).first(),
        unit_name=email.reference.get("unit_name", ""),
        detail=f"{email.kind.removeprefix(KIND_PREFIX)}: {email.to}",
    )


@receiver(reauth_failed)
def audit_failed_confirmation_before_signing(sender, request, next_url: str, **kwargs) -> None:
    """A wrong password on the way to a signing page is a refused signing: in that pact's trail when the person
    is a party to the pact (services.pact_refusal_record), in the security log when not."""
    try:
        match = resolve(next_url.split("?", 1)[0])
    except Resolver404:
        return
    if match.view_name != "pacts:pact_sign":
        return
    from .audit import RequestInfo, security_record
    from .models import PactSignatory
    from .services import pact_refusal_record

    info = RequestInfo.from_request(request)
    pact_id, unit_id = match.kwargs["pk"], match.kwargs["unit_id"]
    slot = (
        PactSignatory.objects.select_related("pact__campaign", "unit").filter(pact_id=pact_id, unit_id=unit_id).first()
    )
    if slot is None:  # no such pact, or a unit that is no party to it: nothing of a pact's record
        security_record(
            "pact_signing_by_non_party", user=request.user, info=info, pact=pact_id, unit=unit_id, via="password"
        )
        return
    pact_refusal_record(
        pact=slot.pact,
        unit=slot.unit,
        unit_name=slot.unit_name,
        user=request.user,
        info=info,
        detail=_("Wrong password at the confirmation before signing."),
        via="password",
    )


@receiver(document_change_requested)
def refuse_changing_a_cited_document(sender, document, **kwargs) -> str:
    """A legal document cited by a pact opened for signing keeps what the signed text quotes."""
    from .models import Pact

    cited = Pact.objects.filter(basis_links__document=document).exclude(status=Pact.Status.DRAFT)
    if not cited.exists():
        return ""
    return _(
        "This document is cited by a pact already opened for signing, so what its citation quotes cannot "
        "change. If the document was entered wrongly, enter the correct one as a new document."
    )
