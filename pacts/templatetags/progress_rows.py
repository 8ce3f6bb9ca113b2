"""The rows of a pact's progress page (pacts/progress_pact.html), written in Python: a template renders
each cell of a row through its own nodes, tags and filters, so that the page's two lists of 50 units cost
more than the rest of the page. The markup is the one the template had: tests render the former row
templates (tests/pacts/fixtures/progress_*_rows_before.html) and compare."""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.html import html_format, html_join
from regions.models import Appointment

from .pacts_tags import evidence_time, signing_title

register = template.Library()

SIGNED_ROW = (
    '<tr><td>{}</td><th scope="row" class="fw-normal">{}</th><td>{}</td><td>{}</td>'
    '<td class="text-nowrap">{}</td>{}</tr>\n'
)
SIGN_BUTTON = '<a class="btn btn-primary btn-sm d-print-none" href="{}">{}<span class="visually-hidden"> {}</span></a>'
PENDING_ROW = '<tr><td>{}</td><th scope="row" class="fw-normal">{}</th><td>{}</td><td class="text-end">{}</td></tr>\n'


@register.simple_tag(takes_context=True)
def signed_rows(context, rows) -> SafeString:
    """Each signed unit: its number in the order of signing, who signed, under which title, when (and from
    which address, for those who may see it)."""
    pact, offset, addresses = context["pact"], context["signed_offset"], context["show_addresses"]

    def cells(number, row):
        signature = row.signature
        address = html_format("<td><code>{}</code></td>", signature.ip_address or "—") if addresses else ""
        title = signing_title(pact, signature.authority, signature.signer_position)
        return (number, row.slot.unit_name, signature.signer_name, title, evidence_time(signature.signed_at), address)

    return html_join(SIGNED_ROW, (cells(offset + n, row) for n, row in enumerate(rows, start=1)))


@register.simple_tag(takes_context=True)
def pending_rows(context, rows) -> SafeString:
    """Each unit still to sign: its place in the pact, who may sign for it today (or that nobody may), and
    the signing button for the units the viewer leads."""
    pact, signable = context["pact"], context["signable_unit_ids"]
    nobody = html_format(
        '<span class="text-danger">{}</span>', gettext("Nobody leads this unit today: record its leader first.")
    )
    sign = gettext("Sign")
    kinds = {kind.value: str(kind.label).lower() for kind in Appointment.Kind}  # translated once, not per signer

    def cells(row):
        slot = row.slot
        signers = html_join(
            '<div>{}, {} <span class="text-body-secondary small">({})</span></div>',
            ((a.full_name, a.position, kinds[a.kind]) for a in row.signers_today),
        )
        button = ""
        if slot.unit_id in signable:
            button = html_format(
                SIGN_BUTTON, reverse("pacts:pact_sign", args=[pact.pk, slot.unit_id]), sign, slot.unit_name
            )
        return (slot.order, slot.unit_name, signers or nobody, button)

    return html_join(PENDING_ROW, (cells(row) for row in rows))
