"""The figures of a year, for the dashboards, their .xlsx and the reports: one set of reads for all three, so a
page, its workbook and a report drafted from it show the same numbers.

A ``Scope`` is a year and what it covers: the whole country, some regions, or a leader's units. Every figure is
an aggregate in SQL (``values`` / ``annotate`` / ``Count``), a fixed number of queries whatever the number of
regions, units, pacts and registrations; lists of units (those to nudge) are cut at ``NUDGE_LIMIT`` rows with
their full count beside them. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Floor, RowNumber, TruncMonth
from django.utils import timezone

from awards.models import Award, AwardRegistration, ScoreSheet, Vote, VoteCount
from awards.selectors.reports import GROUP_OF_KIND, KIND_GROUPS
from pacts.models import Campaign, Pact, PactSignatory, PactSignature
from regions.models import Region, RegionMembership, Unit
from regions.selectors import names_change_after, with_region_names_on, with_unit_names_on, year_reference_day

NUDGE_LIMIT = 50
YEARS_BACK = 5
# Score distribution: bins of this many points (the tables' maxima are 100 to 200 points).
SCORE_BIN = 10
SIGNING_PACTS = (Pact.Status.OPEN, Pact.Status.EXECUTED)
SENT_SHEETS = (ScoreSheet.Status.SUBMITTED, ScoreSheet.Status.REVIEWED)


@dataclass(frozen=True)
class Scope:
    """What a dashboard covers: ``region_ids`` None and ``unit_ids`` None is the whole country."""

    year: int
    region_ids: tuple[int, ...] | None = None
    unit_ids: tuple[int, ...] | None = None

    @property
    def day(self) -> date:
        return year_reference_day(self.year)

    def of_year(self, year: int) -> Scope:
        return Scope(year, self.region_ids, self.unit_ids)


# --- filters of each kind of row, by scope ---------------------------------------------------------
# Each starts without the model's default ordering: the ordering's joins (regions, titles, units) would be
# made for nothing in a grouped read.


def _years(scope: Scope, first: int | None, path: str) -> Q:
    """The scope's year, or (``first`` given) the years from ``first`` to the scope's."""
    if first is None:
        return Q(**{path: scope.year})
    return Q(**{f"{path}__gte": first, f"{path}__lte": scope.year})


def _campaigns(scope: Scope, first: int | None = None) -> QuerySet[Campaign]:
    found = Campaign.objects.filter(_years(scope, first, "year")).order_by()
    if scope.region_ids is not None:
        found = found.filter(region_id__in=scope.region_ids)
    if scope.unit_ids is not None:
        found = found.filter(
            Exists(
                RegionMembership.objects.filter(
                    region=OuterRef("region"), year=OuterRef("year"), unit_id__in=scope.unit_ids
                )
            )
        )
    return found


def _members(scope: Scope) -> QuerySet[RegionMembership]:
    found = RegionMembership.objects.filter(year=scope.year).order_by()
    if scope.region_ids is not None:
        found = found.filter(region_id__in=scope.region_ids)
    if scope.unit_ids is not None:
        found = found.filter(unit_id__in=scope.unit_ids)
    return found


def _membership(year) -> FilteredRelation:
    """The row's unit's membership of that year (``year`` a number or an ``F`` of the row): at most one, a unit
    being in one region a year (``membership_one_region_per_unit_year``), so the join repeats no row."""
    return FilteredRelation("unit__memberships", condition=Q(unit__memberships__year=year))


def _by_unit(rows: QuerySet, scope: Scope) -> QuerySet:
    """Rows of the scope's units, a ``membership`` annotated: the members of its regions that year (the
    country: every row)."""
    if scope.unit_ids is not None:
        return rows.filter(unit_id__in=scope.unit_ids)
    if scope.region_ids is not None:
        return rows.filter(membership__region_id__in=scope.region_ids)
    return rows


def _slots(scope: Scope, first: int | None = None) -> QuerySet[PactSignatory]:
    """Signatory units of the pacts open or executed, each with its ``signature`` if made (a left join on the
    unique (pact, unit) of the signatures: one hash join, not a probe per slot)."""
    found = PactSignatory.objects.filter(_years(scope, first, "pact__campaign__year"), pact__status__in=SIGNING_PACTS)
    if scope.region_ids is not None:
        found = found.filter(pact__campaign__region_id__in=scope.region_ids)
    if scope.unit_ids is not None:
        found = found.filter(unit_id__in=scope.unit_ids)
    signature = FilteredRelation("pact__signatures", condition=Q(pact__signatures__unit=F("unit")))
    return found.annotate(signature=signature).order_by()


def _registrations(scope: Scope, first: int | None = None) -> QuerySet[AwardRegistration]:
    found = AwardRegistration.objects.filter(_years(scope, first, "campaign__year")).order_by()
    if scope.region_ids is not None:
        found = found.filter(campaign__region_id__in=scope.region_ids)
    if scope.unit_ids is not None:
        found = found.filter(unit_id__in=scope.unit_ids)
    return found


def _sheets(scope: Scope) -> QuerySet[ScoreSheet]:
    found = ScoreSheet.objects.filter(table__year=scope.year).annotate(membership=_membership(scope.year))
    return _by_unit(found.order_by(), scope)


def _votes(scope: Scope) -> QuerySet[Vote]:
    found = Vote.objects.filter(campaign__year=scope.year).order_by()
    if scope.region_ids is not None:
        found = found.filter(campaign__region_id__in=scope.region_ids)
    if scope.unit_ids is not None:
        found = found.filter(
            Exists(VoteCount.objects.filter(vote=OuterRef("pk"), registration__unit_id__in=scope.unit_ids))
        )
    return found


def _awards(scope: Scope, first: int | None = None) -> QuerySet[Award]:
    found = Award.objects.filter(_years(scope, first, "year")).annotate(membership=_membership(F("year")))
    return _by_unit(found.order_by(), scope)


# --- the reads: each one grouped query, its rows bounded by regions, years, statuses and titles ---------


@dataclass(frozen=True)
class RegionName:
    pk: int
    slug: str
    name: str
    units: int  # the scope's member units in it that year


def _rostered_regions(scope: Scope) -> list[RegionName]:
    """The regions with a roster in the scope that year, named as that year, with their member units."""
    members = _members(scope)
    units = members.filter(region=OuterRef("pk")).values("region").annotate(n=Count("pk")).values("n")
    regions = Region.objects.filter(Exists(members.filter(region=OuterRef("pk")))).annotate(units=Subquery(units))
    rows = with_region_names_on(regions, scope.day).values_list("pk", "slug", "region_name_on_day", "units")
    return sorted((RegionName(*row) for row in rows), key=lambda region: (region.name, region.pk))


@dataclass(frozen=True)
class SlotCount:
    slots: int = 0
    signed: int = 0
    unsigned_open: int = 0  # pending signatures of pacts still open (the units to nudge)


def _slot_counts(scope: Scope, first: int) -> dict[tuple[int, int], SlotCount]:
    """Signatory units, signed, and pending on an open pact, by year and region."""
    rows = (
        _slots(scope, first)
        .values_list("pact__campaign__year", "pact__campaign__region_id")
        .annotate(
            n=Count("pk"),
            signed=Count("signature__pk"),
            pending=Count("pk", filter=Q(signature__isnull=True, pact__status=Pact.Status.OPEN)),
        )
    )
    return {(year, region): SlotCount(n, signed, pending) for year, region, n, signed, pending in rows}


def _sum(counts: dict, year: int, attribute: str) -> int:
    return sum(getattr(count, attribute) for (each, _region), count in counts.items() if each == year)


@dataclass(frozen=True)
class RegistrationCount:
    region_id: int
    status: str
    title_id: int
    title_name: str
    title_position: int
    unit_kind: str
    n: int


def _registration_counts(scope: Scope) -> list[RegistrationCount]:
    """The year's registrations by region, status, title and kind of unit."""
    rows = _registrations(scope).values_list(
        "campaign__region_id", "status", "title_id", "title__name", "title__position", "unit__kind"
    )
    return [RegistrationCount(*row) for row in rows.annotate(n=Count("pk"))]


def _sheet_counts(scope: Scope) -> dict[tuple[int | None, str], int]:
    """The year's score sheets by region (their unit's, that year) and status."""
    rows = _sheets(scope).values_list("membership__region_id", "status").annotate(n=Count("pk"))
    return {(region, status): n for region, status, n in rows}


def _vote_counts(scope: Scope) -> dict[int, tuple[int, int]]:
    """Votes held and the units they proposed, by region."""
    proposed = Q(counts__proposed=True)
    if scope.unit_ids is not None:
        proposed &= Q(counts__registration__unit_id__in=scope.unit_ids)
    rows = (
        _votes(scope)
        .values_list("campaign__region_id")
        .annotate(n=Count("pk", distinct=True), proposed=Count("counts", filter=proposed, distinct=True))
    )
    return {region: (n, proposed_) for region, n, proposed_ in rows}


@dataclass(frozen=True)
class AwardCount:
    year: int
    region_id: int | None
    title_id: int
    title_name: str
    title_position: int
    decision_id: int | None
    n: int


def _award_counts(scope: Scope, first: int) -> list[AwardCount]:
    """Awards by year, region (their unit's, that year), title and decision."""
    rows = _awards(scope, first).values_list(
        "year", "membership__region_id", "title_id", "title__name", "title__position", "decision_id"
    )
    return [AwardCount(*row) for row in rows.annotate(n=Count("pk"))]


@dataclass
class Reads:
    """What every figure is built from: the grouped reads, made once."""

    scope: Scope
    first: int  # the first of the years compared
    regions: list[RegionName]
    campaigns: list[tuple[int, int, str]]  # (year, region, status)
    slots: dict[tuple[int, int], SlotCount]
    registrations: list[RegistrationCount]
    sheets: dict[tuple[int | None, str], int]
    votes: dict[int, tuple[int, int]]
    awards: list[AwardCount]

    @property
    def region_names(self) -> dict[int, str]:
        return {region.pk: region.name for region in self.regions}

    @property
    def current_campaigns(self) -> dict[int, str]:
        return {region: status for year, region, status in self.campaigns if year == self.scope.year}


def _reads(scope: Scope) -> Reads:
    """Seven queries."""
    first = scope.year - YEARS_BACK + 1
    return Reads(
        scope=scope,
        first=first,
        regions=_rostered_regions(scope),
        campaigns=list(_campaigns(scope, first).values_list("year", "region_id", "status")),
        slots=_slot_counts(scope, first),
        registrations=_registration_counts(scope),
        sheets=_sheet_counts(scope),
        votes=_vote_counts(scope),
        awards=_award_counts(scope, first),
    )


# --- the figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """A labelled number: a row of a figure's table and a bar of its chart."""

    key: str
    label: str
    value: int | Decimal


@dataclass
class CampaignState:
    regions: int  # regions with a roster that year
    units: int  # member units that year
    by_status: list[Pair]
    without_campaign: int

    @property
    def campaigns(self) -> int:
        return sum(pair.value for pair in self.by_status)


def campaign_state(reads: Reads) -> CampaignState:
    """No query: the rosters and the campaigns read."""
    current = reads.current_campaigns
    counts: dict[str, int] = defaultdict(int)
    for status in current.values():
        counts[status] += 1
    return CampaignState(
        regions=len(reads.regions),
        units=sum(region.units for region in reads.regions),  # a unit is in one region a year
        by_status=[Pair(value, str(label), counts.get(value, 0)) for value, label in Campaign.Status.choices],
        without_campaign=sum(1 for region in reads.regions if region.pk not in current),
    )


@dataclass
class Signing:
    pacts_open: int
    pacts_executed: int
    slots: int
    signed: int
    nearest_deadline: datetime | None
    by_month: list[Pair]  # signatures made in each month, cumulative

    @property
    def pending(self) -> int:
        return self.slots - self.signed

    @property
    def percent(self) -> int:
        return round(100 * self.signed / self.slots) if self.slots else 0

    def days_to_deadline(self, today: date) -> int | None:
        if self.nearest_deadline is None:
            return None
        return (timezone.localdate(self.nearest_deadline) - today).days


def signing(reads: Reads) -> Signing:
    """Two queries: the pacts by status with the nearest open deadline, and the signatures month by month."""
    scope = reads.scope
    pacts = Pact.objects.filter(campaign__in=_campaigns(scope), status__in=SIGNING_PACTS).order_by()
    if scope.unit_ids is not None:
        pacts = pacts.filter(Exists(PactSignatory.objects.filter(pact=OuterRef("pk"), unit_id__in=scope.unit_ids)))
    by_status = {row["status"]: row for row in pacts.values("status").annotate(n=Count("pk"), nearest=Min("deadline"))}
    # The signatures themselves: each is made on a slot (pacts.services.pact_sign), one per (pact, unit).
    signatures = PactSignature.objects.filter(pact__campaign__year=scope.year, pact__status__in=SIGNING_PACTS)
    if scope.region_ids is not None:
        signatures = signatures.filter(pact__campaign__region_id__in=scope.region_ids)
    if scope.unit_ids is not None:
        signatures = signatures.filter(unit_id__in=scope.unit_ids)
    months = (
        signatures.annotate(month=TruncMonth("signed_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    running, by_month = 0, []
    for month, n in months:
        running += n
        by_month.append(Pair(f"{month:%Y-%m}", f"{month:%m/%Y}", running))
    opened = by_status.get(Pact.Status.OPEN, {})
    return Signing(
        pacts_open=opened.get("n", 0),
        pacts_executed=by_status.get(Pact.Status.EXECUTED, {}).get("n", 0),
        slots=_sum(reads.slots, scope.year, "slots"),
        signed=_sum(reads.slots, scope.year, "signed"),
        nearest_deadline=opened.get("nearest"),
        by_month=by_month,
    )


@dataclass
class TitleRow:
    title_id: int
    name: str
    counts: dict[str, int] = field(default_factory=dict)  # kind group code → registrations

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Registrations:
    groups: list[tuple[str, str]]  # (code, label) of the kind groups that have registrations
    rows: list[TitleRow]
    by_status: list[Pair]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    def group_total(self, code: str) -> int:
        return sum(row.counts.get(code, 0) for row in self.rows)


def registrations(reads: Reads) -> Registrations:
    """No query: registered ("sent and not taken back") by title and kind group, every registration by status."""
    rows: dict[int, TitleRow] = {}
    order: dict[int, tuple[int, str]] = {}
    statuses: dict[str, int] = defaultdict(int)
    for count in reads.registrations:
        statuses[count.status] += count.n
        if count.status not in AwardRegistration.REGISTERED:
            continue
        row = rows.setdefault(count.title_id, TitleRow(count.title_id, count.title_name))
        order[count.title_id] = (count.title_position, count.title_name)
        group = GROUP_OF_KIND.get(count.unit_kind, "other")
        row.counts[group] = row.counts.get(group, 0) + count.n
    present = {group for row in rows.values() for group in row.counts}
    return Registrations(
        groups=[(group.code, str(group.label)) for group in KIND_GROUPS if group.code in present],
        rows=sorted(rows.values(), key=lambda row: (*order[row.title_id], row.title_id)),
        by_status=[
            Pair(value, str(label), statuses[value])
            for value, label in AwardRegistration.Status.choices
            if statuses[value]
        ],
    )


@dataclass
class Scoring:
    units: int  # member units (the sheets expected at most)
    by_status: list[Pair]
    distribution: list[Pair]  # sheets sent or reviewed, by final score bin
    scored: int

    def count(self, status: str) -> int:
        return next((pair.value for pair in self.by_status if pair.key == status), 0)


def _score_bins(scope: Scope) -> list[tuple[int, int]]:
    """(lowest points of the bin, sheets) of the sheets sent or reviewed, binned in SQL (one query) on each
    sheet's final total as the scoring services keep it (``ScoreSheet.cached_final_total``: reviewed points
    where given, else the unit's own; criteria + bonus − deductions), the total the ranking sorts on."""
    bins = (
        _sheets(scope)
        .filter(status__in=SENT_SHEETS)
        .annotate(low=Floor(F("cached_final_total") / SCORE_BIN))
        .values("low")
        .annotate(n=Count("pk"))
        .values_list("low", "n")
    )
    return sorted((int(low) * SCORE_BIN, n) for low, n in bins)


def scoring(reads: Reads, units: int) -> Scoring:
    """One query (the distribution); the sheets by status are read."""
    counts: dict[str, int] = defaultdict(int)
    for (_region, status), n in reads.sheets.items():
        counts[status] += n
    bins = _score_bins(reads.scope)
    return Scoring(
        units=units,
        by_status=[Pair(value, str(label), counts[value]) for value, label in ScoreSheet.Status.choices],
        distribution=[Pair(str(low), f"{low}–{low + SCORE_BIN}", n) for low, n in bins],
        scored=sum(n for _low, n in bins),
    )


@dataclass
class Outcomes:
    votes: int
    proposed: int  # units the votes proposed
    decisions: int
    awards: list[Pair]  # by title

    @property
    def awarded(self) -> int:
        return sum(pair.value for pair in self.awards)


def outcomes(reads: Reads) -> Outcomes:
    """No query: votes and the units they proposed, decisions and awards by title."""
    year = reads.scope.year
    titles: dict[int, tuple[int, str]] = {}
    by_title: dict[int, int] = defaultdict(int)
    decisions = set()
    for count in reads.awards:
        if count.year != year:
            continue
        titles[count.title_id] = (count.title_position, count.title_name)
        by_title[count.title_id] += count.n
        if count.decision_id is not None:
            decisions.add(count.decision_id)
    return Outcomes(
        votes=sum(n for n, _proposed in reads.votes.values()),
        proposed=sum(proposed for _n, proposed in reads.votes.values()),
        decisions=len(decisions),
        awards=[Pair(str(pk), titles[pk][1], by_title[pk]) for pk in sorted(titles, key=lambda pk: (*titles[pk], pk))],
    )


@dataclass(frozen=True)
class Nudge:
    unit_id: int
    unit_name: str
    region_name: str
    reason: str  # "unsigned", "returned", "draft_registration", "sheet_not_sent"
    detail: str
    due: date | None = None


@dataclass
class Nudges:
    """Units that need a nudge, by reason: the first NUDGE_LIMIT of each, and how many there are."""

    lists: dict[str, list[Nudge]]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


NUDGE_REASONS = ("unsigned", "returned", "draft_registration", "sheet_not_sent")


def nudges(reads: Reads, *, limit: int | None = NUDGE_LIMIT) -> Nudges:
    """Pending signatures of open pacts, registrations returned or never sent, score sheets not sent: the counts
    are read; the lists, the first ``limit`` of each (all with ``limit`` None) with the unit named as that year,
    take four queries (whether a unit was renamed since; the returned and the unsent registrations in one, cut
    per status by a window; the signatures; the sheets)."""
    scope, day = reads.scope, reads.scope.day
    region_names = reads.region_names
    Status = AwardRegistration.Status
    renamed = names_change_after(day)

    def named(rows: QuerySet) -> QuerySet:
        """``name_on_day``: when no unit took a name after that day, its name is that day's (no subquery a row)."""
        if renamed:
            return with_unit_names_on(rows, day, unit_path="unit")
        return rows.annotate(name_on_day=F("unit__name"))

    unsigned = (
        _slots(scope)
        .filter(pact__status=Pact.Status.OPEN, signature__isnull=True)
        .order_by("pact__deadline", "unit_name", "pk")
        .values_list("unit_id", "unit_name", "pact__campaign__region_id", "pact__title", "pact__deadline")
    )
    registrations = named(_registrations(scope).filter(status__in=(Status.RETURNED, Status.DRAFT)))
    if limit is not None:
        place = Window(RowNumber(), partition_by=[F("status")], order_by=[F("name_on_day").asc(), F("pk").asc()])
        registrations = registrations.annotate(place=place).filter(place__lte=limit)
    registrations = registrations.order_by("name_on_day", "pk").values_list(
        "status", "unit_id", "name_on_day", "campaign__region_id", "title__name"
    )
    sheets = (
        named(_sheets(scope).filter(status=ScoreSheet.Status.DRAFT))
        .order_by("name_on_day", "pk")
        .values_list("unit_id", "name_on_day", "membership__region_id", "table__name")
    )
    cut = (lambda rows: rows[:limit]) if limit is not None else (lambda rows: rows)
    lists: dict[str, list[Nudge]] = {reason: [] for reason in NUDGE_REASONS}
    for unit_id, name, region, title, deadline in cut(unsigned):
        due = timezone.localdate(deadline) if deadline else None
        lists["unsigned"].append(Nudge(unit_id, name, region_names.get(region, ""), "unsigned", title, due))
    for status, unit_id, name, region, title in registrations:
        reason = "returned" if status == Status.RETURNED else "draft_registration"
        lists[reason].append(Nudge(unit_id, name, region_names.get(region, ""), reason, title))
    for unit_id, name, region, table in cut(sheets):
        lists["sheet_not_sent"].append(Nudge(unit_id, name, region_names.get(region, ""), "sheet_not_sent", table))
    return Nudges(lists=lists, counts=_nudge_counts(reads))


def _nudge_counts(reads: Reads) -> dict[str, int]:
    """How many units each list to nudge holds, from the grouped reads."""
    Status = AwardRegistration.Status
    registered = defaultdict(int)
    for count in reads.registrations:
        registered[count.status] += count.n
    return {
        "unsigned": _sum(reads.slots, reads.scope.year, "unsigned_open"),
        "returned": registered[Status.RETURNED],
        "draft_registration": registered[Status.DRAFT],
        "sheet_not_sent": sum(n for (_r, status), n in reads.sheets.items() if status == ScoreSheet.Status.DRAFT),
    }


def nudge_total(scope: Scope) -> int:
    """The units the lists to nudge name in all (the dashboard's workbook has a row for each), from the grouped
    reads alone."""
    return sum(_nudge_counts(_reads(scope)).values())


@dataclass
class YearRow:
    year: int
    campaigns: int
    slots: int
    signed: int
    registered: int
    awarded: int


def years(reads: Reads) -> list[YearRow]:
    """The last ``YEARS_BACK`` years up to the scope's: one query (the registrations by year), the rest read."""
    scope = reads.scope
    registered = dict(
        _registrations(scope, reads.first)
        .filter(status__in=AwardRegistration.REGISTERED)
        .values_list("campaign__year")
        .annotate(n=Count("pk"))
    )
    campaigns: dict[int, int] = defaultdict(int)
    for year, _region, _status in reads.campaigns:
        campaigns[year] += 1
    awarded: dict[int, int] = defaultdict(int)
    for count in reads.awards:
        awarded[count.year] += count.n
    return [
        YearRow(
            year,
            campaigns[year],
            _sum(reads.slots, year, "slots"),
            _sum(reads.slots, year, "signed"),
            registered.get(year, 0),
            awarded[year],
        )
        for year in range(reads.first, scope.year + 1)
    ]


@dataclass
class RegionRow:
    region_id: int
    slug: str
    name: str
    campaign_status: str
    units: int
    slots: int
    signed: int
    registered: int
    sheets_sent: int
    sheets_reviewed: int
    votes: int
    awarded: int


def regions(reads: Reads) -> list[RegionRow]:
    """No query: one row per region of the scope with a roster that year (the ministry's table)."""
    year = reads.scope.year
    status_label = dict(Campaign.Status.choices)
    statuses = reads.current_campaigns
    registered: dict[int, int] = defaultdict(int)
    for count in reads.registrations:
        if count.status in AwardRegistration.REGISTERED:
            registered[count.region_id] += count.n
    awarded: dict[int | None, int] = defaultdict(int)
    for count in reads.awards:
        if count.year == year:
            awarded[count.region_id] += count.n
    rows = []
    for region in reads.regions:
        slots = reads.slots.get((year, region.pk), SlotCount())
        rows.append(
            RegionRow(
                region_id=region.pk,
                slug=region.slug,
                name=region.name,
                campaign_status=str(status_label.get(statuses.get(region.pk), "")),
                units=region.units,
                slots=slots.slots,
                signed=slots.signed,
                registered=registered[region.pk],
                sheets_sent=reads.sheets.get((region.pk, ScoreSheet.Status.SUBMITTED), 0),
                sheets_reviewed=reads.sheets.get((region.pk, ScoreSheet.Status.REVIEWED), 0),
                votes=reads.votes.get(region.pk, (0, 0))[0],
                awarded=awarded[region.pk],
            )
        )
    return rows


@dataclass
class Dashboard:
    scope: Scope
    today: date
    state: CampaignState
    signing: Signing
    registrations: Registrations
    scoring: Scoring
    outcomes: Outcomes
    nudges: Nudges
    years: list[YearRow]
    regions: list[RegionRow]

    @property
    def days_to_deadline(self) -> int | None:
        return self.signing.days_to_deadline(self.today)


def dashboard(scope: Scope, *, today: date | None = None, nudge_limit: int | None = NUDGE_LIMIT) -> Dashboard:
    """Every figure of the scope's year in fifteen queries, whatever the size of the data: seven grouped reads
    that most figures share, the pacts and the signatures by month, the score distribution, the registrations
    of the last years, and the lists of units to nudge (four)."""
    reads = _reads(scope)
    state = campaign_state(reads)
    return Dashboard(
        scope=scope,
        today=today or timezone.localdate(),
        state=state,
        signing=signing(reads),
        registrations=registrations(reads),
        scoring=scoring(reads, state.units),
        outcomes=outcomes(reads),
        nudges=nudges(reads, limit=nudge_limit),
        years=years(reads),
        regions=regions(reads) if scope.unit_ids is None else [],
    )


# --- the people a report names -------------------------------------------------------------------


def head_unit(region: Region, year: int) -> Unit | None:
    """The region's head unit that year (the report's issuing body)."""
    membership = (
        RegionMembership.objects.filter(region=region, year=year, role=RegionMembership.Role.HEAD)
        .select_related("unit")
        .first()
    )
    return membership.unit if membership else None
