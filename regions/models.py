"""Who competes with whom, each year: provinces, member units, their leaders, regions and rosters.

Names change over the years (the 2025 mergers above all) and are never overwritten: every unit
and region keeps a dated name history, and pages ask for the name a record had on its own date.
``Unit.name`` and ``Region.name`` hold the latest name only so that lists and ``str()`` need no
extra query; the rename services keep them in step with the history.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The span of years lives in core (forms ask it too); importers of regions.models keep finding it here.
from core.choices import ChoiceLabels
from core.search import Folded
from core.years import FIRST_YEAR, LAST_YEAR


class Province(models.Model):
    """A province or centrally-run city, valid between two dates (63 until 30/06/2025, then 34)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="province_valid_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class DatedName(models.Model):
    """A name that took effect on a day, until the next one: an entry of the name history of a unit or a region."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    # Empty when the day a first name took effect is not known: never a made-up day (a unit's or a region's
    # first name only; every later name takes effect on a known day).
    valid_from = models.DateField(_("in effect from"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        """As shown in lists: "name (dd/mm/yyyy)", or "name (start unknown)"."""
        start = f"{self.valid_from:%d/%m/%Y}" if self.valid_from else _("start unknown")
        return f"{self.name} ({start})"


class UnitKind(models.TextChoices):
    SO_TU_PHAP = "so_tu_phap", _("Department of Justice (Sở Tư pháp)")
    CUC_THADS = "cuc_thads", _("Civil Judgment Enforcement Department (Cục THADS)")
    CHI_CUC_THADS = "chi_cuc_thads", _("District Civil Judgment Enforcement Office (Chi cục THADS)")
    THADS_TINH = "thads_tinh", _("Provincial Civil Judgment Enforcement (THADS tỉnh)")
    PHONG_THADS_KHU_VUC = "phong_thads_khu_vuc", _("Regional Civil Judgment Enforcement Office")
    OTHER = "other", _("Other")


class Unit(ChoiceLabels, models.Model):
    Kind = UnitKind

    name = models.CharField(_("name"), max_length=255, help_text=_("The latest name; the history is kept apart."))
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    # Folded as a search folds its text (core.search), kept by the database: a search's trigram indexes read
    # these columns and check their candidates on them, instead of folding each candidate's name again.
    name_folded = models.GeneratedField(expression=Folded("name"), output_field=models.TextField(), db_persist=True)
    short_name_folded = models.GeneratedField(
        expression=Folded("short_name"), output_field=models.TextField(), db_persist=True
    )
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("For a Chi cục THADS: its Cục THADS."),
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UnitKind.values), name="unit_kind_valid"),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="unit_active_dates_ordered",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_its_own_parent"),
        ]
        indexes = [models.Index(fields=["kind", "province"])]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to
        )


class UnitName(DatedName):
    """One name of a unit, from the day it took effect until the next one."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="names")
    name_folded = models.GeneratedField(expression=Folded("name"), output_field=models.TextField(), db_persist=True)
    short_name_folded = models.GeneratedField(
        expression=Folded("short_name"), output_field=models.TextField(), db_persist=True
    )
    basis = models.CharField(_("basis"), max_length=255, blank=True, help_text=_("e.g. the decision that renamed it"))
    # The province the unit belonged to while it had this name: a unit moves province with its name (Sở Tư pháp
    # tỉnh Thừa Thiên Huế became Sở Tư pháp thành phố Huế, of the new province, on 01/01/2025).
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_names",
    )

    class Meta:
        verbose_name = _("unit name")
        verbose_name_plural = _("unit names")
        ordering = [models.F("unit").asc(), models.F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unit_name_one_per_day"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_from__isnull=True), name="unit_name_one_unknown_start"
            ),
        ]


# The appointments that lead a unit alone (one open-ended at a time): a head, a formally appointed acting head
# ("Quyền …"), or a deputy placed in charge while the post is vacant ("Phó … phụ trách").
HEAD_LIKE_KINDS = ("head", "acting_head", "deputy_in_charge")


class Appointment(ChoiceLabels, models.Model):
    """Who leads a unit, as what, from when to when: the signer for a unit is resolved by date."""

    class Kind(models.TextChoices):
        HEAD = "head", _("Head")
        ACTING_HEAD = "acting_head", _("Acting head")
        DEPUTY = "deputy", _("Deputy head")
        DEPUTY_IN_CHARGE = "deputy_in_charge", _("Deputy head in charge")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="appointments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, help_text=_("e.g. Giám đốc, Cục trưởng"))
    kind = models.CharField(_("appointed as"), max_length=16, choices=Kind.choices, default=Kind.HEAD)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["unit", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["head", "acting_head", "deputy", "deputy_in_charge"]),
                name="appointment_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="appointment_end_after_start"
            ),
            # A unit has one open-ended head (or acting head) at a time; the service closes the last one.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(end__isnull=True, kind__in=HEAD_LIKE_KINDS),
                name="appointment_one_open_head_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.position}"

    def is_current_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Region(models.Model):
    """An emulation region (khu vực, cụm, khối thi đua): peer units that compete and rank each other."""

    name = models.CharField(_("name"), max_length=255, help_text=_("The latest name; the history is kept apart."))
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegionTerm(models.TextChoices):
    """What a region was called while it had a name: the ministry's "khu vực thi đua" of 2013 became "cụm thi
    đua"; the enforcement offices compete in "khối thi đua". Pages say "Trưởng khu vực" or "Trưởng cụm" by it."""

    KHU_VUC = "khu_vuc", _("emulation region (khu vực thi đua)")
    CUM = "cum", _("emulation cluster (cụm thi đua)")
    KHOI = "khoi", _("emulation block (khối thi đua)")


def region_term_of_name(name: str) -> str:
    """The term a region's name itself uses ("Cụm thi đua …" → cụm), khu vực when it names none."""
    words = name.strip().casefold()
    if words.startswith("cụm"):
        return RegionTerm.CUM
    if words.startswith("khối"):
        return RegionTerm.KHOI
    return RegionTerm.KHU_VUC


class RegionName(DatedName):
    """One name of a region, from the day it took effect until the next one, with what the region was called."""

    Term = RegionTerm

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="names")
    term = models.CharField(
        _("called"),
        max_length=8,
        choices=RegionTerm.choices,
        default=RegionTerm.KHU_VUC,
        help_text=_("How documents of that time call the region and its head: khu vực, cụm or khối thi đua."),
    )

    class Meta:
        verbose_name = _("region name")
        verbose_name_plural = _("region names")
        ordering = [models.F("region").asc(), models.F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from"], name="region_name_one_per_day"),
            models.UniqueConstraint(
                fields=["region"], condition=Q(valid_from__isnull=True), name="region_name_one_unknown_start"
            ),
            models.CheckConstraint(condition=Q(term__in=RegionTerm.values), name="region_name_term_valid"),
        ]


class RegionMembership(ChoiceLabels, models.Model):
    """A unit's place in a region's roster for one year: head, deputy or member."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of region")
        DEPUTY = "deputy", _("Deputy head of region")
        MEMBER = "member", _("Member")

    # No index of its own: the roster's indexes below begin with the region.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="memberships", db_index=False
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships")
    year = models.PositiveSmallIntegerField(_("year"))
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    rotation_position = models.PositiveSmallIntegerField(
        _("rotation order"), default=0, help_text=_("The order in which units take their turn as head.")
    )

    class Meta:
        verbose_name = _("region membership")
        verbose_name_plural = _("region memberships")
        ordering = ["region", "year", "rotation_position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="membership_one_region_per_unit_year"),
            models.UniqueConstraint(
                fields=["region", "year"], condition=Q(role="head"), name="membership_one_head_per_region_year"
            ),
            models.CheckConstraint(condition=Q(role__in=["head", "deputy", "member"]), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR), name="membership_year_in_range"
            ),
        ]
        indexes = [
            # A roster's units (rankings, counts, "is this unit a member"): read from the index alone.
            models.Index(fields=["region", "year", "unit"], name="membership_units_idx"),
            # A roster's page reads its members in rotation order from this index, whatever the roster's size.
            models.Index(fields=["region", "year", "rotation_position", "id"], name="membership_rotation_idx"),
            # Its head and deputies, without reading the members.
            models.Index(
                fields=["region", "year"],
                condition=Q(role__in=["head", "deputy"]),
                name="membership_leading_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.region} · {self.year}"
