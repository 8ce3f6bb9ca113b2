"""Read helpers of the awards app: totals and grades of score sheets, the region's ranking, a unit's lineage."""

import hashlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import caches
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Rank
from django.utils.translation import gettext_lazy as _

from pacts.permissions import acting_unit_ids
from regions.models import Region, RegionMembership, Unit
from regions.selectors import unit_columns_on_sql, with_region_names_on, with_unit_names_on, year_reference_day

from ..models import Criterion, GradeThreshold, ScoreEntry, ScoreSheet, ScoringTable
from ..permissions import (
    can_enter_scores,
    can_manage_scoring_tables,
    can_view_ranking,
    ranking_region_ids,
    sees_every_region,
)
from .registrations import acting_units_in_year

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=9, decimal_places=2))


def _points_sum(expression, kind: str, prefix: str = "entries__") -> Coalesce:
    return Coalesce(Sum(expression, filter=Q(**{f"{prefix}criterion__kind": kind})), ZERO)


def with_totals(sheets: QuerySet[ScoreSheet]) -> QuerySet[ScoreSheet]:
    """Annotates self and final totals: final points are the reviewed ones where given, else the unit's own.
    Total = criteria + bonus − deductions."""
    final = Coalesce(F("entries__reviewed_points"), F("entries__self_points"))
    own = F("entries__self_points")
    Kind = Criterion.Kind
    return sheets.annotate(
        self_standard=_points_sum(own, Kind.STANDARD),
        self_bonus=_points_sum(own, Kind.BONUS),
        self_deduction=_points_sum(own, Kind.DEDUCTION),
        final_standard=_points_sum(final, Kind.STANDARD),
        final_bonus=_points_sum(final, Kind.BONUS),
        final_deduction=_points_sum(final, Kind.DEDUCTION),
    ).annotate(
        self_total=F("self_standard") + F("self_bonus") - F("self_deduction"),
        final_total=F("final_standard") + F("final_bonus") - F("final_deduction"),
    )


# The totals with_totals sums, and the column where awards.services.scoring.store_totals keeps each.
CACHED_TOTALS = {
    "self_total": "cached_self_total",
    "final_standard": "cached_final_standard",
    "final_bonus": "cached_final_bonus",
    "final_deduction": "cached_final_deduction",
    "final_total": "cached_final_total",
}


def thresholds_of(table: ScoringTable) -> list[GradeThreshold]:
    return list(table.thresholds.order_by("-min_points"))


def grade_for(points: Decimal | None, thresholds: list[GradeThreshold]) -> str:
    """The highest grade whose lowest score the points reach (thresholds sorted high to low)."""
    if points is None:
        return ""
    for threshold in thresholds:
        if points >= threshold.min_points:
            return threshold.label
    return ""


def table_maximum(table: ScoringTable) -> Decimal:
    total = Criterion.objects.filter(group__table=table, kind=Criterion.Kind.STANDARD).aggregate(
        total=Coalesce(Sum("max_points"), ZERO)
    )["total"]
    return total


def table_groups(table: ScoringTable) -> list:
    """Groups with their criteria (two queries) and each group's maximum."""
    groups = list(table.groups.prefetch_related("criteria"))
    for group in groups:
        group.maximum = sum(
            (criterion.max_points for criterion in group.criteria.all() if criterion.kind == Criterion.Kind.STANDARD),
            Decimal("0"),
        )
    return groups


def sheet_entries(sheet: ScoreSheet) -> list[ScoreEntry]:
    return list(
        sheet.entries.select_related("criterion__group", "reviewed_by").order_by(*ScoreEntry._meta.ordering[1:])
    )


def sheet_of(table: ScoringTable, unit: Unit) -> ScoreSheet | None:
    return ScoreSheet.objects.filter(table=table, unit=unit).first()


def sheet_with_totals(sheet: ScoreSheet) -> ScoreSheet:
    return with_totals(ScoreSheet.objects.filter(pk=sheet.pk)).select_related("table", "unit").get()


# --- ranking ---------------------------------------------------------------------------------------

RANKED_STATUSES = (ScoreSheet.Status.SUBMITTED, ScoreSheet.Status.REVIEWED)

TIE_RULES = _(
    "Units are ranked by final score, highest first. Where final scores are equal, the unit with more points on "
    "the criteria themselves (without bonus) ranks higher; then the one with fewer points deducted. Units still "
    "equal share a rank."
)


@dataclass(frozen=True)
class SheetTotals:
    """What a ranking shows of a sheet: its status and its totals (the cached columns)."""

    pk: int
    status: str
    self_total: Decimal
    final_standard: Decimal
    final_bonus: Decimal
    final_deduction: Decimal
    final_total: Decimal

    def get_status_display(self) -> str:
        return ScoreSheet.Status(self.status).label


@dataclass
class RankingRow:
    unit_id: int
    unit_name: str
    sheet: SheetTotals | None
    rank: int | None
    grade: str

    @property
    def final_total(self) -> Decimal | None:
        return self.sheet.final_total if self.sheet is not None else None


@dataclass(frozen=True)
class RankingCounts:
    units: int  # the region's units of the table's kinds that year
    ranked: int  # their sheets sent or reviewed
    reviewed: int

    @property
    def provisional(self) -> bool:
        """Ranks may still change: some unit has no reviewed sheet."""
        return self.reviewed < self.units


@dataclass
class RankedRow:
    row: RankingRow
    shared: bool  # another unit has the same rank


def _ranking_members(table: ScoringTable, region: Region) -> QuerySet[RegionMembership]:
    return RegionMembership.objects.filter(region=region, year=table.year, unit__kind__in=table.unit_kinds)


@dataclass
class RankingPage:
    counts: RankingCounts
    rows: list[RankedRow]


# The tie rules (TIE_RULES), in SQL: final score, then points on the criteria, then fewer points deducted.
TIE_ORDER = [
    F("sheet__cached_final_total").desc(),
    F("sheet__cached_final_standard").desc(),
    F("sheet__cached_final_deduction").asc(),
]
SHEET_VALUES = tuple(f"sheet__{field}" for field in ("pk", "status", *CACHED_TOTALS.values()))


def _ranking_list(table: ScoringTable, region: Region) -> QuerySet:
    """The region's ranking as one list, each member with its sheet of this table (if any): the units whose
    sheet is sent or reviewed first, by ``place`` (their rank by the tie rules; equal units share it, by name
    among them), then the others by name, without a place. Every row also carries the ranking's counts
    (``units``, ``ranked``, ``reviewed``), so that a page is read, ranked and counted in one query."""
    ranked = Q(sheet__status__in=RANKED_STATUSES)
    members = _ranking_members(table, region).annotate(
        sheet=FilteredRelation("unit__score_sheets", condition=Q(unit__score_sheets__table=table))
    )
    members = with_unit_names_on(members, year_reference_day(table.year), unit_path="unit").annotate(
        place=Case(
            When(
                ranked,
                then=Window(
                    Rank(), partition_by=[Case(When(ranked, then=Value(0)), default=Value(1))], order_by=TIE_ORDER
                ),
            )
        ),
        units=Window(Count("unit")),
        ranked=Window(Count("unit", filter=ranked)),
        reviewed=Window(Count("unit", filter=Q(sheet__status=ScoreSheet.Status.REVIEWED))),
    )
    return members.order_by(F("place").asc(nulls_last=True), "name_on_day", "unit_id").values_list(
        "unit_id", "name_on_day", "place", "units", "ranked", "reviewed", *SHEET_VALUES
    )


# ``_ranking_list`` written as SQL for PostgreSQL, the same rows in the same order: built through the ORM (a
# filtered relation, a rank inside a CASE, three counting windows) the query cost ~3 ms of Python a request to
# build and compile, about what the database takes to answer it. tests/awards/test_ranking_sql.py compares
# the two on ties, drafts, units without a sheet, other kinds and names of another day. {name} is the unit's
# name of the day (regions.selectors.unit_columns_on_sql).
RANKING_SQL = """
SELECT m.unit_id, {name} AS name_on_day,
       CASE WHEN s.status = ANY(%(ranked)s) THEN RANK() OVER (
           PARTITION BY CASE WHEN s.status = ANY(%(ranked)s) THEN 0 ELSE 1 END
           ORDER BY s.cached_final_total DESC, s.cached_final_standard DESC, s.cached_final_deduction ASC
       ) END AS place,
       COUNT(*) OVER () AS units,
       COUNT(*) FILTER (WHERE s.status = ANY(%(ranked)s)) OVER () AS ranked,
       COUNT(*) FILTER (WHERE s.status = %(reviewed)s) OVER () AS reviewed,
       s.id, s.status, s.cached_self_total, s.cached_final_standard, s.cached_final_bonus,
       s.cached_final_deduction, s.cached_final_total
FROM regions_regionmembership m
JOIN regions_unit u ON u.id = m.unit_id
LEFT JOIN awards_scoresheet s ON s.unit_id = m.unit_id AND s.table_id = %(table)s
WHERE m.region_id = %(region)s AND m.year = %(year)s AND u.kind = ANY(%(kinds)s)
ORDER BY place ASC NULLS LAST, name_on_day ASC, m.unit_id ASC
LIMIT %(limit)s OFFSET %(offset)s
"""


# The generation of what rankings are made of: the changes folded so far and those left
# (awards/migrations/0011); none inside a transaction that wrote.
GENERATION_SQL = """
SELECT COALESCE((SELECT value FROM awards_rankinggeneration WHERE id = 1), 0)
       + (SELECT COUNT(*) FROM awards_rankingchange)
WHERE pg_current_xact_id_if_assigned() IS NULL
"""


def ranking_generation() -> int | None:
    """How many transactions that wrote what rankings are made of have committed (``RankingChange``), or None
    where a page kept under it could be wrong: inside a transaction that wrote (it sees rows of its own that no
    generation counts yet)."""
    with connection.cursor() as cursor:
        cursor.execute(GENERATION_SQL)
        found = cursor.fetchone()
    return None if found is None else found[0]


def _ranking_values(table: ScoringTable, region: Region, first: int, stop: int | None) -> list[tuple]:
    """Rows ``first`` to ``stop`` (excluded; to the end if None) of ``_ranking_list``'s values. On PostgreSQL
    a page is kept in the worker's memory under the generation of what it is made of: read once per change
    rather than ranking the region's units on every view (~3 ms for 672 of them)."""
    if connection.vendor != "postgresql":
        found = _ranking_list(table, region)
        return list(found[first:] if stop is None else found[first:stop])
    # Read before the page: a page read just after a commit is then kept under the generation that commit
    # already replaced, never an older page under a newer generation. The whole ranking (.xlsx) is not kept.
    generation = ranking_generation() if stop is not None else None
    day = year_reference_day(table.year)
    name = unit_columns_on_sql(day)["name"]
    params = {
        "ranked": [str(status) for status in RANKED_STATUSES],
        "reviewed": str(ScoreSheet.Status.REVIEWED),
        "table": table.pk,
        "region": region.pk,
        "year": table.year,
        "kinds": list(table.unit_kinds),
        "limit": None if stop is None else stop - first,
        "offset": first,
        "day": day,
    }
    sql = RANKING_SQL.format(name=name)
    # The key is the query itself, read after the generation: what was read before it (the table, whether a
    # name changes later: once a request) lands in the key, so a page of stale inputs is never found again.
    digest = hashlib.sha256(repr((sql, sorted(params.items()))).encode()).hexdigest()
    key = f"awards:ranking:{generation}:{digest}"
    if generation is not None and (kept := caches["worker"].get(key)) is not None:
        return kept
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if generation is not None:
        caches["worker"].set(key, found)
    return found


def ranking_rows(table: ScoringTable, region: Region, start: int = 0, stop: int | None = None) -> RankingPage:
    """Rows ``start`` to ``stop`` of the region's ranking (``_ranking_list``) and its counts, in one query. Units
    sharing a rank are neighbours in that order: the row before and the row after are read too, so that each
    row knows whether a neighbour has its rank. Past the end, no row, and counts of zero."""
    thresholds = thresholds_of(table)
    first = max(0, start - 1)
    read = _ranking_values(table, region, first, None if stop is None else stop + 1)
    if not read:
        return RankingPage(RankingCounts(0, 0, 0), [])
    counts = RankingCounts(*read[0][3:6])
    places = [values[2] for values in read]
    rows = []
    for at in range(start - first, len(read) if stop is None else min(len(read), stop - first)):
        unit_id, name, place, _units, _ranked, _reviewed, *values = read[at]
        sheet = SheetTotals(*values) if values[0] is not None else None
        if place is None:
            rows.append(RankedRow(RankingRow(unit_id, name, sheet, None, ""), False))
            continue
        shared = (at > 0 and places[at - 1] == place) or (at + 1 < len(places) and places[at + 1] == place)
        row = RankingRow(unit_id, name, sheet, place, grade_for(sheet.final_total, thresholds))
        rows.append(RankedRow(row, shared))
    return RankingPage(counts, rows)


def region_ranking(table: ScoringTable, region: Region) -> list[RankingRow]:
    """The whole ranking (the .xlsx, the demo): ``ranking_rows`` from the first row to the last."""
    return [ranked.row for ranked in ranking_rows(table, region).rows]


def tables_of_year(year: int) -> QuerySet[ScoringTable]:
    return ScoringTable.objects.filter(year=year)


# --- the scoring-table pages -------------------------------------------------------------------------

POINTS = DecimalField(max_digits=9, decimal_places=2)


def tables_visible_to(user):
    """Ministry staff see drafts too; a draft is not issued yet, so the others see the tables in use."""
    tables = ScoringTable.objects.all()
    if not can_manage_scoring_tables(user):
        tables = tables.filter(status=ScoringTable.Status.PUBLISHED)
    return tables


def with_maximum(tables):
    """Annotates ``maximum`` (the criteria's points, without bonus and deductions) and ``criteria_count``."""
    criteria = Criterion.objects.filter(group__table=OuterRef("pk")).order_by().values("group__table")
    standard = criteria.filter(kind=Criterion.Kind.STANDARD).annotate(total=Sum("max_points")).values("total")
    count = criteria.annotate(n=Count("pk")).values("n")
    return tables.annotate(
        maximum=Coalesce(Subquery(standard[:1]), Value(Decimal("0")), output_field=POINTS),
        criteria_count=Coalesce(Subquery(count[:1]), 0),
    )


def ranking_regions(user, table: ScoringTable) -> list[Region]:
    """The regions with members of the table's kinds that year, named as that year, whose ranking the user may see."""
    members = RegionMembership.objects.filter(year=table.year, unit__kind__in=table.unit_kinds).values("region_id")
    regions = with_region_names_on(Region.objects.filter(pk__in=members), year_reference_day(table.year))
    visible = ranking_region_ids(user, table.year)
    return [region for region in regions.order_by("region_name_on_day") if visible is None or region.pk in visible]


def criteria_count(table: ScoringTable) -> int:
    return Criterion.objects.filter(group__table=table).count()


# --- my scores and the rankings ----------------------------------------------------------------------


@dataclass
class UnitScores:
    unit: Unit
    name: str
    table: ScoringTable | None
    sheet: ScoreSheet | None
    grade: str


@dataclass
class RankingLink:
    region: Region
    table: ScoringTable
    units: int
    awaiting: int
    reviewed: int


def units_scores(user, year: int) -> list[UnitScores]:
    """The units the leader acts for, each with its table of the year and its sheet's totals (four queries)."""
    units = [unit for unit in acting_units_in_year(user, year) if can_enter_scores(user, unit)]
    tables = list(
        ScoringTable.objects.filter(year=year, status=ScoringTable.Status.PUBLISHED).prefetch_related("thresholds")
    )
    sheets = {
        (sheet.table_id, sheet.unit_id): sheet
        for sheet in with_totals(ScoreSheet.objects.filter(table__in=tables, unit__in=units))
    }
    rows = []
    for unit in units:
        table = next((table for table in tables if unit.kind in table.unit_kinds), None)
        sheet = sheets.get((table.pk, unit.pk)) if table else None
        thresholds = sorted(table.thresholds.all(), key=lambda t: -t.min_points) if table else []
        grade = grade_for(sheet.final_total, thresholds) if sheet else ""
        rows.append(UnitScores(unit, unit.name_on_day, table, sheet, grade))
    return rows


def ranking_links(user, year: int) -> list[RankingLink]:
    """Each region the person may see that year, with each table in use for its members' kinds."""
    memberships = RegionMembership.objects.filter(year=year)
    if not sees_every_region(user):
        memberships = memberships.filter(unit_id__in=acting_unit_ids(user))
    regions = with_region_names_on(
        Region.objects.filter(pk__in=memberships.values("region_id")), year_reference_day(year)
    ).order_by("region_name_on_day")
    regions = [region for region in regions if can_view_ranking(user, region, year)]
    tables = list(ScoringTable.objects.filter(year=year, status=ScoringTable.Status.PUBLISHED).order_by("name"))
    if not regions or not tables:
        return []
    region_ids = [region.pk for region in regions]
    members = Counter(
        RegionMembership.objects.filter(year=year, region_id__in=region_ids).values_list("region_id", "unit__kind")
    )
    sheets = (
        ScoreSheet.objects.filter(
            table__in=tables, unit__memberships__year=year, unit__memberships__region_id__in=region_ids
        )
        .values_list("table_id", "unit__memberships__region_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(table_id, region_id, status): n for table_id, region_id, status, n in sheets}
    links = []
    for region in regions:
        for table in tables:
            units = sum(members[(region.pk, kind)] for kind in table.unit_kinds)
            if units:
                awaiting = counts.get((table.pk, region.pk, ScoreSheet.Status.SUBMITTED), 0)
                reviewed = counts.get((table.pk, region.pk, ScoreSheet.Status.REVIEWED), 0)
                links.append(RankingLink(region, table, units, awaiting, reviewed))
    return links


# --- the next steps on the home page -----------------------------------------------------------------

HOME_LIST_LIMIT = 10


def returned_sheets(user, day) -> list[ScoreSheet]:
    """The sheets of the units the person acts for that the reviewers sent back (a draft with a reason),
    each with ``name_on_day`` (the unit's name on ``day``) and its table: one query."""
    units = acting_unit_ids(user, day)
    if not units:
        return []
    sheets = ScoreSheet.objects.filter(status=ScoreSheet.Status.DRAFT, unit_id__in=units).exclude(return_reason="")
    sheets = with_unit_names_on(sheets.select_related("table"), day, unit_path="unit")
    return list(sheets.order_by("-table__year", "name_on_day", "pk"))


def sheets_awaiting_review(user, day, *, everywhere: bool = False) -> QuerySet[ScoreSheet]:
    """Sheets sent for review and not yet closed: in the regions whose head unit (in the table's year) is one
    the person acts for, or ``everywhere`` (ministry staff). Oldest first, with ``name_on_day``."""
    sheets = ScoreSheet.objects.filter(status=ScoreSheet.Status.SUBMITTED)
    if not everywhere:
        units = acting_unit_ids(user, day)
        if not units:
            return ScoreSheet.objects.none()
        headed = RegionMembership.objects.filter(
            region=OuterRef("region"), year=OuterRef("year"), role=RegionMembership.Role.HEAD, unit_id__in=units
        )
        member_of_headed = RegionMembership.objects.filter(unit=OuterRef("unit"), year=OuterRef("table__year")).filter(
            Exists(headed)
        )
        sheets = sheets.filter(Exists(member_of_headed))
    sheets = with_unit_names_on(sheets.select_related("table"), day, unit_path="unit")
    return sheets.order_by("submitted_at", "pk")
