"""Read helpers of the awards app: totals and grades of score sheets, the region's ranking, a unit's lineage."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from regions.models import Region, RegionMembership, Unit
from regions.selectors import with_unit_names_on, year_reference_day

from .models import AwardTitle, Criterion, GradeThreshold, ScoreEntry, ScoreSheet, ScoringTable

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


def sheet_with_totals(sheet: ScoreSheet) -> ScoreSheet:
    return with_totals(ScoreSheet.objects.filter(pk=sheet.pk)).select_related("table", "unit").get()


# --- ranking ---------------------------------------------------------------------------------------

RANKED_STATUSES = (ScoreSheet.Status.SUBMITTED, ScoreSheet.Status.REVIEWED)

TIE_RULES = _(
    "Units are ranked by final score, highest first. Where final scores are equal, the unit with more points on "
    "the criteria themselves (without bonus) ranks higher; then the one with fewer points deducted. Units still "
    "equal share a rank."
)


@dataclass
class RankingRow:
    unit_id: int
    unit_name: str
    sheet: ScoreSheet | None
    rank: int | None
    grade: str

    @property
    def final_total(self) -> Decimal | None:
        return self.sheet.final_total if self.sheet is not None else None


def _tie_key(sheet: ScoreSheet) -> tuple:
    return (-sheet.final_total, -sheet.final_standard, sheet.final_deduction)


def region_ranking(table: ScoringTable, region: Region) -> list[RankingRow]:
    """The region's units of the table's kinds that year, ranked (sent or reviewed sheets), then the rest.
    Four queries whatever the number of units."""
    day = year_reference_day(table.year)
    memberships = with_unit_names_on(
        RegionMembership.objects.filter(region=region, year=table.year, unit__kind__in=table.unit_kinds),
        day,
        unit_path="unit",
    ).values_list("unit_id", "name_on_day")
    names = dict(memberships)
    sheets = {
        sheet.unit_id: sheet for sheet in with_totals(ScoreSheet.objects.filter(table=table, unit_id__in=list(names)))
    }
    thresholds = thresholds_of(table)
    ranked = sorted(
        (sheet for sheet in sheets.values() if sheet.status in RANKED_STATUSES),
        key=lambda sheet: (*_tie_key(sheet), names.get(sheet.unit_id, "")),
    )
    rows: list[RankingRow] = []
    previous_key, rank = None, 0
    for position, sheet in enumerate(ranked, start=1):
        key = _tie_key(sheet)
        if key != previous_key:
            rank, previous_key = position, key
        rows.append(
            RankingRow(sheet.unit_id, names[sheet.unit_id], sheet, rank, grade_for(sheet.final_total, thresholds))
        )
    ranked_ids = {row.unit_id for row in rows}
    for unit_id, name in sorted(names.items(), key=lambda item: item[1]):
        if unit_id not in ranked_ids:
            rows.append(RankingRow(unit_id, name, sheets.get(unit_id), None, ""))
    return rows


def tables_of_year(year: int) -> QuerySet[ScoringTable]:
    return ScoringTable.objects.filter(year=year)


# --- the units a person acts for ---------------------------------------------------------------------


def acting_units_in_year(user, year: int) -> QuerySet[Unit]:
    """The units the person acts for that were active at some time in the year (a unit merged away in
    2025 is not offered for 2026), with ``name_on_day`` as of the year's end."""
    from pacts.permissions import acting_unit_ids

    during = (Q(active_from__isnull=True) | Q(active_from__lte=date(year, 12, 31))) & (
        Q(active_to__isnull=True) | Q(active_to__gte=date(year, 1, 1))
    )
    units = Unit.objects.filter(during, pk__in=acting_unit_ids(user))
    return with_unit_names_on(units, year_reference_day(year)).order_by("name_on_day")


# --- lineage ---------------------------------------------------------------------------------------


def unit_lineage_ids(unit: Unit) -> set[int]:
    """The unit, every unit merged into it (over any number of steps), and the units it became."""
    ids = {unit.pk}
    frontier = {unit.pk}
    while frontier:
        frontier = set(Unit.objects.filter(successor_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    successor_id = unit.successor_id
    while successor_id is not None and successor_id not in ids:
        ids.add(successor_id)
        successor_id = Unit.objects.filter(pk=successor_id).values_list("successor_id", flat=True).first()
    return ids


def titles_open_to(kind: str, year: int) -> list[AwardTitle]:
    """Active titles a unit of this kind may register in that year (in force, kind allowed)."""
    titles = AwardTitle.objects.filter(is_active=True).prefetch_related("bases")
    return [
        title for title in titles if title.allows_kind(kind) and any(b.in_force_during(year) for b in title.bases.all())
    ]
