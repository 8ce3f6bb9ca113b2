"""Writes of the pacts app: campaigns, drafting, opening, signing, completion and withdrawal.

Each state change runs in one transaction that writes the change, its audit event and its e-mails
(outbox rows, sent after commit) together; the ``pact_executed`` hook runs only after commit. A refused
signing changes nothing; it is audited in a transaction of its own when the person is a party to the pact,
and goes only to the security log when not.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import nfc
from legal.models import LegalDocument
from legal.selectors import in_citing_order
from regions.models import Appointment, Region, RegionMembership, Unit
from regions.selectors import unit_names_on

from . import draft_content
from .audit import SYSTEM, RequestInfo, audit_record, security_record
from .canonical import pact_canonical_text, sha256_hex
from .errors import PactError
from .models import (
    AuditEvent,
    Campaign,
    Movement,
    Pact,
    PactBasis,
    PactClause,
    PactComment,
    PactRevision,
    PactSignatory,
    PactSignature,
    Phase,
    Target,
)
from .notifications import pact_emails_enqueue, recipients_for
from .pdf_jobs import pdf_job_create
from .selectors import pact_is_party, pending_slots, signing_appointment
from .signals import pact_executed

Action = AuditEvent.Action
AUTHORITY_OF_APPOINTMENT = {
    Appointment.Kind.HEAD: PactSignature.Authority.HEAD,
    Appointment.Kind.ACTING_HEAD: PactSignature.Authority.ACTING,
    Appointment.Kind.DEPUTY: PactSignature.Authority.DEPUTY,
    # A deputy in charge signs for the head, as any deputy does: "KT. CỤC TRƯỞNG / PHÓ CỤC TRƯỞNG".
    Appointment.Kind.DEPUTY_IN_CHARGE: PactSignature.Authority.DEPUTY,
}
EDITABLE_FIELDS = ("title", "number", "place", "signed_on", "bases", "parties", "targets", "implementation")


# ---------------------------------------------------------------------------------------------
# Campaigns
# ---------------------------------------------------------------------------------------------


def default_phases(year: int) -> list[tuple[int, str, date, date]]:
    """Đợt 1 to 30/06 and đợt 2 from 01/07 to the year's end, as in 2018."""
    # Stored as the document's own words, whatever language the person creating it uses.
    return [
        (1, "Đợt 1", date(year, 1, 1), date(year, 6, 30)),
        (2, "Đợt 2", date(year, 7, 1), date(year, 12, 31)),
    ]


@transaction.atomic
def campaign_create(
    *,
    region: Region,
    year: int,
    title: str,
    actor,
    info: RequestInfo = SYSTEM,
    theme: str = "",
    movements: Iterable[Movement] = (),
    conference_date: date | None = None,
    conference_place: str = "",
    conference_host: Unit | None = None,
    conference_guests: str = "",
    registration_deadline: date | None = None,
    titles: str = "",
) -> Campaign:
    title = nfc(title).strip()
    if not title:
        raise PactError(_("Enter the campaign's title."), field="title")
    if Campaign.objects.filter(region=region, year=year).exists():
        raise PactError(_("This region already has a campaign for %(year)s.") % {"year": year}, field="year")
    if not RegionMembership.objects.filter(region=region, year=year).exists():
        raise PactError(_("The region has no roster for %(year)s yet: build it first.") % {"year": year}, field="year")
    campaign = Campaign.objects.create(
        region=region,
        year=year,
        title=title,
        theme=nfc(theme).strip(),
        conference_date=conference_date,
        conference_place=nfc(conference_place).strip(),
        conference_host=conference_host,
        conference_guests=nfc(conference_guests).strip(),
        registration_deadline=registration_deadline,
        titles=nfc(titles).strip(),
    )
    campaign.movements.set(movements)
    Phase.objects.bulk_create(
        Phase(campaign=campaign, number=n, name=name, start=start, end=end)
        for n, name, start, end in default_phases(year)
    )
    audit_record(action=Action.CREATED, campaign=campaign, actor=actor, info=info, detail=campaign.title)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor, info: RequestInfo = SYSTEM, movements=None, **fields) -> Campaign:
    allowed = {
        "title",
        "theme",
        "conference_date",
        "conference_place",
        "conference_host",
        "conference_guests",
        "registration_deadline",
        "titles",
        "status",
    }
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(campaign, name, nfc(value).strip() if isinstance(value, str) else value)
    if not campaign.title:
        raise PactError(_("Enter the campaign's title."), field="title")
    campaign.save()
    if movements is not None:
        campaign.movements.set(movements)
    audit_record(action=Action.EDITED, campaign=campaign, actor=actor, info=info, detail=campaign.title)
    return campaign


@transaction.atomic
def campaign_set_phases(*, campaign: Campaign, phases: list[dict], actor, info: RequestInfo = SYSTEM) -> None:
    """Replaces the phases: each dict has name, start, end and optionally unit_kinds."""
    for number, phase in enumerate(phases, start=1):
        if phase["end"] < phase["start"]:
            raise PactError(_("Phase %(n)s ends before it starts.") % {"n": number}, field="phases")
    campaign.phases.all().delete()
    Phase.objects.bulk_create(
        Phase(
            campaign=campaign,
            number=number,
            name=nfc(phase["name"]).strip(),
            start=phase["start"],
            end=phase["end"],
            unit_kinds=list(phase.get("unit_kinds") or []),
        )
        for number, phase in enumerate(phases, start=1)
    )
    audit_record(action=Action.EDITED, campaign=campaign, actor=actor, info=info, detail="phases")


@transaction.atomic
def campaign_set_targets(*, campaign: Campaign, targets: list[tuple[str, str]], actor, info: RequestInfo = SYSTEM):
    """Replaces the targets: (text, unit_kind or "") pairs, numbered in order."""
    campaign.targets.all().delete()
    Target.objects.bulk_create(
        Target(campaign=campaign, number=n, text=nfc(text).strip(), unit_kind=kind)
        for n, (text, kind) in enumerate(((t, k) for t, k in targets if t.strip()), start=1)
    )
    audit_record(action=Action.EDITED, campaign=campaign, actor=actor, info=info, detail="targets")


# ---------------------------------------------------------------------------------------------
# Drafting
# ---------------------------------------------------------------------------------------------


def _pact_content(pact: Pact) -> dict:
    return {
        **{name: str(getattr(pact, name)) for name in EDITABLE_FIELDS},
        "clauses": list(pact.clauses.order_by("number").values_list("text", flat=True)),
        "signatories": list(pact.signatories.order_by("order").values_list("unit_id", flat=True)),
    }


def _save_revision(pact: Pact, author) -> PactRevision:
    last = pact.revisions.aggregate(n=Max("number"))["n"] or 0
    return PactRevision.objects.create(pact=pact, number=last + 1, content=_pact_content(pact), author=author)


def _set_signatories(pact: Pact, units: list[Unit]) -> None:
    pact.signatories.all().delete()
    names = unit_names_on([u.pk for u in units], pact.signed_on)
    PactSignatory.objects.bulk_create(
        PactSignatory(pact=pact, unit=unit, unit_name=names[unit.pk], order=n) for n, unit in enumerate(units, start=1)
    )


def _set_bases(pact: Pact, documents: list[LegalDocument]) -> None:
    """Records the catalogue's documents the bases cite, in the order of the bases."""
    pact.basis_links.all().delete()
    ordered = in_citing_order(documents)
    PactBasis.objects.bulk_create(PactBasis(pact=pact, document=d, order=n) for n, d in enumerate(ordered, start=1))


def _check_in_force(documents: list[LegalDocument], day: date) -> None:
    for document in documents:
        if not document.is_in_force_on(day):
            raise PactError(
                _("%(document)s is not in force on %(day)s, the date of the pact.")
                % {"document": document.citation, "day": f"{day:%d/%m/%Y}"},
                field="legal_documents",
            )


@transaction.atomic
def pact_create(
    *,
    campaign: Campaign,
    actor,
    info: RequestInfo = SYSTEM,
    block: str = "",
    units: list[Unit] | None = None,
    title: str = "",
) -> Pact:
    """A new draft; its signatories are by default every member of the region that year."""
    block = nfc(block).strip()
    if Pact.objects.filter(campaign=campaign, block=block).exists():
        raise PactError(_("This campaign already has a pact for that block."), field="block")
    if units is None:
        units = [
            m.unit
            for m in RegionMembership.objects.filter(region=campaign.region, year=campaign.year)
            .select_related("unit")
            .order_by("rotation_position", "id")
        ]
    if not units:
        raise PactError(_("Choose at least one signatory unit."), field="units")
    day = campaign.conference_date or timezone.localdate()
    documents, bases = draft_content.default_bases(campaign, day)
    pact = Pact.objects.create(
        campaign=campaign,
        block=block,
        title=nfc(title).strip() or f"BẢN GIAO ƯỚC THI ĐUA NĂM {campaign.year}",
        number=draft_content.suggested_number(campaign, block, day),
        place=draft_content.issuer_province(campaign, day) or campaign.conference_place,
        signed_on=day,
        bases=bases,
        targets=draft_content.targets_text(campaign, {unit.kind for unit in units}),
        implementation=draft_content.implementation_text(campaign, day),
        created_by=actor,
    )
    _set_bases(pact, documents)
    _set_signatories(pact, units)
    _save_revision(pact, actor)
    audit_record(action=Action.CREATED, pact=pact, actor=actor, info=info, detail=pact.title)
    return pact


def _lock(pact: Pact) -> Pact:
    """Re-reads the pact under a row lock: every state change of one pact runs one at a time."""
    # Only the pact's own row (of=self), and no key lock, so inserts of rows pointing at the pact, the
    # campaign or the region (audit events, signatures) never wait behind it: PostgreSQL would deadlock.
    return Pact.objects.select_for_update(of=("self",), no_key=True).select_related("campaign__region").get(pk=pact.pk)


def _require_draft(pact: Pact) -> None:
    if pact.status != Pact.Status.DRAFT:
        raise PactError(
            _("Only a draft can be changed: this pact is %(status)s.") % {"status": pact.get_status_display()}
        )


@transaction.atomic
def pact_update_draft(
    *,
    pact: Pact,
    actor,
    info: RequestInfo = SYSTEM,
    clauses: list[str] | None = None,
    units: list[Unit] | None = None,
    legal_documents: list[LegalDocument] | None = None,
    **fields,
) -> Pact:
    """Saves an edit of a draft; the previous state stays as a revision.

    With ``legal_documents``, the bases are written from them (draft_content.compose_bases): one line per
    document in citing order, then the lines typed for bases outside the catalogue; each must be in force on
    the pact's date."""
    pact = _lock(pact)
    _require_draft(pact)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(name)
        setattr(pact, name, nfc(value).strip() if isinstance(value, str) else value)
    if not pact.title:
        raise PactError(_("Enter the pact's title."), field="title")
    if legal_documents is not None:
        _check_in_force(legal_documents, pact.signed_on)
        known = list(pact.legal_documents.all())
        pact.bases = draft_content.compose_bases(legal_documents, pact.bases, known=known)
    pact.save()
    if legal_documents is not None:
        _set_bases(pact, legal_documents)
    if clauses is not None:
        pact.clauses.all().delete()
        texts = [nfc(text).strip() for text in clauses if text and text.strip()]
        PactClause.objects.bulk_create(PactClause(pact=pact, number=n, text=t) for n, t in enumerate(texts, start=1))
    if units is not None:
        if not units:
            raise PactError(_("Choose at least one signatory unit."), field="units")
        _set_signatories(pact, units)
    elif "signed_on" in fields:
        _set_signatories(pact, [s.unit for s in pact.signatories.select_related("unit")])
    _save_revision(pact, actor)
    audit_record(action=Action.EDITED, pact=pact, actor=actor, info=info)
    return pact


@transaction.atomic
def pact_comment(*, pact: Pact, author, unit: Unit | None, text: str, info: RequestInfo = SYSTEM) -> PactComment:
    pact = _lock(pact)
    if pact.status != Pact.Status.DRAFT:
        raise PactError(_("Comments are taken only while the pact is a draft."))
    text = nfc(text).strip()
    if not text:
        raise PactError(_("Write a comment first."), field="text")
    comment = PactComment.objects.create(pact=pact, author=author, unit=unit, text=text)
    audit_record(action=Action.COMMENTED, pact=pact, actor=author, unit=unit, info=info, detail=text[:500])
    return comment


# ---------------------------------------------------------------------------------------------
# Opening: the text is frozen
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def pact_open(*, pact: Pact, deadline: datetime, actor, info: RequestInfo = SYSTEM) -> Pact:
    pact = _lock(pact)
    _require_draft(pact)
    if deadline <= timezone.now():
        raise PactError(_("The signing deadline must be in the future."), field="deadline")
    if not pact.clauses.exists():
        raise PactError(_("Write at least one commitment before opening the pact."))
    if not pact.signatories.exists():
        raise PactError(_("Choose at least one signatory unit."))
    _set_signatories(pact, [s.unit for s in pact.signatories.select_related("unit").order_by("order")])
    # A pact is frozen in the format of the day it opens, and keeps it (pacts/canonical.py).
    pact.text_format = Pact.TextFormat.DECREE_30
    pact.content_text = pact_canonical_text(pact)
    pact.content_hash = sha256_hex(pact.content_text)
    pact.status = Pact.Status.OPEN
    pact.deadline = deadline
    pact.opened_at = timezone.now()
    pact.save()
    audit_record(action=Action.OPENED, pact=pact, actor=actor, info=info, detail=pact.content_hash)
    campaign = pact.campaign
    if campaign.status == Campaign.Status.DRAFT:
        # The conference that signs the pact is the one that launches the campaign.
        campaign.status = Campaign.Status.LAUNCHED
        campaign.save(update_fields=["status"])
        audit_record(action=Action.EDITED, campaign=campaign, actor=actor, info=info, detail="launched")
    pact_emails_enqueue(pact=pact, recipients=recipients_for(pact, pending_slots(pact)), kind="opened")
    return pact


# ---------------------------------------------------------------------------------------------
# Signing
# ---------------------------------------------------------------------------------------------


def pact_sign_check(*, pact: Pact, unit: Unit, user, consent: bool, now: datetime) -> tuple[Appointment, PactSignatory]:
    if pact.status == Pact.Status.WITHDRAWN:
        raise PactError(_("This pact has been withdrawn and can no longer be signed."))
    if pact.status == Pact.Status.EXECUTED:
        raise PactError(_("Every unit has signed: this pact is already executed."))
    if pact.status != Pact.Status.OPEN:
        raise PactError(_("This pact is not open for signing."))
    if pact.deadline and now > pact.deadline:
        raise PactError(_("The signing deadline has passed."))
    slot = pact.signatories.filter(unit=unit).first()
    if slot is None:
        raise PactError(_("This unit is not a party to the pact."))
    appointment = signing_appointment(user=user, unit=unit, day=timezone.localdate(now))
    if appointment is None:
        raise PactError(_("Only a person who leads %(unit)s today may sign for it.") % {"unit": slot.unit_name})
    if pact.signatures.filter(unit=unit).exists():
        raise PactError(_("%(unit)s has already signed this pact.") % {"unit": slot.unit_name})
    if not consent:
        raise PactError(_("Tick the box to confirm that you have read the text and agree to it."), field="consent")
    return appointment, slot


def pact_refusal_record(
    *, pact: Pact, unit: Unit, user, info: RequestInfo, detail: str, via: str, unit_name: str = ""
) -> bool:
    """Records a refused signing: in the pact's trail (in a transaction of its own) when the person is a party
    to the pact, else only in the security log, so a stranger adds nothing to a pact's record. True if the
    trail has it."""
    if pact_is_party(pact=pact, user=user, day=timezone.localdate()):
        with transaction.atomic():
            audit_record(
                action=Action.REFUSED, pact=pact, actor=user, unit=unit, unit_name=unit_name, info=info, detail=detail
            )
        return True
    security_record(
        "pact_signing_by_non_party", user=user, info=info, pact=pact.pk, unit=unit.pk, via=via, reason=detail
    )
    return False


def pact_sign(
    *, pact: Pact, unit: Unit, user, consent: bool, content_hash: str, info: RequestInfo = SYSTEM
) -> PactSignature:
    """Signs the pact for the unit. The last signature executes the pact in the same transaction.

    ``content_hash`` is the hash the signer was shown: if the text changed meanwhile, nothing is signed.
    A refusal raises PactError and changes nothing; it is recorded by ``pact_refusal_record``.
    """
    try:
        return _sign(pact=pact, unit=unit, user=user, consent=consent, content_hash=content_hash, info=info)
    except PactError as error:
        pact_refusal_record(pact=pact, unit=unit, user=user, info=info, detail=str(error), via="signing")
        raise


@transaction.atomic
def _sign(*, pact: Pact, unit: Unit, user, consent: bool, content_hash: str, info: RequestInfo) -> PactSignature:
    pact = _lock(pact)
    now = timezone.now()
    appointment, slot = pact_sign_check(pact=pact, unit=unit, user=user, consent=consent, now=now)
    if content_hash != pact.content_hash:
        raise PactError(_("The text you were shown is not the text of this pact. Reload the page and read it again."))
    try:
        with transaction.atomic():
            signature = PactSignature.objects.create(
                pact=pact,
                unit=unit,
                signer=user,
                signer_name=appointment.full_name,
                signer_position=appointment.position,
                unit_name=slot.unit_name,
                authority=AUTHORITY_OF_APPOINTMENT[appointment.kind],
                signed_at=now,
                ip_address=info.ip_address,
                user_agent=info.user_agent,
                content_hash=pact.content_hash,
            )
    except IntegrityError as error:  # the pact lock makes this unlikely; the constraint makes it impossible
        raise PactError(_("%(unit)s has already signed this pact.") % {"unit": slot.unit_name}) from error
    audit_record(
        action=Action.SIGNED,
        pact=pact,
        actor=user,
        unit=unit,
        unit_name=slot.unit_name,
        info=info,
        detail=f"{signature.authority} {appointment.position}".strip(),
    )
    if pact.signatures.count() == pact.signatories.count():
        _execute(pact, now)
    return signature


def _execute(pact: Pact, now: datetime) -> None:
    pact.status = Pact.Status.EXECUTED
    pact.executed_at = now
    pact.save(update_fields=["status", "executed_at", "updated_at"])
    audit_record(action=Action.EXECUTED, pact=pact, detail=pact.content_hash)
    # The PDF job is an outbox row of this same transaction: no lost message can lose the document.
    pdf_job_create(pact=pact)
    transaction.on_commit(lambda: pact_executed.send(sender=Pact, pact=pact))


# ---------------------------------------------------------------------------------------------
# Withdrawal and reminders
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def pact_withdraw(*, pact: Pact, reason: str, actor, info: RequestInfo = SYSTEM) -> Pact:
    """Withdraws an open pact (its signatures stay on record) and starts the next version as a draft."""
    pact = _lock(pact)
    if pact.status != Pact.Status.OPEN:
        raise PactError(_("Only a pact open for signing can be withdrawn."))
    reason = nfc(reason).strip()
    if not reason:
        raise PactError(_("Give the reason for the withdrawal."), field="reason")
    pact.status = Pact.Status.WITHDRAWN
    pact.withdrawn_at = timezone.now()
    pact.withdrawn_reason = reason
    pact.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "updated_at"])
    audit_record(action=Action.WITHDRAWN, pact=pact, actor=actor, info=info, detail=reason)
    draft = Pact.objects.create(
        campaign=pact.campaign,
        block=pact.block,
        version=pact.version + 1,
        previous=pact,
        created_by=actor,
        **{name: getattr(pact, name) for name in EDITABLE_FIELDS},
    )
    PactClause.objects.bulk_create(PactClause(pact=draft, number=c.number, text=c.text) for c in pact.clauses.all())
    _set_bases(draft, list(pact.legal_documents.all()))
    _set_signatories(draft, [s.unit for s in pact.signatories.select_related("unit").order_by("order")])
    _save_revision(draft, actor)
    audit_record(action=Action.CREATED, pact=draft, actor=actor, info=info, detail=_("New version after withdrawal"))
    return draft


@transaction.atomic
def pact_remind(*, pact: Pact, actor=None, info: RequestInfo = SYSTEM) -> int:
    """Queues a reminder to the leaders of every unit that has not signed; returns how many units."""
    if pact.status != Pact.Status.OPEN:
        raise PactError(_("Reminders are sent only while the pact is open for signing."))
    count = pending_slots(pact).count()
    if count == 0:
        raise PactError(_("Every unit has signed; nobody to remind."))
    audit_record(action=Action.REMINDED, pact=pact, actor=actor, info=info, detail=str(count))
    pact_emails_enqueue(pact=pact, recipients=recipients_for(pact, pending_slots(pact)), kind="reminder")
    return count


# ---------------------------------------------------------------------------------------------
# Campaign status, and leaders reading an open pact
# ---------------------------------------------------------------------------------------------

CAMPAIGN_NEXT_STATUS = {
    Campaign.Status.DRAFT: Campaign.Status.LAUNCHED,
    Campaign.Status.LAUNCHED: Campaign.Status.CLOSED,
}


@transaction.atomic
def campaign_set_status(*, campaign: Campaign, status: str, actor, info: RequestInfo = SYSTEM) -> Campaign:
    """Launches a draft campaign or closes a launched one; no other change of status exists."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if CAMPAIGN_NEXT_STATUS.get(campaign.status) != status:
        raise PactError(
            _("A draft campaign can be launched and a launched one closed; this one is %(status)s.")
            % {"status": campaign.get_status_display()}
        )
    campaign.status = status
    campaign.save(update_fields=["status"])
    audit_record(action=Action.EDITED, campaign=campaign, actor=actor, info=info, detail=f"status: {status}")
    return campaign


@transaction.atomic
def pact_record_view(*, pact: Pact, user, unit: Unit, info: RequestInfo = SYSTEM) -> bool:
    """Audits a signatory unit's leader opening an open pact, once per person, pact and day; True if written."""
    if pact.status != Pact.Status.OPEN:
        return False
    start = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    if AuditEvent.objects.filter(pact=pact, actor=user, action=Action.VIEWED, at__gte=start).exists():
        return False
    audit_record(action=Action.VIEWED, pact=pact, actor=user, unit=unit, info=info)
    return True
