"""E-mails to unit leaders about pacts: opened for signing, reminders, a slot handed to a new leader.

Each e-mail sent leaves an "e-mailed" audit event. Texts are rendered in the portal's language.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from regions.models import Appointment
from regions.selectors import appointments_on

from .audit import audit_record
from .models import AuditEvent, Pact, PactSignatory


@dataclass(frozen=True)
class Recipient:
    user: object
    appointment: Appointment
    slot: PactSignatory


def recipients_for(pact: Pact, slots) -> list[Recipient]:
    """The people who may sign for each pending slot today and have an e-mail address."""
    today = timezone.localdate()
    found = []
    for slot in slots:
        for appointment in appointments_on(slot.unit, today).select_related("user").filter(user__isnull=False):
            if appointment.user.email and appointment.user.is_active:
                found.append(Recipient(appointment.user, appointment, slot))
    return found


def send_pact_email(*, pact: Pact, recipient: Recipient, kind: str) -> None:
    """kind: "opened", "reminder" or "handover" (templates pacts/email/<kind>_subject.txt and <kind>.txt)."""
    context = {
        "pact": pact,
        "recipient": recipient,
        "url": settings.SITE_URL + reverse("pacts:pact_sign", args=[pact.pk, recipient.slot.unit_id]),
        "deadline": timezone.localtime(pact.deadline) if pact.deadline else None,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"pacts/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"pacts/email/{kind}.txt", context)
    send_mail(subject, body, None, [recipient.user.email])
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.EMAILED,
            pact=pact,
            actor=None,
            unit=recipient.slot.unit,
            unit_name=recipient.slot.unit_name,
            detail=f"{kind}: {recipient.user.email}",
        )
