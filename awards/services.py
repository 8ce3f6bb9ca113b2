"""The rules of titles, registrations, scoring, votes and decisions. Every change goes through here.

Each function checks its rule and raises ``AwardsError`` with the message for the user, changing
nothing; the pages only translate forms into calls. ``today``/``now`` parameters exist so the demo
can record the past and tests can move the clock.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import nfc
from pacts.models import Campaign
from regions.models import RegionMembership, Unit, UnitKind
from regions.selectors import unit_name_on

from .errors import AwardsError
from .models import (
    Award,
    AwardDecision,
    AwardRegistration,
    AwardTitle,
    AwardTitleBasis,
    Criterion,
    GradeThreshold,
    RegisteredPerson,
    ScoreEntry,
    ScoreSheet,
    ScoringGroup,
    ScoringTable,
    Vote,
    VoteCount,
)

Status = AwardRegistration.Status

# --- the catalogue of titles -----------------------------------------------------------------------


@dataclass
class BasisSpec:
    document: str
    valid_from: date
    valid_to: date | None = None
    article: str = ""


TITLE_FIELDS = {
    "code",
    "name",
    "kind",
    "subject",
    "level",
    "granting_authority",
    "unit_kinds",
    "requires_vote",
    "conditions",
    "position",
    "is_active",
}


def _check_title(title: AwardTitle) -> None:
    if not title.name:
        raise AwardsError(_("Enter the title's name."), field="name")
    if not title.code:
        raise AwardsError(_("Enter a code for the title (letters, digits and hyphens)."), field="code")
    unknown = [kind for kind in title.unit_kinds if kind not in UnitKind.values]
    if unknown or not title.unit_kinds:
        raise AwardsError(_("Tick at least one kind of unit that may register."), field="unit_kinds")
    clash = AwardTitle.objects.exclude(pk=title.pk)
    if clash.filter(code=title.code).exists():
        raise AwardsError(_("Another title already uses this code."), field="code")
    if clash.filter(name__iexact=title.name).exists():
        raise AwardsError(_("Another title already has this name."), field="name")


def _set_bases(title: AwardTitle, bases: Iterable[BasisSpec]) -> None:
    bases = list(bases)
    if not bases:
        raise AwardsError(_("Give at least one legal basis with the day it came into force."), field="bases")
    for basis in bases:
        if not nfc(basis.document).strip():
            raise AwardsError(_("Name the legal document of each basis."), field="bases")
        if basis.valid_to is not None and basis.valid_to < basis.valid_from:
            raise AwardsError(
                _("%(document)s: the basis ends before it comes into force.") % {"document": basis.document},
                field="bases",
            )
    title.bases.all().delete()
    AwardTitleBasis.objects.bulk_create(
        AwardTitleBasis(
            title=title,
            document=nfc(basis.document).strip(),
            article=nfc(basis.article).strip(),
            valid_from=basis.valid_from,
            valid_to=basis.valid_to,
        )
        for basis in bases
    )


def _clean_title_fields(fields: dict) -> dict:
    unexpected = set(fields) - TITLE_FIELDS
    if unexpected:
        raise TypeError(", ".join(sorted(unexpected)))
    return {name: nfc(value).strip() if isinstance(value, str) else value for name, value in fields.items()}


@transaction.atomic
def title_create(*, bases: Iterable[BasisSpec], excludes: Iterable[AwardTitle] = (), **fields) -> AwardTitle:
    title = AwardTitle(**_clean_title_fields(fields))
    _check_title(title)
    title.save()
    _set_bases(title, bases)
    title.excludes.set(excludes)
    return title


@transaction.atomic
def title_update(
    *,
    title: AwardTitle,
    bases: Iterable[BasisSpec] | None = None,
    excludes: Iterable[AwardTitle] | None = None,
    **fields,
) -> AwardTitle:
    title = AwardTitle.objects.select_for_update().get(pk=title.pk)  # the caller's object keeps its values if refused
    for name, value in _clean_title_fields(fields).items():
        setattr(title, name, value)
    _check_title(title)
    title.save()
    if bases is not None:
        _set_bases(title, bases)
    if excludes is not None:
        excludes = [other for other in excludes if other.pk != title.pk]
        title.excludes.set(excludes)
    return title


def title_in_force(title: AwardTitle, year: int) -> bool:
    return any(basis.in_force_during(year) for basis in title.bases.all())


# --- registrations ---------------------------------------------------------------------------------


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _member_of(campaign: Campaign, unit: Unit) -> bool:
    return RegionMembership.objects.filter(region_id=campaign.region_id, year=campaign.year, unit=unit).exists()


def deadline_passed(campaign: Campaign, today: date) -> bool:
    """The campaign's registration deadline is over (the deadline day itself is still open)."""
    return campaign.registration_deadline is not None and today > campaign.registration_deadline


def _check_deadline(campaign: Campaign, today: date) -> None:
    deadline = campaign.registration_deadline
    if deadline_passed(campaign, today):
        raise AwardsError(
            _("Registration for %(year)s closed on %(deadline)s.")
            % {"year": campaign.year, "deadline": deadline.strftime("%d/%m/%Y")},
            field="title",
        )


def _held_conflict(unit: Unit, title: AwardTitle, year: int, *, exclude_award: Award | None = None) -> str:
    """Why the unit may not have this title for this year's achievement, or ""."""
    awards = Award.objects.filter(unit=unit, year=year).select_related("title", "decision")
    if exclude_award is not None:
        awards = awards.exclude(pk=exclude_award.pk)
    excluded = set(title.excludes.values_list("pk", flat=True))
    for award in awards:
        if award.title_id == title.pk:
            return _("%(unit)s already holds “%(title)s” for %(year)s (decision %(decision)s).") % {
                "unit": award.recipient_name,
                "title": title.name,
                "year": year,
                "decision": award.decision.number,
            }
        if award.title_id in excluded:
            return _(
                "%(unit)s already holds “%(other)s” for %(year)s: “%(title)s” may not be awarded for the same "
                "achievement."
            ) % {"unit": award.recipient_name, "other": award.title.name, "title": title.name, "year": year}
    return ""


def registration_check(*, campaign: Campaign, unit: Unit, title: AwardTitle, today: date | None = None) -> None:
    """Everything the data can check before a unit registers a title; raises with the first broken rule."""
    if campaign.status == Campaign.Status.CLOSED:
        raise AwardsError(_("The %(year)s campaign is closed.") % {"year": campaign.year})
    if not _member_of(campaign, unit):
        raise AwardsError(
            _("%(unit)s is not a member of this region in %(year)s.") % {"unit": unit.name, "year": campaign.year},
            field="unit",
        )
    _check_deadline(campaign, _today(today))
    if not title.is_active or not title_in_force(title, campaign.year):
        raise AwardsError(
            _("“%(title)s” has no legal basis in force in %(year)s.") % {"title": title.name, "year": campaign.year},
            field="title",
        )
    if not title.allows_kind(unit.kind):
        raise AwardsError(
            _("“%(title)s” is not open to units of this kind (%(kind)s).")
            % {"title": title.name, "kind": unit.get_kind_display()},
            field="title",
        )
    existing = AwardRegistration.objects.filter(campaign=campaign, unit=unit, title=title).first()
    if existing is not None and existing.status != Status.WITHDRAWN:
        raise AwardsError(
            _("%(unit)s has already registered for “%(title)s” in %(year)s.")
            % {"unit": unit.name, "title": title.name, "year": campaign.year},
            field="title",
        )
    if conflict := _held_conflict(unit, title, campaign.year):
        raise AwardsError(conflict, field="title")


def registration_warnings(registration: AwardRegistration) -> list[str]:
    """What the portal cannot check: the title's conditions, the vote, titles that exclude each other."""
    title = registration.title
    warnings = list(title.condition_lines())
    if title.requires_vote:
        warnings.append(
            _("Only the unit the region votes up (suy tôn) at its year-end conference is proposed for this title.")
        )
    excluded = AwardRegistration.objects.filter(
        campaign_id=registration.campaign_id,
        unit_id=registration.unit_id,
        title__in=title.excludes.all(),
    ).exclude(status=Status.WITHDRAWN)
    for other in excluded.select_related("title"):
        warnings.append(
            _("The unit has also registered for “%(other)s”: only one of the two can be awarded for the same year.")
            % {"other": other.title.name}
        )
    return warnings


def _clean_people(title: AwardTitle, people: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = []
    for full_name, position in people:
        full_name, position = nfc(full_name).strip(), nfc(position).strip()
        if not full_name and not position:
            continue
        if not full_name or not position:
            raise AwardsError(_("Give both the name and the position of each person."), field="people")
        cleaned.append((full_name, position))
    if cleaned and not title.is_individual:
        raise AwardsError(
            _("“%(title)s” is awarded to the unit, not to people.") % {"title": title.name}, field="people"
        )
    return cleaned


def _set_people(registration: AwardRegistration, people: list[tuple[str, str]]) -> None:
    registration.people.all().delete()
    RegisteredPerson.objects.bulk_create(
        RegisteredPerson(registration=registration, full_name=full_name, position=position)
        for full_name, position in people
    )


def _lock_registration(registration: AwardRegistration) -> AwardRegistration:
    return (
        AwardRegistration.objects.select_for_update()
        .select_related("campaign", "unit", "title")
        .get(pk=registration.pk)
    )


def _require_open(campaign: Campaign) -> None:
    if campaign.status == Campaign.Status.CLOSED:
        raise AwardsError(_("The %(year)s campaign is closed.") % {"year": campaign.year})


def _require(registration: AwardRegistration, *statuses: str) -> None:
    if registration.status not in statuses:
        raise AwardsError(
            _("This registration is “%(status)s”: that cannot be done now.")
            % {"status": registration.get_status_display()}
        )


@transaction.atomic
def registration_create(
    *,
    campaign: Campaign,
    unit: Unit,
    title: AwardTitle,
    actor,
    people: Iterable[tuple[str, str]] = (),
    note: str = "",
    submit: bool = False,
    today: date | None = None,
    now: datetime | None = None,
) -> AwardRegistration:
    """Registers a title for a unit (a draft, or sent at once with ``submit``); a withdrawn one is taken up again."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()  # one registration at a time per campaign
    registration_check(campaign=campaign, unit=unit, title=title, today=today)
    people = _clean_people(title, people)
    registration = AwardRegistration.objects.filter(campaign=campaign, unit=unit, title=title).first()
    if registration is None:
        try:
            with transaction.atomic():
                registration = AwardRegistration.objects.create(
                    campaign=campaign, unit=unit, title=title, created_by=actor, note=nfc(note).strip()
                )
        except IntegrityError:
            raise AwardsError(
                _("%(unit)s has already registered for “%(title)s” in %(year)s.")
                % {"unit": unit.name, "title": title.name, "year": campaign.year},
                field="title",
            ) from None
    else:
        registration.status = Status.DRAFT
        registration.note = nfc(note).strip()
        registration.return_reason = ""
        registration.decided_by = registration.decided_at = registration.submitted_at = None
        registration.save()
    _set_people(registration, people)
    if submit:
        registration = registration_submit(registration=registration, actor=actor, today=today, now=now)
    return registration


@transaction.atomic
def registration_update(
    *, registration: AwardRegistration, actor, people: Iterable[tuple[str, str]], note: str = ""
) -> AwardRegistration:
    registration = _lock_registration(registration)
    _require(registration, Status.DRAFT, Status.RETURNED)
    _set_people(registration, _clean_people(registration.title, people))
    registration.note = nfc(note).strip()
    registration.save(update_fields=["note", "updated_at"])
    return registration


@transaction.atomic
def registration_submit(
    *, registration: AwardRegistration, actor, today: date | None = None, now: datetime | None = None
) -> AwardRegistration:
    """Sends a draft to the region (before the deadline), or a returned one again (at any time)."""
    registration = _lock_registration(registration)
    _require(registration, Status.DRAFT, Status.RETURNED)
    _require_open(registration.campaign)
    if registration.status == Status.DRAFT:
        _check_deadline(registration.campaign, _today(today))
    if registration.title.is_individual and not registration.people.exists():
        raise AwardsError(
            _("Name at least one person of the unit for “%(title)s”.") % {"title": registration.title.name},
            field="people",
        )
    registration.status = Status.SUBMITTED
    registration.submitted_at = now or timezone.now()
    registration.save(update_fields=["status", "submitted_at", "updated_at"])
    return registration


@transaction.atomic
def registration_withdraw(*, registration: AwardRegistration, actor) -> AwardRegistration:
    registration = _lock_registration(registration)
    _require(registration, Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED)
    _require_open(registration.campaign)
    registration.status = Status.WITHDRAWN
    registration.save(update_fields=["status", "updated_at"])
    return registration


@transaction.atomic
def registration_approve(*, registration: AwardRegistration, actor, now: datetime | None = None) -> AwardRegistration:
    registration = _lock_registration(registration)
    _require(registration, Status.SUBMITTED)
    _require_open(registration.campaign)
    registration.status = Status.APPROVED
    registration.return_reason = ""
    registration.decided_by, registration.decided_at = actor, now or timezone.now()
    registration.save(update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"])
    return registration


@transaction.atomic
def registration_return(
    *, registration: AwardRegistration, actor, reason: str, now: datetime | None = None
) -> AwardRegistration:
    reason = nfc(reason).strip()
    if not reason:
        raise AwardsError(
            _("Say why the registration is returned, so the unit knows what to complete."), field="reason"
        )
    registration = _lock_registration(registration)
    _require(registration, Status.SUBMITTED)
    _require_open(registration.campaign)
    registration.status = Status.RETURNED
    registration.return_reason = reason
    registration.decided_by, registration.decided_at = actor, now or timezone.now()
    registration.save(update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"])
    return registration


@transaction.atomic
def registration_propose(*, registration: AwardRegistration, actor) -> AwardRegistration:
    """Proposes an approved registration for the award; titles decided by the region's vote go through the vote."""
    registration = _lock_registration(registration)
    _require(registration, Status.APPROVED)
    if registration.title.requires_vote:
        raise AwardsError(_("This title is proposed by the region's vote: record the vote instead."))
    registration.status = Status.PROPOSED
    registration.save(update_fields=["status", "updated_at"])
    return registration


@transaction.atomic
def registration_not_awarded(*, registration: AwardRegistration, actor, reason: str = "") -> AwardRegistration:
    registration = _lock_registration(registration)
    _require(registration, Status.APPROVED, Status.PROPOSED)
    registration.status = Status.NOT_AWARDED
    registration.outcome_note = nfc(reason).strip()
    registration.save(update_fields=["status", "outcome_note", "updated_at"])
    return registration


# --- scoring tables --------------------------------------------------------------------------------


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
    return sheet


@transaction.atomic
def sheet_submit(*, sheet: ScoreSheet, actor, now: datetime | None = None) -> ScoreSheet:
    sheet = _lock_sheet(sheet)
    if sheet.status != ScoreSheet.Status.DRAFT:
        raise AwardsError(_("The sheet has already been sent for review."))
    unscored = sheet.entries.filter(criterion__kind=Criterion.Kind.STANDARD, self_points__isnull=True)
    codes = list(unscored.values_list("criterion__code", flat=True)[:5])
    if codes:
        raise AwardsError(
            _("Score every criterion before sending; still empty: %(codes)s.") % {"codes": ", ".join(codes)}
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


# --- suy tôn ---------------------------------------------------------------------------------------


VOTE_CANDIDATE_STATUSES = (Status.APPROVED, Status.PROPOSED)


@dataclass
class VoteOutcome:
    vote: Vote
    proposed: AwardRegistration | None
    reason: str  # why no unit was proposed, or ""


@transaction.atomic
def vote_record(
    *,
    campaign: Campaign,
    title: AwardTitle,
    held_on: date,
    ballots_cast: int,
    counts: Mapping[int, int],
    actor,
    note: str = "",
) -> VoteOutcome:
    """Records (or records again) the region's vote; proposes the leading unit when it has a majority.

    Rule: the candidate with the most votes is proposed if it has more than half of the ballots cast
    and no other candidate has as many; otherwise no one is proposed and the region votes again.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_open(campaign)
    if not title.requires_vote:
        raise AwardsError(_("“%(title)s” is not proposed by the region's vote.") % {"title": title.name})
    if ballots_cast is None or ballots_cast < 1:
        raise AwardsError(_("Enter the number of ballots cast (at least 1)."), field="ballots_cast")
    if held_on.year < campaign.year or held_on > timezone.localdate():
        raise AwardsError(
            _("The vote is held in %(year)s or later, and not after today.") % {"year": campaign.year},
            field="held_on",
        )
    if Award.objects.filter(registration__campaign=campaign, title=title).exists():
        raise AwardsError(_("A decision has already awarded this title: the vote can no longer change."))
    members = RegionMembership.objects.filter(region_id=campaign.region_id, year=campaign.year).count()
    if ballots_cast > members:
        raise AwardsError(
            _("%(ballots)s ballots cast, but the region has %(members)s member units in %(year)s.")
            % {"ballots": ballots_cast, "members": members, "year": campaign.year},
            field="ballots_cast",
        )
    candidates = {
        registration.pk: registration
        for registration in AwardRegistration.objects.select_for_update()
        .filter(campaign=campaign, title=title, status__in=VOTE_CANDIDATE_STATUSES)
        .select_related("unit")
    }
    if not counts:
        raise AwardsError(_("Enter the votes of at least one candidate."), field="counts")
    for registration_id, votes_for in counts.items():
        registration = candidates.get(registration_id)
        if registration is None:
            raise AwardsError(_("Only approved registrations for this title can be voted on."), field="counts")
        if votes_for is None or votes_for < 0:
            raise AwardsError(_("Votes cannot be negative."), field="counts")
        if votes_for > ballots_cast:
            raise AwardsError(
                _("%(unit)s: %(votes)s votes for, more than the %(ballots)s ballots cast.")
                % {"unit": registration.unit.name, "votes": votes_for, "ballots": ballots_cast},
                field="counts",
            )
    if sum(counts.values()) > ballots_cast:
        raise AwardsError(
            _("%(votes)s votes in all, more than the %(ballots)s ballots cast: each ballot names one unit.")
            % {"votes": sum(counts.values()), "ballots": ballots_cast},
            field="counts",
        )
    previous = Vote.objects.select_for_update().filter(campaign=campaign, title=title).first()
    if previous is not None:
        AwardRegistration.objects.filter(pk=previous.proposed_id, status=Status.PROPOSED).update(status=Status.APPROVED)
        for registration in candidates.values():
            if registration.pk == previous.proposed_id:
                registration.status = Status.APPROVED
        previous.counts.all().delete()
        previous.delete()
    vote = Vote.objects.create(
        campaign=campaign,
        title=title,
        held_on=held_on,
        ballots_cast=ballots_cast,
        note=nfc(note).strip(),
        recorded_by=actor,
    )
    VoteCount.objects.bulk_create(
        VoteCount(vote=vote, registration_id=registration_id, votes_for=votes_for)
        for registration_id, votes_for in counts.items()
    )
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    leader_id, leader_votes = ranked[0]
    reason = ""
    if len(ranked) > 1 and ranked[1][1] == leader_votes:
        reason = _("Two candidates have the same number of votes: no unit is proposed; the region votes again.")
    elif leader_votes * 2 <= ballots_cast:
        reason = _("No candidate has more than half of the ballots cast: no unit is proposed; the region votes again.")
    proposed = None
    if not reason:
        proposed = candidates[leader_id]
        proposed.status = Status.PROPOSED
        proposed.save(update_fields=["status", "updated_at"])
        vote.proposed = proposed
        vote.save(update_fields=["proposed"])
    return VoteOutcome(vote=vote, proposed=proposed, reason=reason)


# --- decisions -------------------------------------------------------------------------------------


@dataclass
class HistoricalAward:
    """An award given without a registration in the portal (earlier years, or another route)."""

    unit: Unit
    title: AwardTitle
    year: int
    people: str = ""


AWARDABLE = (Status.APPROVED, Status.PROPOSED)


def _people_text(registration: AwardRegistration) -> str:
    return "\n".join(f"{person.full_name}, {person.position}" for person in registration.people.all())


def _award(*, decision: AwardDecision, unit: Unit, title: AwardTitle, year: int, registration=None, people="") -> Award:
    if conflict := _held_conflict(unit, title, year):
        raise AwardsError(conflict, field="registrations")
    try:
        with transaction.atomic():
            return Award.objects.create(
                decision=decision,
                unit=unit,
                title=title,
                year=year,
                registration=registration,
                recipient_name=unit_name_on(unit, decision.signed_on),
                people=people,
            )
    except IntegrityError:
        raise AwardsError(
            _("%(unit)s already holds “%(title)s” for %(year)s.")
            % {"unit": unit.name, "title": title.name, "year": year},
            field="registrations",
        ) from None


@transaction.atomic
def decision_record(
    *,
    number: str,
    signed_on: date,
    issuer: str,
    actor,
    registrations: Iterable[AwardRegistration] = (),
    historical: Iterable[HistoricalAward] = (),
    summary: str = "",
) -> AwardDecision:
    """Records a decision and what it awards: registrations (approved, or proposed where the title needs
    the region's vote) become "awarded"; each award keeps the recipient's name as of the decision's date."""
    number, issuer = nfc(number).strip(), nfc(issuer).strip()
    if not number:
        raise AwardsError(_("Enter the decision's number and symbol."), field="number")
    if not issuer:
        raise AwardsError(_("Enter who issued the decision."), field="issuer")
    if signed_on > timezone.localdate():
        raise AwardsError(_("The decision's date cannot be in the future."), field="signed_on")
    if AwardDecision.objects.filter(number__iexact=number, signed_on=signed_on).exists():
        raise AwardsError(
            _("Decision %(number)s of %(day)s is already recorded.")
            % {"number": number, "day": signed_on.strftime("%d/%m/%Y")},
            field="number",
        )
    locked = list(
        AwardRegistration.objects.select_for_update()
        .filter(pk__in=[registration.pk for registration in registrations])
        .select_related("campaign", "unit", "title")
        .order_by("pk")
    )
    historical = list(historical)
    if not locked and not historical:
        raise AwardsError(_("Choose at least one registration that the decision awards."), field="registrations")
    for registration in locked:
        if registration.status not in AWARDABLE:
            raise AwardsError(
                _("%(unit)s, “%(title)s”: only an approved or proposed registration can be awarded.")
                % {"unit": registration.unit.name, "title": registration.title.name},
                field="registrations",
            )
        if registration.title.requires_vote and registration.status != Status.PROPOSED:
            raise AwardsError(
                _("%(unit)s was not proposed by the region's vote for “%(title)s”.")
                % {"unit": registration.unit.name, "title": registration.title.name},
                field="registrations",
            )
    years = [registration.campaign.year for registration in locked] + [item.year for item in historical]
    if signed_on.year < max(years):
        raise AwardsError(
            _("A decision of %(day)s cannot award an achievement of %(year)s.")
            % {"day": signed_on.strftime("%d/%m/%Y"), "year": max(years)},
            field="signed_on",
        )
    decision = AwardDecision.objects.create(
        number=number, signed_on=signed_on, issuer=issuer, summary=nfc(summary).strip(), recorded_by=actor
    )
    for registration in locked:
        _award(
            decision=decision,
            unit=registration.unit,
            title=registration.title,
            year=registration.campaign.year,
            registration=registration,
            people=_people_text(registration),
        )
        registration.status = Status.AWARDED
        registration.save(update_fields=["status", "updated_at"])
    for item in historical:
        _award(decision=decision, unit=item.unit, title=item.title, year=item.year, people=nfc(item.people).strip())
    return decision
