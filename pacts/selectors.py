"""Reads of the pacts app: campaigns a person may see, pacts with their counts, a draft as a document."""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import is_admin, is_leader, is_ministry, is_region_officer
from core.dates import place_and_date
from regions.models import Appointment, Region, RegionMembership, RegionName, Unit
from regions.selectors import (
    appointments_held_on,
    appointments_on,
    region_name_on,
    roster,
    unit_names_on,
    with_region_names_on,
    year_reference_day,
)

from .models import (
    AuditEvent,
    Campaign,
    Pact,
    PactComment,
    PactRevision,
    PactSignatory,
    PactSignature,
    PdfJob,
    Phase,
)
from .permissions import acting_unit_ids

THADS_KINDS = frozenset(
    {Unit.Kind.CUC_THADS, Unit.Kind.CHI_CUC_THADS, Unit.Kind.THADS_TINH, Unit.Kind.PHONG_THADS_KHU_VUC}
)


# ---------------------------------------------------------------------------------------------
# Campaigns
# ---------------------------------------------------------------------------------------------


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Every campaign for ministry staff and administrators; for others, those of the region-years their unit is in."""
    if is_ministry(user) or is_admin(user):
        return Campaign.objects.all()
    units = acting_unit_ids(user)
    if not units:
        return Campaign.objects.none()
    member = RegionMembership.objects.filter(region=OuterRef("region"), year=OuterRef("year"), unit_id__in=units)
    return Campaign.objects.filter(Exists(member))


def with_region_name_of_year(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Annotates ``region_name_in_year``: the region's name as it was in the campaign's year."""
    names = RegionName.objects.filter(region=OuterRef("region"), valid_from__year__lte=OuterRef("year"))
    return campaigns.annotate(
        region_name_in_year=Coalesce(Subquery(names.order_by("-valid_from").values("name")[:1]), "region__name")
    )


def _count_of(model, **filters) -> Coalesce:
    rows = model.objects.filter(**filters).order_by().values(*filters).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows[:1], output_field=IntegerField()), 0)


def pacts_with_counts(pacts: QuerySet[Pact]) -> QuerySet[Pact]:
    """Annotates ``slot_count`` (signatory units) and ``signature_count``, without joining the rows."""
    return pacts.annotate(
        slot_count=_count_of(PactSignatory, pact=OuterRef("pk")),
        signature_count=_count_of(PactSignature, pact=OuterRef("pk")),
    )


def campaigns_for_list(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """The rows of the campaign list: region named as in the year, and each pact's status, in one more query."""
    pacts = Pact.objects.only("pk", "campaign_id", "block", "version", "status").order_by("block", "-version")
    return (
        with_region_name_of_year(campaigns.select_related("region"))
        .prefetch_related(Prefetch("pacts", queryset=pacts))
        .order_by("-year", "region_name_in_year", "pk")
    )


def years_of_campaigns(campaigns: QuerySet[Campaign]) -> list[int]:
    return list(campaigns.order_by("-year").values_list("year", flat=True).distinct())


def regions_of_campaigns(campaigns: QuerySet[Campaign]) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=campaigns.values("region_id")).order_by("name")


def regions_for_new_campaign(user) -> QuerySet[Region]:
    """Every region for ministry staff; for a region officer, the regions their unit heads in some year."""
    if is_ministry(user):
        return Region.objects.order_by("name")
    heads = RegionMembership.objects.filter(role=RegionMembership.Role.HEAD, unit_id__in=acting_unit_ids(user))
    return Region.objects.filter(pk__in=heads.values("region_id")).order_by("name")


@dataclass(frozen=True)
class MemberUnit:
    """A unit of a region's roster as the pickers of a campaign and a pact offer it."""

    unit_id: int
    name_on_day: str  # its name that year
    kind: str  # a Unit.Kind


def member_units(region: Region, year: int) -> list[MemberUnit]:
    """The region's members that year in rotation order, read as values (672 of them: no model objects)."""
    return [MemberUnit(*row) for row in roster(region, year).values_list("unit_id", "name_on_day", "unit__kind")]


def campaign_phases(campaign: Campaign) -> list[Phase]:
    """The phases in order, each with ``kind_labels``: the kinds of unit it applies to (empty: every kind)."""
    labels = dict(Unit.Kind.choices)
    phases = list(campaign.phases.order_by("number"))
    for phase in phases:
        phase.kind_labels = [labels.get(kind, kind) for kind in phase.unit_kinds]
    return phases


def campaign_pacts(campaign: Campaign) -> QuerySet[Pact]:
    return pacts_with_counts(campaign.pacts.order_by("block", "-version"))


# ---------------------------------------------------------------------------------------------
# Pacts
# ---------------------------------------------------------------------------------------------


def pacts_for_detail() -> QuerySet[Pact]:
    """Pacts with what every pact page shows: campaign, region, previous and next versions."""
    return Pact.objects.select_related("campaign__region", "previous", "next")


# The pact's text and its parts, which a page about its signing never shows (the frozen text is 30 KB for a
# region of 672 units).
PACT_TEXT_FIELDS = ("bases", "parties", "targets", "implementation", "content_text")


def pacts_for_progress() -> QuerySet[Pact]:
    """Pacts with what their progress page shows: campaign and region, not the text."""
    return Pact.objects.select_related("campaign__region").defer(*PACT_TEXT_FIELDS)


def pact_comments(pact: Pact) -> QuerySet[PactComment]:
    return pact.comments.select_related("author", "unit").order_by("created_at", "pk")


def pact_revisions(pact: Pact) -> QuerySet[PactRevision]:
    return pact.revisions.defer("content").select_related("author").order_by("-number")


# Each count from its unique index (pact, unit) alone; plain SQL, any database. Through the ORM (a grouped
# subquery a count, ``pacts_with_counts``) it cost 2.3 ms to build, plan and run for a pact of 672 units,
# against 0.4 ms.
SIGNATURE_COUNTS_SQL = """
SELECT (SELECT COUNT(*) FROM pacts_pactsignature WHERE pact_id = %(pact)s),
       (SELECT COUNT(*) FROM pacts_pactsignatory WHERE pact_id = %(pact)s)
"""


def signature_counts(pact: Pact) -> tuple[int, int]:
    """(signed, total) for the pact, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(SIGNATURE_COUNTS_SQL, {"pact": pact.pk})
        signed, total = cursor.fetchone()
    return signed, total


def pending_slots_of_user(user, pact: Pact) -> QuerySet[PactSignatory]:
    """The pact's unsigned slots of the units this person acts for (not yet saying whether they may sign)."""
    return (
        pact.signatories.filter(unit_id__in=acting_unit_ids(user))
        .exclude(unit_id__in=pact.signatures.values("unit_id"))
        .select_related("unit")
        .order_by("order")
    )


def signatory_unit_led_by(user, pact: Pact) -> Unit | None:
    """A signatory unit of the pact that this leader acts for, if any."""
    if not is_leader(user):
        return None
    slot = pact.signatories.filter(unit_id__in=acting_unit_ids(user)).select_related("unit").order_by("order").first()
    return slot.unit if slot else None


def comment_unit(user, pact: Pact) -> Unit | None:
    """The unit a comment is written for: a signatory unit the person acts for, else their own unit."""
    slot = pact.signatories.filter(unit_id__in=acting_unit_ids(user)).select_related("unit").order_by("order").first()
    return slot.unit if slot else user.unit


# ---------------------------------------------------------------------------------------------
# A draft as a document: the same parts for the current draft and for any saved revision
# ---------------------------------------------------------------------------------------------


@dataclass
class PactDocument:
    """The parts of a pact in the order of the printed document (see canonical.pact_canonical_text)."""

    heading: str
    title: str
    number: str
    place: str
    signed_on: date | None
    bases: list[str]
    parties: str
    units: list[str]
    clauses: list[str]
    targets: str
    implementation: str
    extra: dict = field(default_factory=dict)

    @property
    def date_line(self) -> str:
        """The place-and-date line in the current format (a draft or a revision is not yet frozen)."""
        day = self.signed_on
        if day is None:
            return self.place
        return place_and_date(self.place, day)

    def lines(self) -> list[str]:
        """The document as text lines, for showing what changed between two revisions."""
        return [
            self.heading,
            self.number,
            self.date_line,
            self.title,
            *self.bases,
            "CÁC BÊN GIAO ƯỚC",
            *self.parties.splitlines(),
            *[f"{n}. {name}" for n, name in enumerate(self.units, start=1)],
            "NỘI DUNG GIAO ƯỚC",
            *[f"{n}. {line}" for n, text in enumerate(self.clauses, start=1) for line in text.splitlines()],
            "CHỈ TIÊU",
            *self.targets.splitlines(),
            "TỔ CHỨC THỰC HIỆN",
            *self.implementation.splitlines(),
        ]


def _heading(pact: Pact) -> str:
    region = pact.campaign.region.name
    return f"{region} - {pact.block}" if pact.block else region


def document_of_pact(pact: Pact) -> PactDocument:
    """The current draft: two queries (commitments, signatory units)."""
    return PactDocument(
        heading=_heading(pact),
        title=pact.title,
        number=pact.number,
        place=pact.place,
        signed_on=pact.signed_on,
        bases=[line for line in pact.bases.splitlines() if line.strip()],
        parties=pact.parties,
        units=list(pact.signatories.order_by("order").values_list("unit_name", flat=True)),
        clauses=list(pact.clauses.order_by("number").values_list("text", flat=True)),
        targets=pact.targets,
        implementation=pact.implementation,
    )


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def document_of_revision(pact: Pact, revision: PactRevision) -> PactDocument:
    """A saved revision; its signatory units are named as of the revision's date of the pact."""
    content = revision.content
    signed_on = _parse_day(content.get("signed_on", ""))
    unit_ids = [int(pk) for pk in content.get("signatories", [])]
    names = unit_names_on(unit_ids, signed_on or pact.signed_on) if unit_ids else {}
    return PactDocument(
        heading=_heading(pact),
        title=content.get("title", ""),
        number=content.get("number", ""),
        place=content.get("place", ""),
        signed_on=signed_on,
        bases=[line for line in content.get("bases", "").splitlines() if line.strip()],
        parties=content.get("parties", ""),
        units=[names.get(pk, "") for pk in unit_ids],
        clauses=list(content.get("clauses", [])),
        targets=content.get("targets", ""),
        implementation=content.get("implementation", ""),
    )


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "same" or "hunk"
    text: str


def document_diff(old: PactDocument, new: PactDocument) -> list[DiffLine]:
    """What changed from ``old`` to ``new``, line by line, with two lines of context around each change."""
    kinds = {"+": "added", "-": "removed", " ": "same", "@": "hunk"}
    lines = difflib.unified_diff(old.lines(), new.lines(), lineterm="", n=2)
    return [
        DiffLine(kinds[line[0]], line[1:] if line[0] != "@" else "")
        for line in lines
        if line and not line.startswith(("---", "+++"))
    ]


# ---------------------------------------------------------------------------------------------
# Signing, progress and the audit trail (the signing pages)
# ---------------------------------------------------------------------------------------------

SIGNING_PRECEDENCE = {
    Appointment.Kind.HEAD: 0,
    Appointment.Kind.ACTING_HEAD: 1,
    Appointment.Kind.DEPUTY_IN_CHARGE: 2,
    Appointment.Kind.DEPUTY: 3,
}


def signing_appointment(*, user, unit: Unit, day: date) -> Appointment | None:
    """The appointment through which this user may sign for the unit that day: head first, then acting, deputy."""
    if not getattr(user, "is_authenticated", False):
        return None
    candidates = sorted(
        appointments_on(unit, day).filter(user=user),
        key=lambda a: (SIGNING_PRECEDENCE[a.kind], -a.start.toordinal()),
    )
    return candidates[0] if candidates else None


def pending_slots(pact: Pact) -> QuerySet[PactSignatory]:
    """The pact's slots whose unit has not signed yet, in the pact's order."""
    return pact.signatories.exclude(unit__in=pact.signatures.values("unit")).select_related("unit").order_by("order")


def pact_is_party(*, pact: Pact, user, day: date) -> bool:
    """The person acts that day for one of the pact's signatory units: leads it by appointment (as
    ``signing_appointment`` reads them) or belongs to it. What such a person attempts on the pact belongs in its
    trail; anyone else's attempt does not."""
    if not getattr(user, "is_authenticated", False):
        return False
    led = appointments_held_on(day, user=user)
    return pact.signatories.filter(Q(unit_id=user.unit_id) | Q(unit_id__in=led.values("unit_id"))).exists()


def signer_appointments_on(user, day: date) -> dict[int, Appointment]:
    """For each unit the person may sign for that day, the appointment they sign through.

    One query per unit the person leads (usually one), through ``signing_appointment`` so that the
    head / acting head / deputy precedence is decided in one place.
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    current = appointments_held_on(day, user=user)
    found: dict[int, Appointment] = {}
    for appointment in current.select_related("unit").order_by("unit_id"):
        if appointment.unit_id not in found:
            chosen = signing_appointment(user=user, unit=appointment.unit, day=day)
            if chosen is not None:
                found[appointment.unit_id] = chosen
    return found


def slots_to_sign(unit_ids) -> QuerySet[PactSignatory]:
    """Unsigned slots of the open pacts for these units, the nearest deadline first."""
    signed = PactSignature.objects.filter(pact=OuterRef("pact"), unit=OuterRef("unit"))
    return (
        PactSignatory.objects.filter(pact__status=Pact.Status.OPEN, unit_id__in=list(unit_ids))
        .filter(~Exists(signed))
        .select_related("pact__campaign__region")
        .order_by("pact__deadline", "pact_id", "order")
    )


def recent_signatures_of(user, limit: int = 10) -> list[PactSignature]:
    return list(
        PactSignature.objects.filter(signer=user)
        .select_related("pact__campaign__region")
        .order_by("-signed_at")[:limit]
    )


@dataclass(frozen=True)
class SignedSlot:
    """What a signed row shows of its slot: the unit, named as the slot named it."""

    unit_id: int
    unit_name: str


@dataclass(frozen=True)
class PendingSlot:
    """What a pending row shows of its slot: its place in the pact and the unit, named as the slot named it."""

    unit_id: int
    unit_name: str
    order: int


@dataclass(frozen=True)
class SignatureShown:
    """What a signed row shows of its signature: who signed, under which authority and position, when, and
    from which address."""

    signer_name: str
    signer_position: str
    authority: str
    signed_at: datetime
    ip_address: str | None


@dataclass(frozen=True)
class SignerShown:
    """Who may sign for a pending unit that day, as its row shows them."""

    full_name: str
    position: str
    kind: str  # an Appointment.Kind

    def get_kind_display(self) -> str:
        return str(Appointment.Kind(self.kind).label)


SIGNATURE_SHOWN = ("unit_id", "unit_name", "signer_name", "signer_position", "authority", "signed_at", "ip_address")


@dataclass
class SlotProgress:
    """One signatory unit of a pact: its signature, or who may give it today."""

    slot: PactSignatory | SignedSlot | PendingSlot
    signature: PactSignature | SignatureShown | None = None
    signers_today: list[SignerShown] = field(default_factory=list)


@dataclass
class PactProgress:
    signed: list[SlotProgress]
    pending: list[SlotProgress]

    @property
    def total(self) -> int:
        return len(self.signed) + len(self.pending)

    @property
    def percent(self) -> int:
        return round(100 * len(self.signed) / self.total) if self.total else 0


def pact_progress(pact: Pact, day: date) -> PactProgress:
    """Signed slots in the order of signing, pending slots in the pact's order with who may sign that day.

    Three queries, whatever the number of units.
    """
    slots = list(pact.signatories.select_related("unit").order_by("order"))
    signatures = {s.unit_id: s for s in pact.signatures.all()}
    signed = sorted(
        (SlotProgress(slot, signatures[slot.unit_id]) for slot in slots if slot.unit_id in signatures),
        key=lambda row: (row.signature.signed_at, row.signature.pk),
    )
    pending = pending_rows([slot for slot in slots if slot.unit_id not in signatures], day)
    return PactProgress(signed=signed, pending=pending)


def pact_signatures_in_order(pact: Pact) -> QuerySet:
    """The pact's signatures in the order of signing, for a page of the progress: the values its rows show
    (``SIGNATURE_SHOWN``), read without building a model per row."""
    return pact.signatures.order_by("signed_at", "pk").values(*SIGNATURE_SHOWN)


def pact_pending_slots(pact: Pact) -> QuerySet[PactSignatory]:
    """The pact's signatory units that have not signed, in the pact's order."""
    signed = PactSignature.objects.filter(pact=pact, unit_id=OuterRef("unit_id"))
    return pact.signatories.filter(~Exists(signed)).order_by("order")


def pact_pending_slot_values(pact: Pact) -> QuerySet:
    """``pact_pending_slots`` for a page of the progress: the values its rows show (``PendingSlot``)."""
    return pact_pending_slots(pact).values("unit_id", "unit_name", "order")


def signed_rows(signatures: list[dict]) -> list[SlotProgress]:
    """A page of signatures (``pact_signatures_in_order``) with their signatory units, without a query: a
    signature holds its unit's name as the pact's slot gave it (``services.pact_sign`` copies it, and the
    slots are frozen once the pact opens), which is all a signed row shows of its slot."""
    return [
        SlotProgress(
            SignedSlot(values["unit_id"], values["unit_name"]),
            SignatureShown(**{name: values[name] for name in SIGNATURE_SHOWN[2:]}),
        )
        for values in signatures
    ]


def pending_slot_rows(slots: list[dict], day: date) -> list[SlotProgress]:
    """``pending_rows`` for a page of ``pact_pending_slot_values``."""
    return pending_rows([PendingSlot(values["unit_id"], values["unit_name"], values["order"]) for values in slots], day)


def pending_rows(slots: list[PactSignatory] | list[PendingSlot], day: date) -> list[SlotProgress]:
    """A page of pending units, each with who may sign for it that day (``SignerShown``, the head first): one
    query, read as values."""
    signers: dict[int, list[SignerShown]] = {}
    if slots:
        # Sorted by _signers_by_unit; the model's order would join the units.
        current = appointments_held_on(day, unit_id__in=[slot.unit_id for slot in slots]).order_by()
        signers = _signers_by_unit(current.values_list("unit_id", "full_name", "position", "kind", "start", "pk"))
    return [SlotProgress(slot, None, signers.get(slot.unit_id, [])) for slot in slots]


def _signers_by_unit(held) -> dict[int, list[SignerShown]]:
    """The appointments held (unit id, full name, position, kind, start, id), as who may sign for each unit:
    in signing precedence (head, acting head, deputy in charge, deputy), the latest begun first."""
    signers: dict[int, list[SignerShown]] = {}
    for unit_id, full_name, position, kind, _start, _pk in sorted(
        held, key=lambda values: (SIGNING_PRECEDENCE.get(values[3], 9), -values[4].toordinal(), values[5])
    ):
        signers.setdefault(unit_id, []).append(SignerShown(full_name, position, kind))
    return signers


# A page of the pact's pending units with who may sign for each that day, in one query on PostgreSQL (two
# through the ORM: the slots, then their appointments).
# tests/pacts/test_pending_page_sql.py compares with the ORM's answer, which other databases use.
PENDING_PAGE_SQL = """
WITH page AS (
    SELECT s.unit_id, s.unit_name, s."order"
    FROM pacts_pactsignatory s
    WHERE s.pact_id = %(pact)s
      AND NOT EXISTS (SELECT 1 FROM pacts_pactsignature g WHERE g.pact_id = %(pact)s AND g.unit_id = s.unit_id)
    ORDER BY s."order"
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT page.unit_id, page.unit_name, page."order", a.full_name, a.position, a.kind, a.start, a.id
FROM page
LEFT JOIN LATERAL (
    SELECT a.full_name, a.position, a.kind, a.start, a.id
    FROM regions_appointment a
    WHERE a.unit_id = page.unit_id AND a.start <= %(day)s AND (a."end" IS NULL OR a."end" >= %(day)s)
    OFFSET 0  -- read by unit, not flattened into a hash join over every appointment
) a ON true
ORDER BY page."order"
"""


def pending_page(pact: Pact, day: date, start: int, stop: int) -> list[SlotProgress]:
    """The pending units ``start`` to ``stop`` (excluded), in the pact's order, each with who may sign for it
    that day (``pending_rows``); past the end, no row. On PostgreSQL the pact's units are walked in its order
    (index ``pact_signatory_order``) until the page is found: a page costs the units up to its last one, not
    every unit of the pact and its signatures."""
    if connection.vendor != "postgresql":
        return pending_slot_rows(list(pact_pending_slot_values(pact)[start:stop]), day)
    params = {"pact": pact.pk, "day": day, "limit": stop - start, "offset": start}
    with connection.cursor() as cursor:
        cursor.execute(PENDING_PAGE_SQL, params)
        found = cursor.fetchall()
    slots: dict[int, PendingSlot] = {}
    held = []
    for unit_id, unit_name, order, *appointment in found:
        slots.setdefault(unit_id, PendingSlot(unit_id, unit_name, order))
        if appointment[-1] is not None:
            held.append((unit_id, *appointment))
    signers = _signers_by_unit(held)
    return [SlotProgress(slot, None, signers.get(unit_id, [])) for unit_id, slot in slots.items()]


def pending_slots_of_signer(pact: Pact, user, day: date) -> list[PactSignatory]:
    """The pending units this person leads that day (so may sign for), whatever page shows them: one query,
    and one more for a person who leads a unit that day."""
    if not user.is_authenticated:
        return []
    led = appointments_held_on(day, user=user)
    # Most who follow a pact lead no unit: one light query tells, and the pending slots are not searched.
    led_ids = list(led.order_by().values_list("unit_id", flat=True))
    return list(pact_pending_slots(pact).filter(unit_id__in=led_ids)) if led_ids else []


def pacts_with_progress(year: int, *, campaign: Campaign | None = None, status: str = "") -> QuerySet[Pact]:
    """The pacts of a year (or of one campaign) with ``region_name_on_day``, ``slot_count`` and
    ``signature_count``, by region, block and newest version first: one query."""
    pacts = Pact.objects.filter(campaign__year=year).select_related("campaign__region")
    if campaign is not None:
        pacts = pacts.filter(campaign=campaign)
    if status:
        pacts = pacts.filter(status=status)
    pacts = with_region_names_on(pacts_with_counts(pacts), year_reference_day(year), region_path="campaign__region")
    return pacts.order_by("region_name_on_day", "campaign_id", "block", "-version")


def pact_status_counts(year: int, *, campaign: Campaign | None = None) -> dict[str, int]:
    """How many pacts of the year (or of the campaign) are in each status, in one query."""
    pacts = Pact.objects.filter(campaign__year=year)
    if campaign is not None:
        pacts = pacts.filter(campaign=campaign)
    counts = dict(pacts.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Pact.Status.values}


def campaign_years() -> list[int]:
    """The years that have a campaign, newest first."""
    return years_of_campaigns(Campaign.objects.all())


def audit_events_of(pact: Pact, *, action: str = "") -> QuerySet[AuditEvent]:
    """A pact's audit trail in the order it was written (names are snapshots: no join is needed)."""
    events = AuditEvent.objects.filter(pact=pact)
    if action:
        events = events.filter(action=action)
    return events.order_by("at", "id")


# ---------------------------------------------------------------------------------------------
# The pact's PDF: the panel of the pact page, the public verification page, the job list, the archive
# ---------------------------------------------------------------------------------------------


@dataclass
class PdfJobs:
    """A pact's jobs as its page shows them: the latest final job, the current document, the latest preview."""

    latest: PdfJob | None = None
    current: PdfJob | None = None
    preview: PdfJob | None = None


def pdf_jobs_of_pact(pact: Pact) -> PdfJobs:
    """One query: a pact has a handful of jobs (one per rendering or preview)."""
    found = PdfJobs()
    for job in PdfJob.objects.filter(pact=pact).order_by("-version"):
        if job.draft:
            found.preview = found.preview or job
            continue
        found.latest = found.latest or job
        if job.status == PdfJob.Status.READY and found.current is None:
            found.current = job
    return found


def issued_pdf_jobs(pact: Pact) -> list[PdfJob]:
    """The documents issued for the pact: every ready final version, oldest first, with its hash."""
    return list(PdfJob.objects.filter(pact=pact, draft=False, status=PdfJob.Status.READY).order_by("version"))


# A verification code is a URL-safe token (new_verification_code) of at most the column's 32 characters.
_VERIFICATION_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def pact_for_verification(code: str) -> Pact | None:
    """The pact a verification code names; None for anything that cannot be a code (a NUL, which PostgreSQL
    refuses in a query, or any other character no code holds), without asking the database."""
    if not _VERIFICATION_CODE.fullmatch(code):
        return None
    return Pact.objects.select_related("campaign__region").filter(verification_code=code).first()


def signatories_with_signatures(pact: Pact, start: int, stop: int) -> list[tuple[PactSignatory, PactSignature | None]]:
    """The signatory units ``start`` to ``stop`` (excluded) in the pact's order, each with its signature if given:
    two queries, the second for those units' signatures only."""
    slots = list(pact.signatories.order_by("order", "pk")[start:stop])
    signatures = pact.signatures.filter(unit_id__in=[slot.unit_id for slot in slots])
    by_unit = {signature.unit_id: signature for signature in signatures}
    return [(slot, by_unit.get(slot.unit_id)) for slot in slots]


def _region_name_on_pact_date(pact_path: str = "pact__") -> Coalesce:
    """The region's name as of the pact's date, as an annotation (``pact_path`` leads from the rows to the pact)."""
    names = RegionName.objects.filter(
        region=OuterRef(f"{pact_path}campaign__region"), valid_from__lte=OuterRef(f"{pact_path}signed_on")
    ).order_by("-valid_from")
    return Coalesce(Subquery(names.values("name")[:1]), f"{pact_path}campaign__region__name")


def pdf_jobs_for_list(*, status: str = "") -> QuerySet[PdfJob]:
    """Every job, newest first, with its pact, campaign and region (``region_name_on_day``: as of the pact's date)."""
    jobs = PdfJob.objects.select_related("pact__campaign__region", "requested_by")
    if status:
        jobs = jobs.filter(status=status)
    return jobs.annotate(region_name_on_day=_region_name_on_pact_date()).order_by("-created_at", "-pk")


def pdf_job_status_counts() -> dict[str, int]:
    counts = dict(PdfJob.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in PdfJob.Status.values}


def years_with_executed_pacts() -> list[int]:
    executed = Pact.objects.filter(status=Pact.Status.EXECUTED).order_by("-campaign__year")
    return list(executed.values_list("campaign__year", flat=True).distinct())


def archive_pdf_jobs(year: int) -> list[PdfJob]:
    """The current document of every executed pact of the year (its latest ready final version), by region."""
    newer = PdfJob.objects.filter(
        pact=OuterRef("pact"), draft=False, status=PdfJob.Status.READY, version__gt=OuterRef("version")
    )
    jobs = PdfJob.objects.filter(
        pact__campaign__year=year, pact__status=Pact.Status.EXECUTED, draft=False, status=PdfJob.Status.READY
    ).filter(~Exists(newer))
    jobs = jobs.select_related("pact__campaign__region").annotate(region_name_on_day=_region_name_on_pact_date())
    return list(jobs.order_by("region_name_on_day", "pact__block", "pact_id"))


def executed_pacts_without_pdf(year: int) -> list[Pact]:
    ready = PdfJob.objects.filter(pact=OuterRef("pk"), draft=False, status=PdfJob.Status.READY)
    pacts = Pact.objects.filter(campaign__year=year, status=Pact.Status.EXECUTED).filter(~Exists(ready))
    pacts = pacts.select_related("campaign__region").annotate(region_name_on_day=_region_name_on_pact_date(""))
    return list(pacts.order_by("region_name_on_day", "block", "pk"))


# ---------------------------------------------------------------------------------------------
# Why a person cannot sign (or draft) a pact, and whom to ask: no page is a dead end
# ---------------------------------------------------------------------------------------------


class ObstacleCode:
    """The reasons a person cannot sign a pact, or (a region officer) cannot draft and open it."""

    NO_UNIT = "no_unit"
    NOT_PARTY = "not_party"
    NO_APPOINTMENT = "no_appointment"
    DRAFT = "draft"
    EXECUTED = "executed"
    WITHDRAWN = "withdrawn"
    DEADLINE_PASSED = "deadline_passed"
    SIGNED = "signed"
    NOT_HEAD_UNIT = "not_head_unit"


@dataclass(frozen=True)
class Obstacle:
    """Why: ``message``; whom to ask and for what: ``ask`` (empty when nobody can help); ``contacts``: the
    region officers named in ``ask``, for their e-mail addresses; ``pact``: the pact it is about, if any."""

    code: str
    message: str
    ask: str = ""
    contacts: tuple = ()
    pact: Pact | None = None


def _day_label(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def region_officers_of(region: Region, year: int) -> list:
    """The active region officers of the region's head unit that year: the people who draft and open its pact."""
    head = RegionMembership.objects.filter(region=region, year=year, role=RegionMembership.Role.HEAD).first()
    if head is None:
        return []
    officers = User.objects.filter(is_active=True, groups__name=Role.REGION.value, unit_id=head.unit_id)
    return list(officers.distinct().order_by("full_name", "pk"))


def _names(people) -> str:
    return ", ".join(person.full_name or person.username for person in people)


def _ask_for_appointment(unit_name: str, officers: list) -> str:
    if officers:
        return _(
            "Ask the region officer (%(officers)s) or ministry staff to add your appointment as a leader of "
            "%(unit)s on the unit's page."
        ) % {"officers": _names(officers), "unit": unit_name}
    return _("Ask ministry staff to add your appointment as a leader of %(unit)s on the unit's page.") % {
        "unit": unit_name
    }


def _no_appointment(unit_name: str, day: date, officers: list, pact: Pact | None = None) -> Obstacle:
    return Obstacle(
        ObstacleCode.NO_APPOINTMENT,
        _(
            "You are not recorded as the head, acting head or a deputy head of %(unit)s on %(day)s: only a "
            "leader appointed for that date signs for the unit."
        )
        % {"unit": unit_name, "day": _day_label(day)},
        _ask_for_appointment(unit_name, officers),
        tuple(officers),
        pact,
    )


def _no_unit() -> Obstacle:
    return Obstacle(
        ObstacleCode.NO_UNIT,
        _("Your account is not linked to any unit and you lead no unit today, so no pact awaits your signature."),
        _(
            "Ask ministry staff to set your unit on your account (Users) and to add your appointment as its "
            "leader on the unit's page."
        ),
    )


def _status_obstacle(pact: Pact, now, officers: list) -> Obstacle | None:
    if pact.status == Pact.Status.DRAFT:
        ask = _("The region officer (%(officers)s) opens it.") % {"officers": _names(officers)} if officers else ""
        message = _("This pact is still a draft: it can be signed once it is opened for signing.")
        return Obstacle(ObstacleCode.DRAFT, message, ask, tuple(officers), pact)
    if pact.status == Pact.Status.EXECUTED:
        return Obstacle(ObstacleCode.EXECUTED, _("Every unit has signed: this pact is already executed."), pact=pact)
    if pact.status == Pact.Status.WITHDRAWN:
        message = _("This pact has been withdrawn and can no longer be signed.")
        return Obstacle(ObstacleCode.WITHDRAWN, message, pact=pact)
    if pact.deadline and now > pact.deadline:
        deadline = timezone.localtime(pact.deadline).strftime("%d/%m/%Y %H:%M")
        if officers:
            ask = _(
                "Ask the region officer (%(officers)s) or ministry staff: a pact past its deadline is withdrawn "
                "and opened again as a new version with a new deadline."
            ) % {"officers": _names(officers)}
        else:
            ask = _(
                "Ask ministry staff: a pact past its deadline is withdrawn and opened again as a new version "
                "with a new deadline."
            )
        message = _("The signing deadline (%(deadline)s) has passed.") % {"deadline": deadline}
        return Obstacle(ObstacleCode.DEADLINE_PASSED, message, ask, tuple(officers), pact)
    return None


def signing_obstacle(user, pact: Pact, day: date, *, unit: Unit | None = None, now=None) -> Obstacle | None:
    """Why this person cannot sign the pact on ``day`` (for ``unit``, or for any unit they act for), and whom
    to ask; None when they can sign it for at least one unit. The same checks as services.pact_sign_check,
    read without signing and worded for the person."""
    now = now or timezone.now()
    officers = region_officers_of(pact.campaign.region, pact.campaign.year)
    blocked = _status_obstacle(pact, now, officers)
    if blocked is not None:
        return blocked
    signed = set(pact.signatures.values_list("unit_id", flat=True))
    if unit is not None:
        slot = pact.signatories.filter(unit=unit).first()
        if slot is None:
            return _not_party(pact, [unit.name], officers)
        if unit.pk in signed:
            message = _("%(unit)s has already signed this pact.") % {"unit": slot.unit_name}
            return Obstacle(ObstacleCode.SIGNED, message, pact=pact)
        if signing_appointment(user=user, unit=unit, day=day) is None:
            return _no_appointment(slot.unit_name, day, officers, pact)
        return None
    acting = acting_unit_ids(user, day)
    if not acting:
        return _no_unit()
    slots = list(pact.signatories.filter(unit_id__in=acting).select_related("unit").order_by("order"))
    if not slots:
        return _not_party(pact, unit_names_on(acting, day).values(), officers)
    pending = [slot for slot in slots if slot.unit_id not in signed]
    if not pending:
        names = ", ".join(slot.unit_name for slot in slots)
        message = _("%(unit)s has already signed this pact.") % {"unit": names}
        return Obstacle(ObstacleCode.SIGNED, message, pact=pact)
    for slot in pending:
        if signing_appointment(user=user, unit=slot.unit, day=day) is not None:
            return None
    return _no_appointment(pending[0].unit_name, day, officers, pact)


def _not_party(pact: Pact, unit_names, officers: list) -> Obstacle:
    message = _("No unit you act for (%(units)s) is a party to this pact.") % {"units": ", ".join(unit_names)}
    if officers:
        ask = _(
            "If your unit should sign it, ask the region officer (%(officers)s) or ministry staff: the parties "
            "are fixed when a pact opens, so a unit is added in a new version of the pact."
        ) % {"officers": _names(officers)}
    else:
        ask = _(
            "If your unit should sign it, ask ministry staff: the parties are fixed when a pact opens, so a unit "
            "is added in a new version of the pact."
        )
    return Obstacle(ObstacleCode.NOT_PARTY, message, ask, tuple(officers), pact)


def signing_obstacles_of(user, day: date) -> list[Obstacle]:
    """For a leader's "pacts to sign" and home page: what keeps pacts from awaiting their signature. An account
    without a unit; else, for their own unit when they do not lead it that day, each open pact awaiting the
    unit (or, with none open, the unit itself)."""
    if not is_leader(user):
        return []
    acting = acting_unit_ids(user, day)
    if not acting:
        return [_no_unit()]
    if user.unit_id is None or user.unit_id in signer_appointments_on(user, day):
        return []
    unit_name = unit_names_on([user.unit_id], day).get(user.unit_id) or user.unit.name
    waiting = list(slots_to_sign([user.unit_id]))
    if waiting:
        return [
            _no_appointment(
                slot.unit_name, day, region_officers_of(slot.pact.campaign.region, slot.pact.campaign.year), slot.pact
            )
            for slot in waiting
        ]
    membership = RegionMembership.objects.filter(unit_id=user.unit_id, year=day.year).select_related("region").first()
    officers = region_officers_of(membership.region, day.year) if membership else []
    return [_no_appointment(unit_name, day, officers)]


def _heads_no_region(message: str, ceased: str) -> Obstacle:
    return Obstacle(
        ObstacleCode.NOT_HEAD_UNIT,
        f"{message} {ceased}".strip(),
        _(
            "If you work for the head unit, ask ministry staff to link your account to it (Users); its region "
            "officers draft and open the region's campaign and pact."
        ),
    )


def _ceased(unit: Unit, day: date) -> str:
    if unit.active_to and unit.active_to < day:
        return _("%(unit)s ceased to exist on %(day)s.") % {"unit": unit.name, "day": _day_label(unit.active_to)}
    return ""


def drafting_obstacle(user, *, campaign: Campaign | None = None, year: int | None = None) -> Obstacle | None:
    """Why a region officer cannot draft and open a campaign's pact (or, with ``year``, any region's that year):
    their account has no unit, or their unit is not the region's head unit. None for anyone else."""
    if not is_region_officer(user) or is_ministry(user):
        return None
    today = timezone.localdate()
    if user.unit_id is None:
        return Obstacle(
            ObstacleCode.NO_UNIT,
            _("Your account is not linked to any unit, so no region's campaign or pact is yours to draft."),
            _("Ask ministry staff to link your account to your region's head unit (Users)."),
        )
    unit = user.unit
    year = campaign.year if campaign is not None else (year or today.year)
    day = year_reference_day(year)
    unit_name = unit_names_on([unit.pk], day).get(unit.pk) or unit.name
    heads = RegionMembership.objects.filter(
        role=RegionMembership.Role.HEAD, year=year, unit_id__in=acting_unit_ids(user)
    )
    if campaign is None:
        if heads.exists():
            return None
        message = _("Your account is linked to %(unit)s, which heads no region in %(year)s.") % {
            "unit": unit_name,
            "year": year,
        }
        return _heads_no_region(message, _ceased(unit, today))
    if heads.filter(region_id=campaign.region_id).exists():
        return None
    head = (
        RegionMembership.objects.filter(region_id=campaign.region_id, year=year, role=RegionMembership.Role.HEAD)
        .select_related("unit")
        .first()
    )
    values = {"unit": unit_name, "year": year, "region": region_name_on(campaign.region, day)}
    if head is not None:
        values["head"] = unit_names_on([head.unit_id], day).get(head.unit_id) or head.unit.name
        message = (
            _("Your account is linked to %(unit)s, which is not the head unit of %(region)s in %(year)s (%(head)s is).")
            % values
        )
    else:
        message = _("Your account is linked to %(unit)s; %(region)s has no head unit in %(year)s.") % values
    return _heads_no_region(message, _ceased(unit, today))
