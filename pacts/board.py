"""Conference day (issue 17): the live board's links, the order of the ceremony, and the board's state.

The board is a page for the hall's projector, opened with a read-only, time-limited link (``BoardLink``) that
those who manage the pact create and revoke: whoever holds the link sees the signatory units, who signed for
them and when, and nothing else. The page asks for its state about every second (``board_state``): one query
tells whether anything changed since the version the page holds (``board_link_with_version``), so an
unchanged poll is answered 304 with no body; a changed one costs a fixed number of queries, however many
units sign. Polling, not server-sent events: a stream would hold one of gunicorn's sync workers for as long as
the board is open, and a poll passes any ordinary reverse proxy and survives a restart without special care.

The order in which the units are called up is ceremony data (``CeremonyStep``), kept apart from the pact's
signature slots, whose order is frozen with the text: it can change on the day, and a unit whose leader is
absent is marked "ký sau hội nghị" and passed over, while it can still sign later.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.selectors import region_name_on

from .audit import SYSTEM, RequestInfo, audit_record
from .errors import PactError
from .models import AuditEvent, BoardLink, CeremonyStep, Pact, PactSignatory, PactSignature, PdfJob
from .pdf import qr_data_uri, verification_url

Action = AuditEvent.Action
# How long a board link may stay valid, in hours: a conference day, or a few days for a rehearsal and the day.
BOARD_HOURS_CHOICES = (4, 12, 24, 72)
BOARD_HOURS_DEFAULT = 12
BOARD_STATUSES = frozenset({Pact.Status.OPEN, Pact.Status.EXECUTED})
CEREMONY_STATUSES = frozenset({Pact.Status.DRAFT, Pact.Status.OPEN})


# ---------------------------------------------------------------------------------------------
# Board links
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def board_link_create(*, pact: Pact, hours: int, actor, info: RequestInfo = SYSTEM) -> BoardLink:
    """A new board link for an open (or executed) pact, valid ``hours`` hours from now; audited."""
    if pact.status not in BOARD_STATUSES:
        raise PactError(
            _("A board shows a pact open for signing or executed; this pact is %(status)s.")
            % {"status": pact.get_status_display()}
        )
    if hours not in BOARD_HOURS_CHOICES:
        raise PactError(_("Choose how long the link stays valid from the list."), field="hours")
    link = BoardLink.objects.create(pact=pact, created_by=actor, expires_at=timezone.now() + timedelta(hours=hours))
    expires = timezone.localtime(link.expires_at)
    audit_record(
        action=Action.BOARD, pact=pact, actor=actor, info=info, detail=f"#{link.pk} → {expires:%d/%m/%Y %H:%M}"
    )
    return link


@transaction.atomic
def board_link_revoke(*, link: BoardLink, actor, info: RequestInfo = SYSTEM) -> BoardLink:
    """Revokes a board link at once: the board showing it turns to a page saying so; audited."""
    link = BoardLink.objects.select_for_update().select_related("pact__campaign").get(pk=link.pk)
    if link.revoked:
        raise PactError(_("This board link has already been revoked."))
    link.revoked_at = timezone.now()
    link.revoked_by = actor
    link.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(action=Action.BOARD_OFF, pact=link.pact, actor=actor, info=info, detail=f"#{link.pk}")
    return link


def board_links_of(pact: Pact) -> list[BoardLink]:
    return list(pact.board_links.select_related("created_by", "revoked_by"))


def _count(model, **filters) -> Coalesce:
    rows = model.objects.filter(**filters).order_by().values("pact").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _latest(model, field: str, **filters) -> Subquery:
    rows = model.objects.filter(**filters).order_by().values("pact").annotate(m=Max(field)).values("m")
    return Subquery(rows)


def board_link_with_version(token: str) -> BoardLink | None:
    """The link of ``token`` with its pact, campaign and region, and what its board's version is made of, in
    one query: the pact's status, how many units signed and the last signature, the ceremony's last change."""
    if not token or len(token) > BoardLink._meta.get_field("token").max_length:
        return None
    pact = OuterRef("pact_id")
    return (
        BoardLink.objects.select_related("pact__campaign__region")
        .annotate(
            signed_count=_count(PactSignature, pact=pact),
            last_signature=_latest(PactSignature, "pk", pact=pact),
            ceremony_count=_count(CeremonyStep, pact=pact),
            ceremony_changed=_latest(CeremonyStep, "changed_at", pact=pact),
        )
        .filter(token=token)
        .first()
    )


def board_version(link: BoardLink) -> str:
    """A short tag that changes whenever what the board shows changes (the ETag of its state)."""
    changed = link.ceremony_changed.timestamp() if link.ceremony_changed else 0
    parts = (link.pact.status, link.signed_count, link.last_signature or 0, link.ceremony_count, changed)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


# ---------------------------------------------------------------------------------------------
# The order of the ceremony
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CeremonyPlace:
    """A signatory unit in the order of the ceremony."""

    position: int
    slot: PactSignatory
    after_conference: bool


def ceremony_order(pact: Pact, slots: list[PactSignatory] | None = None) -> list[CeremonyPlace]:
    """The signatory units in the order they are called up: as the region officer set it, then any unit not
    placed yet (a draft's new unit) in the order of the slots. Two queries (one when ``slots`` are given)."""
    slots = slots if slots is not None else list(pact.signatories.order_by("order"))
    steps = {step.unit_id: step for step in CeremonyStep.objects.filter(pact=pact)}
    unplaced = len(slots) + 1

    def key(slot: PactSignatory) -> tuple[int, int, int]:
        step = steps.get(slot.unit_id)
        return (step.position, 0, step.pk) if step else (unplaced, slot.order, 0)

    ordered = sorted(slots, key=key)
    return [
        CeremonyPlace(
            position=n,
            slot=slot,
            after_conference=bool(steps.get(slot.unit_id) and steps[slot.unit_id].after_conference),
        )
        for n, slot in enumerate(ordered, start=1)
    ]


def _lock_ceremony(pact: Pact) -> Pact:
    pact = Pact.objects.select_for_update(of=("self",), no_key=True).select_related("campaign").get(pk=pact.pk)
    if pact.status not in CEREMONY_STATUSES:
        raise PactError(
            _(
                "The order of the ceremony is set while the pact is a draft or open for signing; "
                "this pact is %(status)s."
            )
            % {"status": pact.get_status_display()}
        )
    return pact


def _save_ceremony(pact: Pact, units: list[int], after: set[int]) -> None:
    CeremonyStep.objects.filter(pact=pact).delete()
    CeremonyStep.objects.bulk_create(
        CeremonyStep(pact=pact, unit_id=unit_id, position=n, after_conference=unit_id in after)
        for n, unit_id in enumerate(units, start=1)
    )


def _place_of(order: list[CeremonyPlace], unit_id: int) -> CeremonyPlace:
    for place in order:
        if place.slot.unit_id == unit_id:
            return place
    raise PactError(_("This unit is not a party to the pact."))


@transaction.atomic
def ceremony_move(*, pact: Pact, unit_id: int, up: bool, actor, info: RequestInfo = SYSTEM) -> list[CeremonyPlace]:
    """Moves a unit one place up (earlier) or down in the order of the ceremony; audited."""
    pact = _lock_ceremony(pact)
    order = ceremony_order(pact)
    place = _place_of(order, unit_id)
    index = place.position - 1
    other = index - 1 if up else index + 1
    if not 0 <= other < len(order):
        message = _("%(unit)s is already first.") if up else _("%(unit)s is already last.")
        raise PactError(message % {"unit": place.slot.unit_name})
    units = [p.slot.unit_id for p in order]
    units[index], units[other] = units[other], units[index]
    _save_ceremony(pact, units, {p.slot.unit_id for p in order if p.after_conference})
    audit_record(
        action=Action.CEREMONY,
        pact=pact,
        actor=actor,
        info=info,
        unit_name=place.slot.unit_name,
        detail=f"{place.position} → {other + 1}",
    )
    return ceremony_order(pact)


@transaction.atomic
def ceremony_set_order(
    *, pact: Pact, positions: dict[int, int], after_conference: set[int], actor, info: RequestInfo = SYSTEM
) -> list[CeremonyPlace]:
    """Sets the whole order at once: ``positions`` maps each unit to the place typed for it (1 to the number
    of units); a unit given a new place goes before a unit that kept the same number. ``after_conference``:
    the units marked "ký sau hội nghị". Audited once."""
    pact = _lock_ceremony(pact)
    order = ceremony_order(pact)
    count = len(order)
    if set(positions) != {p.slot.unit_id for p in order}:
        raise PactError(_("The list of units has changed meanwhile. Reload the page and try again."))
    for place in order:
        typed = positions[place.slot.unit_id]
        if not 1 <= typed <= count:
            raise PactError(
                _("The place of %(unit)s must be a number from 1 to %(count)s.")
                % {"unit": place.slot.unit_name, "count": count},
                field="order",
            )
    unknown = after_conference - set(positions)
    if unknown:
        raise PactError(_("The list of units has changed meanwhile. Reload the page and try again."))

    def key(place: CeremonyPlace) -> tuple[int, int, int]:
        typed = positions[place.slot.unit_id]
        return (typed, 0 if typed != place.position else 1, place.position)

    units = [p.slot.unit_id for p in sorted(order, key=key)]
    _save_ceremony(pact, units, after_conference)
    new_order = ceremony_order(pact)
    later = [p.slot.unit_name for p in new_order if p.after_conference]
    detail = " · ".join(f"{p.position}. {p.slot.unit_name}" for p in new_order)
    if later:
        detail += "\n" + _("To sign after the conference: %(units)s") % {"units": ", ".join(later)}
    audit_record(action=Action.CEREMONY, pact=pact, actor=actor, info=info, detail=detail)
    return new_order


@transaction.atomic
def ceremony_mark_after_conference(
    *, pact: Pact, unit_id: int, after: bool, actor, info: RequestInfo = SYSTEM
) -> list[CeremonyPlace]:
    """Marks (or unmarks) a unit "ký sau hội nghị": the board passes it over; it can still sign. Audited."""
    pact = _lock_ceremony(pact)
    order = ceremony_order(pact)
    place = _place_of(order, unit_id)
    if place.after_conference == after:
        return order
    marked = {p.slot.unit_id for p in order if p.after_conference}
    marked = marked | {unit_id} if after else marked - {unit_id}
    _save_ceremony(pact, [p.slot.unit_id for p in order], marked)
    detail = _("To sign after the conference") if after else _("Back in the order of the ceremony")
    audit_record(
        action=Action.CEREMONY, pact=pact, actor=actor, info=info, unit_name=place.slot.unit_name, detail=detail
    )
    return ceremony_order(pact)


# ---------------------------------------------------------------------------------------------
# What the board shows
# ---------------------------------------------------------------------------------------------


def _clock(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%H:%M}" if moment else ""


def _evidence_day(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}" if moment else ""


def sign_start_url(pact: Pact) -> str:
    """The address the board's QR code opens on a leader's phone: it leads to the signing page of the unit the
    person may sign for, after log-in, password confirmation and two-step sign-in where required."""
    return settings.SITE_URL + reverse("pacts:board_sign_start", args=[pact.pk])


def printed_verification_url(pact: Pact) -> str:
    """The verification address as the pact's signed PDF prints it: with the portal's address its newest
    signed PDF job recorded (the current one before any job exists)."""
    site_url = (
        PdfJob.objects.filter(pact=pact, draft=False)
        .exclude(site_url="")
        .order_by("-version")
        .values_list("site_url", flat=True)
        .first()
        or ""
    )
    return verification_url(pact, site_url)


def board_state(link: BoardLink) -> dict:
    """What the board shows, as JSON-ready data (names and times, no label: the page has its own words).

    Queries: the slots, the signatures, the ceremony's steps, the region's name on the pact's date; and, once
    the pact is executed, its PDF job's address. A fixed number whatever the number of units.
    """
    pact = link.pact
    slots = list(pact.signatories.order_by("order"))
    signatures = {s.unit_id: s for s in PactSignature.objects.filter(pact=pact)}
    order = ceremony_order(pact, slots)
    next_unit = None
    if pact.status == Pact.Status.OPEN:
        next_unit = next(
            (p.slot.unit_id for p in order if p.slot.unit_id not in signatures and not p.after_conference), None
        )
    units = []
    for place in order:
        signature = signatures.get(place.slot.unit_id)
        units.append(
            {
                "id": place.slot.unit_id,
                "position": place.position,
                "name": place.slot.unit_name,
                "signed": signature is not None,
                "signer": signature.signer_name if signature else "",
                "time": _clock(signature.signed_at) if signature else "",
                "after": place.after_conference and signature is None,
                "next": place.slot.unit_id == next_unit,
            }
        )
    state = {
        "version": board_version(link),
        "status": pact.status,
        "title": pact.title,
        "block": pact.block,
        "region": region_name_on(pact.campaign.region, pact.signed_on),
        "signed": len(signatures),
        "total": len(slots),
        "next": next((u["name"] for u in units if u["next"]), ""),
        "units": units,
        "executed_at": _evidence_day(pact.executed_at),
        "summary": None,
    }
    if pact.status == Pact.Status.EXECUTED:
        url = printed_verification_url(pact)
        state["summary"] = {
            "verification_url": url,
            "verification_code": pact.verification_code,
            "qr": qr_data_uri(url),
        }
    return state
