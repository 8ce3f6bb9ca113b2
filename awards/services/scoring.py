"""The rules of scoring: a year's scoring tables (criteria, grades, put in use) and the units' score
sheets (self-scores, sending, the region's review)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.text import nfc
from regions.models import RegionMembership, Unit, UnitKind

from ..errors import AwardsError
from ..models import (
    Criterion,
    GradeThreshold,
    ScoreEntry,
    ScoreSheet,
    ScoringGroup,
    ScoringTable,
)
from ..selectors.scoring import CACHED_TOTALS, sheet_with_totals


@dataclass
class CriterionSpec:
    code: str
    text: str
    max_points: Decimal
    kind: str = Criterion.Kind.STANDARD


@dataclass
class GroupSpec:
    title: str
    criteria: list[CriterionSpec] = field(default_factory=list)


def _check_table_kinds(*, year: int, unit_kinds: list[str], exclude_pk: int | None = None) -> None:
    if not unit_kinds or any(kind not in UnitKind.values for kind in unit_kinds):
        raise AwardsError(_("Tick the kinds of unit the table scores."), field="unit_kinds")
    others = ScoringTable.objects.filter(year=year).exclude(pk=exclude_pk)
    for other in others:
        shared = set(other.unit_kinds) & set(unit_kinds)
        if shared:
            raise AwardsError(
                _("“%(table)s” already scores these kinds of unit in %(year)s.") % {"table": other.name, "year": year},
                field="unit_kinds",
            )


TABLE_FIELDS = {"name", "decision_number", "decision_date", "issuer"}


@transaction.atomic
def table_create(*, year: int, unit_kinds: list[str], **fields) -> ScoringTable:
    if set(fields) - TABLE_FIELDS:
        raise TypeError(", ".join(sorted(set(fields) - TABLE_FIELDS)))
    fields = {name: nfc(value).strip() if isinstance(value, str) else value for name, value in fields.items()}
    if not fields.get("name"):
        raise AwardsError(_("Enter the table's name."), field="name")
    _check_table_kinds(year=year, unit_kinds=unit_kinds)
    return ScoringTable.objects.create(year=year, unit_kinds=list(unit_kinds), **fields)


@transaction.atomic
def table_update(*, table: ScoringTable, unit_kinds: list[str] | None = None, **fields) -> ScoringTable:
    if set(fields) - TABLE_FIELDS:
        raise TypeError(", ".join(sorted(set(fields) - TABLE_FIELDS)))
    for name, value in fields.items():
        setattr(table, name, nfc(value).strip() if isinstance(value, str) else value)
    if not table.name:
        raise AwardsError(_("Enter the table's name."), field="name")
    if unit_kinds is not None:
        if table.sheets.exists() and set(unit_kinds) != set(table.unit_kinds):
            raise AwardsError(_("Units have begun scoring on this table: its kinds of unit can no longer change."))
        _check_table_kinds(year=table.year, unit_kinds=unit_kinds, exclude_pk=table.pk)
        table.unit_kinds = list(unit_kinds)
    table.save()
    return table


def _lock_table(table: ScoringTable) -> ScoringTable:
    return ScoringTable.objects.select_for_update().get(pk=table.pk)


@transaction.atomic
def table_set_content(*, table: ScoringTable, groups: list[GroupSpec]) -> None:
    """Replaces the groups and criteria of a draft table (built in the browser or imported from .xlsx)."""
    table = _lock_table(table)
    if table.status != ScoringTable.Status.DRAFT:
        raise AwardsError(_("The table is in use: its criteria can no longer change."))
    if not groups:
        raise AwardsError(_("Add at least one group of criteria."), field="groups")
    seen_codes: set[str] = set()
    for number, group in enumerate(groups, start=1):
        if not nfc(group.title).strip():
            raise AwardsError(_("Group %(number)s has no title.") % {"number": number}, field="groups")
        if not group.criteria:
            raise AwardsError(
                _("Group %(number)s (%(title)s) has no criteria.") % {"number": number, "title": group.title},
                field="groups",
            )
        for criterion in group.criteria:
            code = nfc(criterion.code).strip()
            if not code or not nfc(criterion.text).strip():
                raise AwardsError(_("Each criterion needs a code and a text."), field="groups")
            if code in seen_codes:
                raise AwardsError(_("The code %(code)s is used twice.") % {"code": code}, field="groups")
            seen_codes.add(code)
            if criterion.max_points is None or criterion.max_points <= 0:
                raise AwardsError(
                    _("Criterion %(code)s: the maximum points must be above 0.") % {"code": code}, field="groups"
                )
            if criterion.kind not in Criterion.Kind.values:
                raise AwardsError(_("Criterion %(code)s: unknown kind.") % {"code": code}, field="groups")
    ScoringGroup.objects.filter(table=table).delete()
    for number, group in enumerate(groups, start=1):
        created = ScoringGroup.objects.create(table=table, number=number, title=nfc(group.title).strip())
        Criterion.objects.bulk_create(
            Criterion(
                group=created,
                code=nfc(criterion.code).strip(),
                text=nfc(criterion.text).strip(),
                max_points=criterion.max_points,
                kind=criterion.kind,
                position=position,
            )
            for position, criterion in enumerate(group.criteria, start=1)
        )


@transaction.atomic
def table_set_thresholds(*, table: ScoringTable, thresholds: list[tuple[str, Decimal]]) -> None:
    """Replaces the grade thresholds: (grade, lowest final score), until a sheet's review is closed on them."""
    table = _lock_table(table)
    if table.sheets.filter(status=ScoreSheet.Status.REVIEWED).exists():
        raise AwardsError(_("Reviews have been closed on these grades: they can no longer change."), field="thresholds")
    if not thresholds:
        raise AwardsError(_("Set at least one grade."), field="thresholds")
    labels, floors = set(), set()
    for label, min_points in thresholds:
        label = nfc(label).strip()
        if not label:
            raise AwardsError(_("Name each grade."), field="thresholds")
        if min_points is None or min_points < 0:
            raise AwardsError(
                _("%(grade)s: the lowest score cannot be negative.") % {"grade": label}, field="thresholds"
            )
        if label in labels or min_points in floors:
            raise AwardsError(_("Two grades have the same name or the same lowest score."), field="thresholds")
        labels.add(label)
        floors.add(min_points)
    table.thresholds.all().delete()
    GradeThreshold.objects.bulk_create(
        GradeThreshold(table=table, label=nfc(label).strip(), min_points=min_points) for label, min_points in thresholds
    )


@transaction.atomic
def table_publish(*, table: ScoringTable) -> ScoringTable:
    """Puts a table in use: units may score on it, and its criteria are fixed from then on."""
    table = _lock_table(table)
    if table.status != ScoringTable.Status.DRAFT:
        raise AwardsError(_("The table is already in use."))
    if not Criterion.objects.filter(group__table=table, kind=Criterion.Kind.STANDARD).exists():
        raise AwardsError(_("Add the criteria before putting the table in use."))
    if not table.thresholds.exists():
        raise AwardsError(_("Set the grade thresholds before putting the table in use."))
    table.status = ScoringTable.Status.PUBLISHED
    table.save(update_fields=["status"])
    return table


def table_for_unit(unit: Unit, year: int) -> ScoringTable | None:
    """The table in use that year for the unit's kind."""
    for table in ScoringTable.objects.filter(year=year, status=ScoringTable.Status.PUBLISHED):
        if unit.kind in table.unit_kinds:
            return table
    return None


# --- score sheets ----------------------------------------------------------------------------------


@transaction.atomic
def sheet_open(*, table: ScoringTable, unit: Unit) -> ScoreSheet:
    """The unit's sheet on the table, with one line per criterion (made on first use)."""
    if table.status != ScoringTable.Status.PUBLISHED:
        raise AwardsError(_("The table is not in use yet."))
    if unit.kind not in table.unit_kinds:
        raise AwardsError(_("This table does not score units of this kind."))
    if not RegionMembership.objects.filter(unit=unit, year=table.year).exists():
        raise AwardsError(_("%(unit)s is in no region in %(year)s.") % {"unit": unit.name, "year": table.year})
    sheet, _created = ScoreSheet.objects.get_or_create(table=table, unit=unit)
    missing = Criterion.objects.filter(group__table=table).exclude(entries__sheet=sheet)
    ScoreEntry.objects.bulk_create(
        (ScoreEntry(sheet=sheet, criterion=criterion) for criterion in missing), ignore_conflicts=True
    )
    return sheet


@dataclass
class SelfScore:
    points: Decimal | None
    note: str = ""
    evidence_link: str = ""
    evidence_file: UploadedFile | None = None
    clear_file: bool = False


def _lock_sheet(sheet: ScoreSheet) -> ScoreSheet:
    return ScoreSheet.objects.select_for_update().select_related("table", "unit").get(pk=sheet.pk)


def _check_points(criterion: Criterion, points: Decimal | None, field_name: str) -> None:
    if points is None:
        return
    if points < 0:
        raise AwardsError(
            _("Criterion %(code)s: points cannot be negative.") % {"code": criterion.code}, field=field_name
        )
    if points > criterion.max_points:
        raise AwardsError(
            _("Criterion %(code)s: %(points)s points is above its maximum of %(max)s.")
            % {"code": criterion.code, "points": points, "max": criterion.max_points},
            field=field_name,
        )


def store_totals(sheet: ScoreSheet) -> None:
    """Writes the sheet's sums of its entries into its cached columns (the ranking reads them), after its
    points changed; before a review closes, since a reviewed sheet can no longer change."""
    totals = sheet_with_totals(sheet)
    ScoreSheet.objects.filter(pk=sheet.pk).update(
        **{column: getattr(totals, name) for name, column in CACHED_TOTALS.items()}
    )


@transaction.atomic
def sheet_save_self_scores(*, sheet: ScoreSheet, actor, scores: Mapping[int, SelfScore]) -> ScoreSheet:
    """Saves the unit's points, notes and evidence by criterion id; all or nothing, while the sheet is a draft."""
    sheet = _lock_sheet(sheet)
    if sheet.status != ScoreSheet.Status.DRAFT:
        raise AwardsError(_("The sheet has been sent for review: its self-scores can no longer change."))
    entries = {entry.criterion_id: entry for entry in sheet.entries.select_related("criterion")}
    for criterion_id, score in scores.items():
        entry = entries.get(criterion_id)
        if entry is None:
            raise AwardsError(_("This criterion is not on the sheet."))
        _check_points(entry.criterion, score.points, f"points_{criterion_id}")
    for criterion_id, score in scores.items():
        entry = entries[criterion_id]
        entry.self_points = score.points
        entry.note = nfc(score.note).strip()
        entry.evidence_link = score.evidence_link.strip()
        if (score.clear_file or score.evidence_file is not None) and entry.evidence_file:
            entry.evidence_file.delete(save=False)
            entry.evidence_file = ""
        if score.evidence_file is not None:
            entry.evidence_file = score.evidence_file
        entry.save()
    store_totals(sheet)
    return sheet


def unscored_codes(sheet: ScoreSheet) -> list[str]:
    """The codes of every criterion (not bonus or deduction) still without self-points, in the sheet's order."""
    unscored = sheet.entries.filter(criterion__kind=Criterion.Kind.STANDARD, self_points__isnull=True)
    order = ("criterion__group__number", "criterion__position", "criterion_id")
    return list(unscored.order_by(*order).values_list("criterion__code", flat=True))


@transaction.atomic
def sheet_submit(*, sheet: ScoreSheet, actor, now: datetime | None = None) -> ScoreSheet:
    sheet = _lock_sheet(sheet)
    if sheet.status != ScoreSheet.Status.DRAFT:
        raise AwardsError(_("The sheet has already been sent for review."))
    codes = unscored_codes(sheet)
    if codes:
        raise AwardsError(
            ngettext(
                "Score every criterion before sending: %(count)d criterion is still empty: %(codes)s.",
                "Score every criterion before sending: %(count)d criteria are still empty: %(codes)s.",
                len(codes),
            )
            % {"count": len(codes), "codes": ", ".join(codes)}
        )
    sheet.status = ScoreSheet.Status.SUBMITTED
    sheet.submitted_at, sheet.submitted_by = now or timezone.now(), actor
    sheet.return_reason = ""
    sheet.save(update_fields=["status", "submitted_at", "submitted_by", "return_reason"])
    return sheet


@dataclass
class ReviewedScore:
    points: Decimal | None
    reason: str = ""


@transaction.atomic
def sheet_review(
    *, sheet: ScoreSheet, actor, reviews: Mapping[int, ReviewedScore], finish: bool = False, now: datetime | None = None
) -> ScoreSheet:
    """Records the reviewers' points by criterion id (a reason wherever they differ from the self-score);
    with ``finish`` the review is closed and the final score stands."""
    sheet = _lock_sheet(sheet)
    if sheet.status != ScoreSheet.Status.SUBMITTED:
        raise AwardsError(_("Only a sheet sent for review, and not yet closed, can be reviewed."))
    now = now or timezone.now()
    entries = {entry.criterion_id: entry for entry in sheet.entries.select_related("criterion")}
    for criterion_id, review in reviews.items():
        entry = entries.get(criterion_id)
        if entry is None:
            raise AwardsError(_("This criterion is not on the sheet."))
        _check_points(entry.criterion, review.points, f"points_{criterion_id}")
        differs = review.points is not None and review.points != entry.self_points
        if differs and not nfc(review.reason).strip():
            raise AwardsError(
                _("Criterion %(code)s: give the reason for points that differ from the self-score.")
                % {"code": entry.criterion.code},
                field=f"reason_{criterion_id}",
            )
    for criterion_id, review in reviews.items():
        entry = entries[criterion_id]
        reason = nfc(review.reason).strip()
        if review.points == entry.reviewed_points and reason == entry.review_reason:
            continue
        entry.reviewed_points = review.points
        entry.review_reason = reason if review.points is not None else ""
        entry.reviewed_by, entry.reviewed_at = (actor, now) if review.points is not None else (None, None)
        entry.save()
    store_totals(sheet)
    if finish:
        sheet.status = ScoreSheet.Status.REVIEWED
        sheet.reviewed_at, sheet.reviewed_by = now, actor
        sheet.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    return sheet


@transaction.atomic
def sheet_return_to_unit(*, sheet: ScoreSheet, actor, reason: str) -> ScoreSheet:
    """Sends a sheet back to the unit, with the reason, to correct its self-scores (reviewed points are kept)."""
    reason = nfc(reason).strip()
    if not reason:
        raise AwardsError(_("Say why the sheet is sent back, so the unit knows what to correct."), field="reason")
    sheet = _lock_sheet(sheet)
    if sheet.status != ScoreSheet.Status.SUBMITTED:
        raise AwardsError(_("Only a sheet sent for review can be sent back."))
    sheet.status = ScoreSheet.Status.DRAFT
    sheet.return_reason = reason
    sheet.save(update_fields=["status", "return_reason"])
    return sheet


# The changes counted so far move into the folded count in one statement: the generation (their sum) stays
# what it was, for a reader on either side of the commit, and counting the rows left stays cheap.
RANKING_CHANGES_FOLD_SQL = """
WITH folded AS (DELETE FROM awards_rankingchange RETURNING 1)
INSERT INTO awards_rankinggeneration AS generation (id, value) VALUES (1, (SELECT COUNT(*) FROM folded))
ON CONFLICT (id) DO UPDATE SET value = generation.value + EXCLUDED.value
RETURNING generation.value
"""


def ranking_changes_fold() -> int | None:
    """Folds the ranking changes counted so far into ``RankingGeneration`` (run by beat); the generation it
    keeps, None where nothing is counted (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(RANKING_CHANGES_FOLD_SQL)
        return cursor.fetchone()[0]
