"""What units register for at the start of the year, how they are scored and ranked at its end,
and what they are awarded.

- ``AwardTitle``: the catalogue of emulation titles and forms of commendation, with their legal
  bases (``AwardTitleBasis``), each in force between two dates.
- ``AwardRegistration``: a unit registers a title in its region's campaign (đăng ký thi đua); the
  region officer or ministry staff approve or return it; the suy tôn vote proposes it; a decision
  awards it. Individuals (``RegisteredPerson``) are named for individual titles.
- ``ScoringTable`` with ``ScoringGroup``, ``Criterion`` and ``GradeThreshold``: the year's scoring
  table (bảng chấm điểm) for some kinds of unit; ``ScoreSheet`` and ``ScoreEntry``: a unit's
  self-scores and the reviewed points.
- ``Vote`` and ``VoteCount``: the suy tôn vote of the year-end conference.
- ``AwardDecision`` and ``Award``: the decision (quyết định khen thưởng) and what it awards, with the
  recipient's name as of the decision's date.
"""

import os
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels
from pacts.models import Campaign
from regions.models import Unit, UnitKind


class AwardTitle(ChoiceLabels, models.Model):
    """An emulation title (danh hiệu thi đua) or a form of commendation (hình thức khen thưởng)."""

    class Kind(models.TextChoices):
        TITLE = "title", _("Emulation title")
        FORM = "form", _("Form of commendation")

    class Subject(models.TextChoices):
        COLLECTIVE = "collective", _("Collective")
        INDIVIDUAL = "individual", _("Individual")

    class Level(models.TextChoices):
        STATE = "state", _("State")
        GOVERNMENT = "government", _("Government")
        MINISTRY = "ministry", _("Ministry and sector")
        GRASSROOTS = "grassroots", _("Grassroots")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("title or form"), max_length=10, choices=Kind.choices, default=Kind.TITLE)
    subject = models.CharField(_("awarded to"), max_length=12, choices=Subject.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    granting_authority = models.CharField(_("granting authority"), max_length=200, blank=True)
    unit_kinds = models.JSONField(
        _("kinds of unit that may register"),
        default=list,
        help_text=_("For an individual title: the units whose staff may be registered."),
    )
    requires_vote = models.BooleanField(
        _("proposed by the region's vote"),
        default=False,
        help_text=_("Awarded to the unit the region votes up (suy tôn) at its year-end conference."),
    )
    excludes = models.ManyToManyField(
        "self",
        verbose_name=_("not together with"),
        blank=True,
        symmetrical=True,
        help_text=_("Titles that may not be awarded for the same year's achievement (one achievement, one award)."),
    )
    conditions = models.TextField(
        _("conditions"),
        blank=True,
        help_text=_("Conditions the portal cannot check, shown as reminders; one per line."),
    )
    chosen_from = models.ForeignKey(
        "self",
        verbose_name=_("chosen from the units voted up for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Only a unit the region voted up (suy tôn) for that title in the same year can be proposed or awarded, "
            "e.g. Cờ thi đua của Chính phủ among the units voted up for Cờ thi đua ngành Tư pháp."
        ),
    )
    max_share_percent = models.PositiveSmallIntegerField(
        _("at most (per cent of those units)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "How many units may be proposed or awarded in a year, as a share of the units voted up for the title "
            "it is chosen from, rounded down (e.g. 20: at most 2 of 10, 1 of 9)."
        ),
    )
    max_per_vote = models.PositiveSmallIntegerField(
        _("units a vote may propose, at most"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: a vote may propose as many units as the region decides."),
    )
    legal_basis = models.TextField(
        _("legal basis of the rules"),
        blank=True,
        help_text=_("The articles and documents the title's rules come from, as they are cited; one per line."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("award title")
        verbose_name_plural = _("award titles")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["title", "form"]), name="award_title_kind_valid"),
            models.CheckConstraint(
                condition=Q(subject__in=["collective", "individual"]), name="award_title_subject_valid"
            ),
            models.CheckConstraint(
                condition=Q(level__in=["state", "government", "ministry", "grassroots"]), name="award_title_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_share_percent__isnull=True)
                | (Q(chosen_from__isnull=False) & Q(max_share_percent__gte=1) & Q(max_share_percent__lte=100)),
                name="award_title_share_of_chosen_from",
            ),
            models.CheckConstraint(
                condition=Q(max_per_vote__isnull=True) | Q(max_per_vote__gte=1),
                name="award_title_max_per_vote_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_individual(self) -> bool:
        return self.subject == self.Subject.INDIVIDUAL

    def allows_kind(self, kind: str) -> bool:
        return kind in self.unit_kinds

    def unit_kind_labels(self) -> list[str]:
        labels = dict(UnitKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.unit_kinds]

    def condition_lines(self) -> list[str]:
        return [line.strip() for line in self.conditions.splitlines() if line.strip()]

    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]


class AwardTitleBasis(models.Model):
    """A legal basis of a title (law, decree, circular), in force from one day to another."""

    title = models.ForeignKey(AwardTitle, on_delete=models.CASCADE, related_name="bases")
    document = models.CharField(_("legal document"), max_length=255, help_text=_("e.g. Thông tư 11/2023/TT-BTP"))
    article = models.CharField(_("article"), max_length=100, blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["title", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="award_basis_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.article}".strip()

    def in_force_during(self, year: int) -> bool:
        return self.valid_from <= date(year, 12, 31) and (self.valid_to is None or self.valid_to >= date(year, 1, 1))


class AwardRegistration(ChoiceLabels, models.Model):
    """A unit's registration of a title in its region's campaign (đăng ký thi đua)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not sent")
        SUBMITTED = "submitted", _("Awaiting approval")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Registration withdrawn")
        PROPOSED = "proposed", _("Proposed")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not_awarded", _("Not awarded")

    # What the reports count as "registered": sent to the region, and not taken back.
    REGISTERED = ("submitted", "returned", "approved", "proposed", "awarded", "not_awarded")

    # Which statuses allow which step, said once: the services enforce these, the pages ask them.
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)  # its people and note change, and it is sent (again)
    WITHDRAWABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED)
    REVIEWABLE_STATUSES = (Status.SUBMITTED,)  # the region approves or returns it
    PROPOSABLE_STATUSES = (Status.APPROVED,)
    # Approved and not yet decided: a vote's candidates, and what a decision awards or records as not awarded.
    AWARDABLE_STATUSES = (Status.APPROVED, Status.PROPOSED)

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="award_registrations"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="award_registrations")
    title = models.ForeignKey(
        AwardTitle, verbose_name=_("award title"), on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("note"), blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or returned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or returned at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("award registration")
        verbose_name_plural = _("award registrations")
        ordering = ["campaign", "title__position", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "title"], name="registration_one_per_title"),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "returned",
                        "approved",
                        "withdrawn",
                        "proposed",
                        "awarded",
                        "not_awarded",
                    ]
                ),
                name="registration_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="registration_returned_with_reason"
            ),
        ]
        indexes = [models.Index(fields=["title", "status"])]

    def __str__(self) -> str:
        return f"{self.title} · {self.unit} · {self.campaign.year}"

    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    def is_withdrawable(self) -> bool:
        return self.status in self.WITHDRAWABLE_STATUSES

    def is_reviewable(self) -> bool:
        return self.status in self.REVIEWABLE_STATUSES

    def is_proposable(self) -> bool:
        """Approved, for a title not decided by the region's vote (the vote proposes those)."""
        return self.status in self.PROPOSABLE_STATUSES and not self.title.requires_vote

    def awaits_decision(self) -> bool:
        """Approved or proposed: it may still be awarded, or recorded as not awarded."""
        return self.status in self.AWARDABLE_STATUSES

    def is_awardable(self) -> bool:
        """Awaits the decision and, if its title is decided by the region's vote, was proposed by it."""
        return self.awaits_decision() and (self.status == self.Status.PROPOSED or not self.title.requires_vote)


class RegistrationTally(models.Model):
    """How many registrations a campaign has for a title, by kind of unit and status: kept by PostgreSQL's
    triggers (awards/migrations/0010) as registrations are written and as units change kind, whatever writes
    them, so that the yearly report counts its figures from a few rows instead of every registration of the
    year. Derived, not evidence: nothing else writes it. On SQLite it stays empty and the report counts the
    registrations themselves."""

    # No constraint in the database: the rows follow the registrations, not the campaigns and titles.
    campaign = models.ForeignKey(
        Campaign, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    title = models.ForeignKey(
        AwardTitle, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    unit_kind = models.CharField(max_length=32)
    status = models.CharField(max_length=12)
    registrations = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "title", "unit_kind", "status"], name="registration_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.title_id}/{self.unit_kind}/{self.status}: {self.registrations}"


class RegisteredPerson(models.Model):
    """A person of the unit registered for an individual title."""

    registration = models.ForeignKey(AwardRegistration, on_delete=models.CASCADE, related_name="people")
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=150)

    class Meta:
        verbose_name = _("registered person")
        verbose_name_plural = _("registered people")
        ordering = ["registration", "id"]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.position}"


# --- scoring (chấm điểm, xếp hạng) -----------------------------------------------------------------

POINTS = {"max_digits": 7, "decimal_places": 2}
# A sheet's sums of POINTS (with_totals sums them as max_digits 9).
TOTAL = {"max_digits": 9, "decimal_places": 2}


class ScoringTable(models.Model):
    """A year's scoring table for some kinds of unit, issued by a decision of the Ministry."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("In use")

    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=255)
    unit_kinds = models.JSONField(_("kinds of unit"), default=list)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scoring table")
        verbose_name_plural = _("scoring tables")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="scoring_table_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def unit_kind_labels(self) -> list[str]:
        labels = dict(UnitKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.unit_kinds]


class ScoringGroup(models.Model):
    """A group of criteria (I. Thực hiện chế độ báo cáo …)."""

    table = models.ForeignKey(ScoringTable, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)

    class Meta:
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        ordering = ["table", "number"]
        constraints = [models.UniqueConstraint(fields=["table", "number"], name="scoring_group_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Criterion(models.Model):
    """A criterion with its maximum points (điểm chuẩn); bonus and deduction items are criteria too."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Criterion")
        BONUS = "bonus", _("Bonus")
        DEDUCTION = "deduction", _("Deduction")

    group = models.ForeignKey(ScoringGroup, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("criterion"))
    max_points = models.DecimalField(_("maximum points"), **POINTS, validators=[MinValueValidator(Decimal("0.01"))])
    kind = models.CharField(_("kind of item"), max_length=10, choices=Kind.choices, default=Kind.STANDARD)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group__number", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="criterion_code_unique_in_group"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_points_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=["standard", "bonus", "deduction"]), name="criterion_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:60]}"


class GradeThreshold(models.Model):
    """The lowest final score of a grade (Xuất sắc from 180 points …)."""

    table = models.ForeignKey(ScoringTable, on_delete=models.CASCADE, related_name="thresholds")
    label = models.CharField(_("grade"), max_length=100)
    min_points = models.DecimalField(_("from (points)"), **POINTS)

    class Meta:
        verbose_name = _("grade threshold")
        verbose_name_plural = _("grade thresholds")
        ordering = ["table", "-min_points"]
        constraints = [
            models.UniqueConstraint(fields=["table", "label"], name="grade_label_unique"),
            models.UniqueConstraint(fields=["table", "min_points"], name="grade_min_points_unique"),
            models.CheckConstraint(condition=Q(min_points__gte=0), name="grade_min_points_not_negative"),
        ]

    def __str__(self) -> str:
        return self.label


class ScoreSheet(ChoiceLabels, models.Model):
    """A unit's score sheet for a year's table: self-scores, then the reviewed points."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being scored")
        SUBMITTED = "submitted", _("Sent for review")
        REVIEWED = "reviewed", _("Reviewed")

    table = models.ForeignKey(
        ScoringTable, verbose_name=_("scoring table"), on_delete=models.PROTECT, related_name="sheets"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="score_sheets")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(_("reason for sending back"), blank=True)
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The sums of the entries (awards.selectors.scoring.with_totals), written by the scoring services each
    # time points change, so that a region's ranking sorts its hundreds of sheets without summing their entries.
    cached_self_total = models.DecimalField(_("self-score total"), **TOTAL, default=Decimal("0"), editable=False)
    cached_final_standard = models.DecimalField(
        _("points on the criteria"), **TOTAL, default=Decimal("0"), editable=False
    )
    cached_final_bonus = models.DecimalField(_("bonus points"), **TOTAL, default=Decimal("0"), editable=False)
    cached_final_deduction = models.DecimalField(_("points deducted"), **TOTAL, default=Decimal("0"), editable=False)
    cached_final_total = models.DecimalField(_("final score"), **TOTAL, default=Decimal("0"), editable=False)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["table", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["table", "unit"], name="score_sheet_one_per_unit"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "reviewed"]), name="score_sheet_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table} · {self.unit}"


def evidence_upload_path(entry: "ScoreEntry", filename: str) -> str:
    return f"evidence/{entry.sheet.table.year}/{entry.sheet_id}/{os.path.basename(filename)}"


class ScoreEntry(models.Model):
    """Points for one criterion: the unit's own, and the reviewer's where they differ."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="entries")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="entries")
    self_points = models.DecimalField(_("self-score"), **POINTS, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_upload_path, blank=True, max_length=255)
    evidence_link = models.URLField(_("evidence link"), blank=True, max_length=500)
    reviewed_points = models.DecimalField(_("reviewed points"), **POINTS, null=True, blank=True)
    review_reason = models.TextField(_("reason for the reviewed points"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["sheet", "criterion__group__number", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True) | Q(self_points__gte=0), name="score_self_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_points__isnull=True) | Q(reviewed_points__gte=0),
                name="score_reviewed_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} · {self.criterion.code}"

    @property
    def final_points(self) -> Decimal | None:
        return self.reviewed_points if self.reviewed_points is not None else self.self_points


class RankingChange(models.Model):
    """A transaction that wrote what a ranking is made of (score sheets, scoring tables, memberships, units and
    their names): PostgreSQL's statement triggers (awards/migrations/0011) insert one row for it, whatever
    wrote, and the row shows when the transaction commits. Rows are only inserted, so writers never wait for
    one another here. The generation of the rankings is how many there are, folded ones included
    (``RankingGeneration``); a ranking page read under one generation is the same page for as long as it
    stays (awards.selectors.scoring). Derived, not evidence; on SQLite nothing inserts them and nothing is
    cached."""

    def __str__(self) -> str:
        return str(self.pk)


class RankingGeneration(models.Model):
    """How many ``RankingChange`` rows were folded: deleted and counted here in one statement
    (``services.scoring.ranking_changes_fold``, run by beat), so that counting the rows stays cheap and the
    generation (this value plus the rows left) never moves back."""

    value = models.BigIntegerField()

    def __str__(self) -> str:
        return str(self.value)


# --- suy tôn ---------------------------------------------------------------------------------------


class Vote(models.Model):
    """The suy tôn vote of a region's year-end conference for a title (Cờ thi đua ngành Tư pháp), held by the
    whole region or by one of its blocks (Khối Sở Tư pháp, Khối Thi hành án dân sự); it may propose several units.

    The units it proposed are its counts marked ``proposed``; a vote recorded before votes could propose several
    units names its one unit in ``proposed`` only (``proposed_registration_ids`` reads both)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="votes")
    title = models.ForeignKey(AwardTitle, verbose_name=_("award title"), on_delete=models.PROTECT, related_name="votes")
    block = models.CharField(
        _("block"), max_length=150, blank=True, default="", help_text=_("e.g. Khối Sở Tư pháp; empty for the region")
    )
    seats = models.PositiveSmallIntegerField(
        _("units to propose"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How many units the vote elects."),
    )
    held_on = models.DateField(_("date of the vote"))
    ballots_cast = models.PositiveSmallIntegerField(_("ballots cast"), validators=[MinValueValidator(1)])
    note = models.TextField(_("note"), blank=True, help_text=_("e.g. the minutes of the year-end conference"))
    proposed = models.ForeignKey(
        AwardRegistration,
        verbose_name=_("proposed registration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "title", "block"], name="vote_one_per_campaign_title_block"),
            models.CheckConstraint(condition=Q(ballots_cast__gte=1), name="vote_ballots_positive"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="vote_seats_positive"),
        ]

    def __str__(self) -> str:
        name = f"{self.title} · {self.campaign}"
        return f"{name} · {self.block}" if self.block else name

    def proposed_registration_ids(self) -> set[int]:
        """The registrations the vote proposed (its counts marked proposed, or its one ``proposed``)."""
        ids = {count.registration_id for count in self.counts.all() if count.proposed}
        if self.proposed_id is not None:
            ids.add(self.proposed_id)
        return ids


class VoteCount(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="counts")
    registration = models.ForeignKey(AwardRegistration, on_delete=models.PROTECT, related_name="vote_counts")
    votes_for = models.PositiveSmallIntegerField(_("votes for"))
    proposed = models.BooleanField(_("proposed by the vote"), default=False)

    class Meta:
        verbose_name = _("votes for a candidate")
        verbose_name_plural = _("votes for candidates")
        ordering = ["vote", "-votes_for"]
        constraints = [models.UniqueConstraint(fields=["vote", "registration"], name="vote_count_one_per_candidate")]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.votes_for}"


# --- decisions -------------------------------------------------------------------------------------


class AwardDecision(models.Model):
    """A decision awarding titles (quyết định khen thưởng): number, date, issuing body."""

    number = models.CharField(_("number and symbol"), max_length=100)
    signed_on = models.DateField(_("date of the decision"))
    issuer = models.CharField(_("issued by"), max_length=200, help_text=_("e.g. Bộ trưởng Bộ Tư pháp"))
    summary = models.CharField(_("about"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        ordering = ["-signed_on", "number"]
        constraints = [models.UniqueConstraint(fields=["number", "signed_on"], name="decision_number_unique_on_day")]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"


class Award(models.Model):
    """One title awarded by a decision to a unit for a year's achievement, named as on the decision's date."""

    decision = models.ForeignKey(
        AwardDecision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="awards"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="awards")
    title = models.ForeignKey(
        AwardTitle, verbose_name=_("award title"), on_delete=models.PROTECT, related_name="awards"
    )
    year = models.PositiveSmallIntegerField(_("year of the achievement"))
    registration = models.OneToOneField(
        AwardRegistration, on_delete=models.PROTECT, null=True, blank=True, related_name="award"
    )
    recipient_name = models.CharField(_("recipient"), max_length=255)
    people = models.TextField(_("people"), blank=True, help_text=_("For an individual title: who, one per line."))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "title__position"]
        constraints = [
            # One achievement, one award: a unit holds a title once for a year.
            models.UniqueConstraint(fields=["unit", "title", "year"], name="award_once_per_unit_title_year"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.recipient_name} · {self.year}"
