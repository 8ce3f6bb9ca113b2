"""Signing a pact: the pacts awaiting a person's signature, the signing page and its confirmation.

The signing page shows exactly the frozen text and its SHA-256, asks for consent, and needs a
fresh password confirmation (``reauth_required``). Whether a person may sign is decided by
``services.pact_sign``; the page asks the same question first so that a person who may not sign
never gets a form.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.reauth import reauth_required
from core.pages import require, show_error
from regions.models import Appointment

from .. import permissions, selectors, services
from ..audit import RequestInfo
from ..errors import PactError
from ..models import Pact, PactSignatory, PactSignature
from ..signing_forms import SignForm


@dataclass(frozen=True)
class SlotToSign:
    """A pending slot the person may sign today, and how they would sign it."""

    slot: PactSignatory
    appointment: Appointment
    overdue: bool

    @property
    def authority(self) -> str:
        return services.AUTHORITY_OF_APPOINTMENT[self.appointment.kind]


def authority_label(authority: str) -> str:
    return str(PactSignature.Authority(authority).label)


@require_GET
@login_required
def my_pacts(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    appointments = selectors.signer_appointments_on(request.user, timezone.localdate(now))
    to_sign = [
        SlotToSign(slot, appointments[slot.unit_id], bool(slot.pact.deadline and slot.pact.deadline < now))
        for slot in selectors.slots_to_sign(appointments)
    ]
    context = {
        "to_sign": to_sign,
        "recent": selectors.recent_signatures_of(request.user),
        "obstacles": selectors.signing_obstacles_of(request.user, timezone.localdate(now)),
    }
    return render(request, "pacts/my_pacts.html", context)


def _slot_for(pk: int, unit_id: int) -> tuple[Pact, PactSignatory]:
    """The pact and the unit's slot in it; 404 for an unknown pact or a unit that is not a party."""
    pact = get_object_or_404(Pact.objects.select_related("campaign__region"), pk=pk)
    slot = get_object_or_404(PactSignatory.objects.select_related("unit"), pact=pact, unit_id=unit_id)
    return pact, slot


def _signing_check(pact: Pact, slot: PactSignatory, user) -> tuple[Appointment | None, PactError | None]:
    """The service's own checks, run without signing and without auditing a mere visit."""
    try:
        appointment, _slot = services.pact_sign_check(
            pact=pact, unit=slot.unit, user=user, consent=True, now=timezone.now()
        )
    except PactError as error:
        return None, error
    return appointment, None


def _render_refusal(request: HttpRequest, pact: Pact, slot: PactSignatory, error: PactError) -> HttpResponse:
    """The reason, without a form: 409 when the unit has signed already (a second click), else 403."""
    existing = pact.signatures.filter(unit_id=slot.unit_id).first()
    context = {
        "pact": pact,
        "slot": slot,
        "refusal": error.message,
        # Whom to ask: the reason as the pages word it for the person (none once the unit has signed).
        "obstacle": None
        if existing
        else selectors.signing_obstacle(request.user, pact, timezone.localdate(), unit=slot.unit),
        "existing": existing,
        "existing_authority": authority_label(existing.authority) if existing else "",
        "can_view_progress": permissions.can_view_pact(request.user, pact),
    }
    return render(request, "pacts/sign_refused.html", context, status=409 if existing else 403)


def _render_form(
    request: HttpRequest, pact: Pact, slot: PactSignatory, appointment: Appointment, form: SignForm
) -> HttpResponse:
    authority = services.AUTHORITY_OF_APPOINTMENT[appointment.kind]
    context = {
        "pact": pact,
        "slot": slot,
        "appointment": appointment,
        "authority": authority,
        "authority_label": authority_label(authority),
        "form": form,
    }
    return render(request, "pacts/sign_page.html", context)


def _sign(request: HttpRequest, pact: Pact, slot: PactSignatory) -> HttpResponse:
    form = SignForm(request.POST, unit_name=slot.unit_name)
    cleaned = form.cleaned_data if form.is_valid() else {}
    try:
        services.pact_sign(
            pact=pact,
            unit=slot.unit,
            user=request.user,
            consent=bool(cleaned.get("consent")),
            content_hash=cleaned.get("content_hash", ""),
            info=RequestInfo.from_request(request),
        )
    except PactError as error:
        pact.refresh_from_db()
        appointment, refusal = _signing_check(pact, slot, request.user)
        if refusal is not None:
            return _render_refusal(request, pact, slot, error)
        show_error(form, error)
        return _render_form(request, pact, slot, appointment, form)
    messages.success(request, _("%(unit)s has signed the pact.") % {"unit": slot.unit_name})
    return redirect("pacts:pact_signed", pk=pact.pk, unit_id=slot.unit_id)


@require_http_methods(["GET", "POST"])
@reauth_required
def pact_sign(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    pact, slot = _slot_for(pk, unit_id)
    if request.method == "POST":
        return _sign(request, pact, slot)
    appointment, refusal = _signing_check(pact, slot, request.user)
    if refusal is not None:
        return _render_refusal(request, pact, slot, refusal)
    services.pact_record_view(pact=pact, user=request.user, unit=slot.unit, info=RequestInfo.from_request(request))
    form = SignForm(initial={"content_hash": pact.content_hash}, unit_name=slot.unit_name)
    return _render_form(request, pact, slot, appointment, form)


@require_GET
@login_required
def pact_signed(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    """The record of one unit's signature: for its signer and for those who may see the pact."""
    pact, slot = _slot_for(pk, unit_id)
    signature = get_object_or_404(PactSignature, pact=pact, unit_id=unit_id)
    can_view_progress = permissions.can_view_pact(request.user, pact)
    require(signature.signer_id == request.user.pk or can_view_progress)
    context = {
        "pact": pact,
        "slot": slot,
        "signature": signature,
        "authority_label": authority_label(signature.authority),
        "can_view_progress": can_view_progress,
    }
    return render(request, "pacts/sign_done.html", context)


urlpatterns = [
    path("pacts/to-sign/", my_pacts, name="my_pacts"),
    path("pacts/<int:pk>/sign/<int:unit_id>/", pact_sign, name="pact_sign"),
    path("pacts/<int:pk>/sign/<int:unit_id>/done/", pact_signed, name="pact_signed"),
]
