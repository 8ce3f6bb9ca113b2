"""E-mails to unit leaders about pacts: opened for signing, reminders, a slot handed to a new leader.

Each e-mail is written to the outbox in the transaction of the change that causes it, and sent by
the worker; once sent, it leaves an "e-mailed" audit event (pacts/receivers.py). Texts are rendered
in the portal's language.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from outbox.services import Message, emails_enqueue
from regions.models import Appointment
from regions.selectors import appointments_on, region_name_on

from .models import Pact, PactSignatory

KIND_PREFIX = "pacts."


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


def pact_email(*, pact: Pact, recipient: Recipient, kind: str) -> Message:
    """One e-mail about the pact. kind: "opened", "reminder" or "handover" (templates
    pacts/email/<kind>_subject.txt and <kind>.txt)."""
    context = {
        "pact": pact,
        "recipient": recipient,
        "url": settings.SITE_URL + reverse("pacts:pact_sign", args=[pact.pk, recipient.slot.unit_id]),
        "deadline": timezone.localtime(pact.deadline) if pact.deadline else None,
        # The region as it was called on the pact's date, as the pact itself names it.
        "region_name": region_name_on(pact.campaign.region, pact.signed_on),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"pacts/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"pacts/email/{kind}.txt", context)
    return Message(
        to=recipient.user.email,
        subject=subject,
        body=body,
        kind=KIND_PREFIX + kind,
        reference={"pact": pact.pk, "unit": recipient.slot.unit_id, "unit_name": recipient.slot.unit_name},
    )


def pact_emails_enqueue(*, pact: Pact, recipients: list[Recipient], kind: str) -> int:
    """Writes one e-mail per recipient to the outbox; returns how many."""
    return len(emails_enqueue(pact_email(pact=pact, recipient=recipient, kind=kind) for recipient in recipients))
