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

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from awards.models import Award, AwardRegistration, AwardTitle, ScoreSheet, Vote, VoteCount
from awards.selectors.reports import GROUP_OF_KIND, KIND_GROUPS
from awards.selectors.scoring import with_totals
from pacts.models import Campaign, Pact, PactSignatory, PactSignature
from regions.models import Region, RegionMembership, Unit
from regions.selectors import with_region_names_on, with_unit_names_on, year_reference_day

NUDGE_LIMIT = 50
YEARS_BACK = 5
# Score distribution: bins of this many points (the tables' maxima are 100 to 200 points).
SCORE_BIN = 10
SIGNING_PACTS = (Pact.Status.OPEN, Pact.Status.EXECUTED)


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


def _campaigns(scope: Scope) -> QuerySet[Campaign]:
    found = Campaign.objects.filter(year=scope.year)
    if scope.region_ids is not None:
        found = found.filter(region_id__in=scope.region_ids)
    if scope.unit_ids is not None:
        found = found.filter(
            Exists(
                RegionMembership.objects.filter(region=OuterRef("region"), year=scope.year, unit_id__in=scope.unit_ids)
            )
        )
    return found


def _members(scope: Scope) -> QuerySet[RegionMembership]:
    found = RegionMembership.objects.filter(year=scope.year)
    if scope.region_ids is not None:
        found = found.filter(region_id__in=scope.region_ids)
    if scope.unit_ids is not None:
        found = found.filter(unit_id__in=scope.unit_ids)
    return found


def _by_unit(rows: QuerySet, scope: Scope, unit_path: str = "unit") -> QuerySet:
    """Rows of the scope's units: the members of its regions that year (the country: every row)."""
    if scope.unit_ids is not None:
        return rows.filter(**{f"{unit_path}_id__in": scope.unit_ids})
    if scope.region_ids is not None:
        return rows.filter(**{f"{unit_path}_id__in": _members(scope).values("unit_id")})
    return rows


def _slots(scope: Scope) -> QuerySet[PactSignatory]:
    found = PactSignatory.objects.filter(pact__campaign__year=scope.year, pact__status__in=SIGNING_PACTS)
    if scope.region_ids is not None:
        found = found.filter(pact__campaign__region_id__in=scope.region_ids)
    if scope.unit_ids is not None:
        found = found.filter(unit_id__in=scope.unit_ids)
    return found


def _signed() -> Exists:
    return Exists(PactSignature.objects.filter(pact=OuterRef("pact"), unit=OuterRef("unit")))


def _registrations(scope: Scope) -> QuerySet[AwardRegistration]:
    found = AwardRegistration.objects.filter(campaign__year=scope.year)
    if scope.region_ids is not None:
        found = found.filter(campaign__region_id__in=scope.region_ids)
    if scope.unit_ids is not None:
        found = found.filter(unit_id__in=scope.unit_ids)
    return found


def _sheets(scope: Scope) -> QuerySet[ScoreSheet]:
    return _by_unit(ScoreSheet.objects.filter(table__year=scope.year), scope)


def _votes(scope: Scope) -> QuerySet[Vote]:
    found = Vote.objects.filter(campaign__year=scope.year)
    if scope.region_ids is not None:
        found = found.filter(campaign__region_id__in=scope.region_ids)
    if scope.unit_ids is not None:
        found = found.filter(
            Exists(VoteCount.objects.filter(vote=OuterRef("pk"), registration__unit_id__in=scope.unit_ids))
        )
    return found


def _awards(scope: Scope) -> QuerySet[Award]:
    return _by_unit(Award.objects.filter(year=scope.year), scope)


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


def campaign_state(scope: Scope) -> CampaignState:
    """Three queries: the rosters, the campaigns by status, and the regions without a campaign."""
    members = _members(scope).aggregate(
        regions=Count("region_id", distinct=True), units=Count("unit_id", distinct=True)
    )
    counts = dict(_campaigns(scope).values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    rostered = _members(scope).values("region_id").distinct()
    without = (
        Region.objects.filter(pk__in=rostered)
        .exclude(Exists(Campaign.objects.filter(region=OuterRef("pk"), year=scope.year)))
        .count()
    )
    return CampaignState(
        regions=members["regions"],
        units=members["units"],
        by_status=[Pair(value, str(label), counts.get(value, 0)) for value, label in Campaign.Status.choices],
        without_campaign=without,
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


def signing(scope: Scope) -> Signing:
    """Four queries: pacts by status with the nearest open deadline, slots with their signatures, and the
    signatures month by month."""
    pacts = Pact.objects.filter(campaign__in=_campaigns(scope), status__in=SIGNING_PACTS)
    if scope.unit_ids is not None:
        pacts = pacts.filter(signatories__unit_id__in=scope.unit_ids).distinct()
    by_status = dict(pacts.values_list("status").annotate(n=Count("pk", distinct=True)).values_list("status", "n"))
    nearest = pacts.filter(status=Pact.Status.OPEN, deadline__isnull=False).aggregate(d=Min("deadline"))["d"]
    slots = _slots(scope).aggregate(n=Count("pk"), signed=Count("pk", filter=Q(_signed())))
    months = (
        PactSignature.objects.filter(Exists(_slots(scope).filter(pact=OuterRef("pact"), unit=OuterRef("unit"))))
        .annotate(month=TruncMonth("signed_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    running, by_month = 0, []
    for row in months:
        running += row["n"]
        by_month.append(Pair(f"{row['month']:%Y-%m}", f"{row['month']:%m/%Y}", running))
    return Signing(
        pacts_open=by_status.get(Pact.Status.OPEN, 0),
        pacts_executed=by_status.get(Pact.Status.EXECUTED, 0),
        slots=slots["n"],
        signed=slots["signed"],
        nearest_deadline=nearest,
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


def registrations(scope: Scope) -> Registrations:
    """Registered ("sent and not taken back") by title and kind group, and every registration by status: three
    queries (the two aggregates and the titles)."""
    found = _registrations(scope)
    counts = list(
        found.filter(status__in=AwardRegistration.REGISTERED)
        .values("title_id", "unit__kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    statuses = dict(found.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    titles = AwardTitle.objects.filter(pk__in={row["title_id"] for row in counts}).order_by("position", "name")
    rows = {pk: TitleRow(pk, name) for pk, name in titles.values_list("pk", "name")} if counts else {}
    for row in counts:
        group = GROUP_OF_KIND.get(row["unit__kind"], "other")
        rows[row["title_id"]].counts[group] = rows[row["title_id"]].counts.get(group, 0) + row["n"]
    present = {group for row in rows.values() for group in row.counts}
    return Registrations(
        groups=[(group.code, str(group.label)) for group in KIND_GROUPS if group.code in present],
        rows=list(rows.values()),
        by_status=[
            Pair(value, str(label), statuses.get(value, 0))
            for value, label in AwardRegistration.Status.choices
            if statuses.get(value)
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


def scoring(scope: Scope, units: int) -> Scoring:
    """Sheets by status (one query) and the final scores of the sheets sent or reviewed, binned (one query)."""
    sheets = _sheets(scope)
    counts = dict(sheets.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    sent = (ScoreSheet.Status.SUBMITTED, ScoreSheet.Status.REVIEWED)
    totals = with_totals(sheets.filter(status__in=sent)).values_list("final_total", flat=True)
    bins: dict[int, int] = defaultdict(int)
    for total in totals:
        bins[int((total or 0) // SCORE_BIN) * SCORE_BIN] += 1
    distribution = [Pair(str(low), f"{low}–{low + SCORE_BIN}", bins[low]) for low in sorted(bins)]
    return Scoring(
        units=units,
        by_status=[Pair(value, str(label), counts.get(value, 0)) for value, label in ScoreSheet.Status.choices],
        distribution=distribution,
        scored=sum(bins.values()),
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


def outcomes(scope: Scope) -> Outcomes:
    """Votes and the units they proposed (two queries), decisions and awards by title (two queries)."""
    votes = _votes(scope)
    proposed = VoteCount.objects.filter(vote__in=votes, proposed=True)
    if scope.unit_ids is not None:
        proposed = proposed.filter(registration__unit_id__in=scope.unit_ids)
    awards = _awards(scope)
    by_title = awards.values("title_id", "title__name", "title__position").annotate(n=Count("pk"))
    return Outcomes(
        votes=votes.count(),
        proposed=proposed.count(),
        decisions=awards.aggregate(n=Count("decision_id", distinct=True))["n"],
        awards=[
            Pair(str(row["title_id"]), row["title__name"], row["n"])
            for row in by_title.order_by("title__position", "title__name")
        ],
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


def nudges(scope: Scope, *, limit: int | None = NUDGE_LIMIT) -> Nudges:
    """Pending signatures of open pacts, registrations returned or never sent, score sheets not sent: a count
    and a list (unit and region named as that year) for each, two queries each."""
    day = scope.day
    unsigned = (
        _slots(scope)
        .filter(pact__status=Pact.Status.OPEN)
        .exclude(_signed())
        .select_related("pact")
        .annotate(
            region_name=with_region_names_on(Region.objects.filter(pk=OuterRef("pact__campaign__region")), day).values(
                "region_name_on_day"
            )[:1]
        )
        .order_by("pact__deadline", "unit_name", "pk")
    )
    registrations = with_unit_names_on(_registrations(scope).select_related("title"), day, unit_path="unit")
    registrations = with_region_names_on(registrations, day, region_path="campaign__region")
    returned = registrations.filter(status=AwardRegistration.Status.RETURNED).order_by("name_on_day", "pk")
    drafts = registrations.filter(status=AwardRegistration.Status.DRAFT).order_by("name_on_day", "pk")
    sheets = with_unit_names_on(_sheets(scope).filter(status=ScoreSheet.Status.DRAFT), day, unit_path="unit")
    region_of_unit = RegionMembership.objects.filter(unit=OuterRef("unit"), year=scope.year)
    sheets = sheets.annotate(region_id=region_of_unit.values("region_id")[:1])
    sheets = sheets.select_related("table").order_by("name_on_day", "pk")
    cut = (lambda rows: rows[:limit]) if limit is not None else (lambda rows: rows)
    region_names = _region_names(scope)
    lists = {
        "unsigned": [
            Nudge(
                slot.unit_id,
                slot.unit_name,
                slot.region_name or "",
                "unsigned",
                slot.pact.title,
                timezone.localdate(slot.pact.deadline) if slot.pact.deadline else None,
            )
            for slot in cut(unsigned)
        ],
        "returned": [
            Nudge(r.unit_id, r.name_on_day, r.region_name_on_day, "returned", r.title.name) for r in cut(returned)
        ],
        "draft_registration": [
            Nudge(r.unit_id, r.name_on_day, r.region_name_on_day, "draft_registration", r.title.name)
            for r in cut(drafts)
        ],
        "sheet_not_sent": [
            Nudge(s.unit_id, s.name_on_day, region_names.get(s.region_id, ""), "sheet_not_sent", s.table.name)
            for s in cut(sheets)
        ],
    }
    counts = {
        "unsigned": unsigned.count(),
        "returned": returned.count(),
        "draft_registration": drafts.count(),
        "sheet_not_sent": sheets.count(),
    }
    return Nudges(lists=lists, counts=counts)


def _region_names(scope: Scope) -> dict[int, str]:
    regions = Region.objects.filter(pk__in=_members(scope).values("region_id"))
    return dict(with_region_names_on(regions, scope.day).values_list("pk", "region_name_on_day"))


@dataclass
class YearRow:
    year: int
    campaigns: int
    slots: int
    signed: int
    registered: int
    awarded: int


def years(scope: Scope, back: int = YEARS_BACK) -> list[YearRow]:
    """The last ``back`` years up to the scope's, one aggregate query per figure (five in all)."""
    first = scope.year - back + 1
    span = Scope(scope.year, scope.region_ids, scope.unit_ids)

    def by_year(rows: QuerySet, path: str, **extra) -> dict[int, int]:
        return dict(rows.values_list(path).annotate(n=Count("pk", **extra)).values_list(path, "n"))

    campaigns = Campaign.objects.filter(year__gte=first, year__lte=scope.year)
    slots = PactSignatory.objects.filter(
        pact__campaign__year__gte=first, pact__campaign__year__lte=scope.year, pact__status__in=SIGNING_PACTS
    )
    registered = AwardRegistration.objects.filter(
        campaign__year__gte=first, campaign__year__lte=scope.year, status__in=AwardRegistration.REGISTERED
    )
    awards = Award.objects.filter(year__gte=first, year__lte=scope.year)
    if span.region_ids is not None:
        campaigns = campaigns.filter(region_id__in=span.region_ids)
        slots = slots.filter(pact__campaign__region_id__in=span.region_ids)
        registered = registered.filter(campaign__region_id__in=span.region_ids)
        members = RegionMembership.objects.filter(region_id__in=span.region_ids, year=OuterRef("year"))
        awards = awards.filter(Exists(members.filter(unit=OuterRef("unit"))))
    if span.unit_ids is not None:
        campaigns = campaigns.filter(
            Exists(
                RegionMembership.objects.filter(
                    region=OuterRef("region"), year=OuterRef("year"), unit_id__in=span.unit_ids
                )
            )
        )
        slots = slots.filter(unit_id__in=span.unit_ids)
        registered = registered.filter(unit_id__in=span.unit_ids)
        awards = awards.filter(unit_id__in=span.unit_ids)
    c = by_year(campaigns, "year")
    s = by_year(slots, "pact__campaign__year")
    signed = by_year(slots.filter(_signed()), "pact__campaign__year")
    r = by_year(registered, "campaign__year")
    a = by_year(awards, "year")
    return [
        YearRow(year, c.get(year, 0), s.get(year, 0), signed.get(year, 0), r.get(year, 0), a.get(year, 0))
        for year in range(first, scope.year + 1)
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


def regions(scope: Scope) -> list[RegionRow]:
    """One row per region of the scope with a roster that year (the ministry's table): seven grouped queries."""
    day = scope.day
    members = _members(scope)
    regions_ = with_region_names_on(Region.objects.filter(pk__in=members.values("region_id")), day)
    named = sorted(regions_.values_list("pk", "slug", "region_name_on_day"), key=lambda row: (row[2], row[0]))
    units = dict(members.values_list("region_id").annotate(n=Count("pk")).values_list("region_id", "n"))
    status_label = dict(Campaign.Status.choices)
    statuses = dict(_campaigns(scope).values_list("region_id", "status"))
    slot_rows = (
        _slots(scope)
        .values_list("pact__campaign__region_id")
        .annotate(n=Count("pk"), signed=Count("pk", filter=Q(_signed())))
        .values_list("pact__campaign__region_id", "n", "signed")
    )
    slots = {region: (n, signed) for region, n, signed in slot_rows}
    registered = dict(
        _registrations(scope)
        .filter(status__in=AwardRegistration.REGISTERED)
        .values_list("campaign__region_id")
        .annotate(n=Count("pk"))
        .values_list("campaign__region_id", "n")
    )
    region_of_unit = RegionMembership.objects.filter(unit=OuterRef("unit"), year=scope.year).values("region_id")[:1]
    sheet_rows = (
        _sheets(scope)
        .annotate(region_id=region_of_unit)
        .values_list("region_id")
        .annotate(
            sent=Count("pk", filter=Q(status=ScoreSheet.Status.SUBMITTED)),
            reviewed=Count("pk", filter=Q(status=ScoreSheet.Status.REVIEWED)),
        )
        .values_list("region_id", "sent", "reviewed")
    )
    sheets = {region: (sent, reviewed) for region, sent, reviewed in sheet_rows}
    votes = dict(
        _votes(scope).values_list("campaign__region_id").annotate(n=Count("pk")).values_list("campaign__region_id", "n")
    )
    awards = dict(
        _awards(scope)
        .annotate(region_id=region_of_unit)
        .values_list("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    )
    return [
        RegionRow(
            region_id=pk,
            slug=slug,
            name=name,
            campaign_status=str(status_label.get(statuses.get(pk), "")),
            units=units.get(pk, 0),
            slots=slots.get(pk, (0, 0))[0],
            signed=slots.get(pk, (0, 0))[1],
            registered=registered.get(pk, 0),
            sheets_sent=sheets.get(pk, (0, 0))[0],
            sheets_reviewed=sheets.get(pk, (0, 0))[1],
            votes=votes.get(pk, 0),
            awarded=awards.get(pk, 0),
        )
        for pk, slug, name in named
    ]


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
    """Every figure of the scope's year: a fixed number of queries, whatever the size of the data."""
    state = campaign_state(scope)
    return Dashboard(
        scope=scope,
        today=today or timezone.localdate(),
        state=state,
        signing=signing(scope),
        registrations=registrations(scope),
        scoring=scoring(scope, state.units),
        outcomes=outcomes(scope),
        nudges=nudges(scope, limit=nudge_limit),
        years=years(scope),
        regions=regions(scope) if scope.unit_ids is None else [],
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
