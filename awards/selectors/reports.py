"""Read-only queries of the yearly registration report: who registered for which title, counted by kind of unit.

The counts come from one aggregate query, whatever the number of units and regions; the list of
registrations shows each unit and region by its name of that year. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pacts.permissions import acting_unit_ids
from regions.models import Region, RegionMembership, UnitKind
from regions.selectors import (
    with_region_names_on,
    with_unit_names_on,
    year_reference_day,
)

from ..models import AwardRegistration, AwardTitle, RegisteredPerson, RegistrationTally
from ..permissions import sees_every_region


@dataclass(frozen=True)
class KindGroup:
    """A column of the report: kinds of unit counted together."""

    code: str
    label: Promise
    kinds: tuple[str, ...]


# The columns of the report, in this order; the THADS bodies of after 01/07/2025 are kept apart from
# the Cục and Chi cục they replaced, so that a year's figures read as that year's units were organised.
KIND_GROUPS: tuple[KindGroup, ...] = (
    KindGroup("stp", _("Departments of Justice"), (UnitKind.SO_TU_PHAP,)),
    KindGroup("thads", _("Enforcement departments and district offices"), (UnitKind.CUC_THADS, UnitKind.CHI_CUC_THADS)),
    KindGroup(
        "thads_tinh",
        _("Provincial enforcement bodies and regional offices"),
        (UnitKind.THADS_TINH, UnitKind.PHONG_THADS_KHU_VUC),
    ),
    KindGroup("other", _("Other"), (UnitKind.OTHER,)),
)
GROUP_OF_KIND: dict[str, str] = {kind: group.code for group in KIND_GROUPS for kind in group.kinds}
TOTAL = "total"


@dataclass(frozen=True)
class ReportFilter:
    """What the report counts; ``region_ids`` None means every region."""

    year: int
    statuses: tuple[str, ...] = AwardRegistration.REGISTERED
    region_ids: tuple[int, ...] | None = None
    title_id: int | None = None
    kind: str = ""


@dataclass(frozen=True)
class Cell:
    group: str  # a group's code, or TOTAL
    count: int


@dataclass
class CountRow:
    """Counts by kind group for one title (``title`` None: a total row)."""

    title: AwardTitle | None
    counts: dict[str, int] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.title.code if self.title is not None else TOTAL

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, group: str, count: int) -> None:
        self.counts[group] = self.counts.get(group, 0) + count

    def lay_out(self, groups: list[KindGroup]) -> None:
        self.cells = [Cell(group.code, self.counts.get(group.code, 0)) for group in groups]
        self.cells.append(Cell(TOTAL, self.total))


@dataclass
class RegionCounts:
    region_id: int
    name: str
    rows: list[CountRow]
    total: CountRow


@dataclass
class Summary:
    """The report's tables: by title, and by region and title; columns are the groups that have registrations."""

    groups: list[KindGroup]
    rows: list[CountRow]
    total: CountRow
    regions: list[RegionCounts]

    @property
    def is_empty(self) -> bool:
        return not self.rows


# --- who sees what ---------------------------------------------------------------------------------


def visible_region_ids(user, year: int) -> set[int] | None:
    """The regions whose figures the user may see that year: None for every region (ministry staff and
    administrators), else the regions where a unit the user acts for is a member that year."""
    if sees_every_region(user):
        return None
    units = acting_unit_ids(user)
    return set(RegionMembership.objects.filter(year=year, unit_id__in=units).values_list("region_id", flat=True))


def default_year(user) -> int:
    """The latest year with registrations the user may see (this year when there are none)."""
    registrations = AwardRegistration.objects.filter(status__in=AwardRegistration.REGISTERED)
    if not sees_every_region(user):
        registrations = registrations.filter(
            campaign__region__memberships__unit_id__in=acting_unit_ids(user),
            campaign__region__memberships__year=F("campaign__year"),
        )
    latest = registrations.aggregate(year=Max("campaign__year"))["year"]
    return latest or timezone.localdate().year


def region_choices(year: int, visible: set[int] | None) -> list[tuple[int, str]]:
    """The regions with a roster that year (those the user may see), by their names of that year."""
    regions = Region.objects.filter(pk__in=RegionMembership.objects.filter(year=year).values("region_id"))
    if visible is not None:
        regions = regions.filter(pk__in=visible)
    regions = with_region_names_on(regions, year_reference_day(year)).order_by("region_name_on_day", "pk")
    return list(regions.values_list("pk", "region_name_on_day"))


# --- the figures -----------------------------------------------------------------------------------


def _narrowed(found: QuerySet, report: ReportFilter, *, kind: str) -> QuerySet:
    """``found`` (registrations, or their tallies) narrowed to what the report counts; ``kind``: the path to
    the unit's kind."""
    found = found.filter(campaign__year=report.year, status__in=report.statuses)
    if report.region_ids is not None:
        found = found.filter(campaign__region_id__in=report.region_ids)
    if report.title_id is not None:
        found = found.filter(title_id=report.title_id)
    if report.kind:
        found = found.filter(**{kind: report.kind})
    return found


def registrations(report: ReportFilter) -> QuerySet[AwardRegistration]:
    return _narrowed(AwardRegistration.objects.all(), report, kind="unit__kind")


def _counts(report: ReportFilter) -> list[dict]:
    """The registrations counted by region, title and kind of unit (``campaign__region_id``, ``title_id``,
    ``kind``, ``registered``): on PostgreSQL from the tallies its triggers keep (``RegistrationTally``), a few
    rows a campaign whatever its registrations; on SQLite from the registrations themselves."""
    if connection.vendor != "postgresql":
        found = registrations(report).values("campaign__region_id", "title_id", kind=F("unit__kind"))
        return list(found.annotate(registered=Count("id")).order_by())
    tallies = _narrowed(RegistrationTally.objects.filter(registrations__gt=0), report, kind="unit_kind")
    found = tallies.values("campaign__region_id", "title_id", kind=F("unit_kind"))
    return list(found.annotate(registered=Sum("registrations")).order_by())


def titles_in_order() -> list[AwardTitle]:
    """The catalogue of titles in its order (position, name)."""
    return list(AwardTitle.objects.all())


def summary(
    report: ReportFilter, *, titles: list[AwardTitle] | None = None, regions: list[tuple[int, str]] | None = None
) -> Summary:
    """The counts by title, kind group and region: one aggregate query, then the titles and region names,
    unless the caller has read them (``titles_in_order``; ``region_choices``: the regions with a roster that
    year, named as then, in the database's order of names)."""
    counts = _counts(report)
    if not counts:
        total = CountRow(None)
        total.lay_out([])
        return Summary(groups=[], rows=[], total=total, regions=[])
    counted_titles = {row["title_id"] for row in counts}
    if titles is None or not counted_titles <= {title.pk for title in titles}:
        titles = list(AwardTitle.objects.filter(pk__in=counted_titles))
    titles = [title for title in titles if title.pk in counted_titles]
    counted_regions = {row["campaign__region_id"] for row in counts}
    if regions is None or not counted_regions <= {pk for pk, _name in regions}:
        region_names = with_region_names_on(
            Region.objects.filter(pk__in=counted_regions), year_reference_day(report.year)
        )
        # In the database's order of names, as registration_list sorts the regions.
        regions = list(region_names.order_by("region_name_on_day", "pk").values_list("pk", "region_name_on_day"))
    regions = [(pk, name) for pk, name in regions if pk in counted_regions]

    by_title: dict[int, CountRow] = {title.pk: CountRow(title) for title in titles}
    by_region: dict[int, dict[int, CountRow]] = defaultdict(dict)
    total = CountRow(None)
    for row in counts:
        group = GROUP_OF_KIND.get(row["kind"], "other")
        title_id, region_id, count = row["title_id"], row["campaign__region_id"], row["registered"]
        by_title[title_id].add(group, count)
        by_region[region_id].setdefault(title_id, CountRow(by_title[title_id].title)).add(group, count)
        total.add(group, count)

    groups = [group for group in KIND_GROUPS if total.counts.get(group.code)]
    rows = [by_title[title.pk] for title in titles]  # catalogue order
    region_rows = []
    for region_id, name in regions:
        per_title = by_region[region_id]
        region_total = CountRow(None)
        for row in per_title.values():
            for group, count in row.counts.items():
                region_total.add(group, count)
        ordered = [per_title[title.pk] for title in titles if title.pk in per_title]
        region_rows.append(RegionCounts(region_id, name, ordered, region_total))
    for row in [*rows, total, *(r for region in region_rows for r in (*region.rows, region.total))]:
        row.lay_out(groups)
    return Summary(groups=groups, rows=rows, total=total, regions=region_rows)


def registration_list(report: ReportFilter, *, with_people: bool = True) -> QuerySet[AwardRegistration]:
    """The registrations, by region, title and unit, each unit and region named as that year."""
    day = year_reference_day(report.year)
    found = registrations(report).select_related("unit", "title", "campaign")
    found = with_unit_names_on(found, day, unit_path="unit")
    found = with_region_names_on(found, day, region_path="campaign__region")
    if with_people:
        found = found.prefetch_related("people")
    # When no name takes effect after that year, the names of that day are the columns (regions.selectors).
    return found.order_by("region_name_on_day", "title__position", "title__name", "name_on_day", "pk")


@dataclass(frozen=True)
class ReportRow:
    """What the report's list shows of a registration: region and unit named as that year, the title, the
    status, and the individuals named on a registration for an individual title."""

    pk: int
    status: str
    region_name_on_day: str
    name_on_day: str
    unit_kind: str
    title_name: str
    individual: bool
    people: tuple[str, ...]

    def get_status_display(self) -> str:
        return str(AwardRegistration.Status(self.status).label)

    def get_unit_kind_display(self) -> str:
        return str(UnitKind(self.unit_kind).label)


ROW_VALUES = ("pk", "status", "region_name_on_day", "name_on_day", "unit__kind", "title__name", "title__subject")


def registration_page(report: ReportFilter, summary: Summary, start: int, stop: int) -> list[ReportRow]:
    """Rows ``start`` to ``stop`` of ``registration_list``, with the columns the report's page shows. The list
    is sorted by region, then title, and the summary has counted each region's registrations of each title in
    that order (its regions in the database's order of names, a region's titles in the catalogue's), so only
    the groups holding those rows are sorted (a page of the country's year sorts one or two titles of one
    region, not the year's); when two regions share a name their registrations interleave, and the whole list
    is sorted. One query, and one for the people of individual titles."""
    rows = registration_list(report, with_people=False)
    names = [region.name for region in summary.regions]
    if len(set(names)) < len(names):
        return _report_rows(rows[start:stop])
    held, offset, first = Q(), None, 0  # first: the list's row where a group's registrations begin
    for region in summary.regions:
        for group in region.rows:
            last = first + group.total
            if first < stop and start < last:
                held |= Q(campaign__region_id=region.region_id, title_id=group.title.pk)
                offset = first if offset is None else offset
            first = last
    if offset is None:
        return []
    # The groups held are consecutive in the list: among their registrations the list's order is the same.
    return _report_rows(rows.filter(held)[start - offset : stop - offset])


def _report_rows(registrations: QuerySet[AwardRegistration]) -> list[ReportRow]:
    found = list(registrations.values_list(*ROW_VALUES))
    people: dict[int, list[str]] = defaultdict(list)
    if found:  # asked whatever the titles, so that a page's queries do not depend on its rows
        named = RegisteredPerson.objects.filter(registration_id__in=[values[0] for values in found])
        named = named.order_by("registration_id", "id")
        for registration_id, full_name, position in named.values_list("registration_id", "full_name", "position"):
            people[registration_id].append(person_label(full_name, position))
    return [
        ReportRow(
            pk,
            status,
            region_name,
            unit_name,
            kind,
            title_name,
            subject == AwardTitle.Subject.INDIVIDUAL,
            tuple(people.get(pk, ())),
        )
        for pk, status, region_name, unit_name, kind, title_name, subject in found
    ]


def people_by_registration(report: ReportFilter) -> dict[int, list[str]]:
    """The people named on the report's registrations of individual titles, in one query."""
    people: dict[int, list[str]] = defaultdict(list)
    rows = RegisteredPerson.objects.filter(registration__in=registrations(report).values("pk")).order_by(
        "registration_id", "id"
    )
    for registration_id, full_name, position in rows.values_list("registration_id", "full_name", "position"):
        people[registration_id].append(person_label(full_name, position))
    return people


def person_label(full_name: str, position: str) -> str:
    return f"{full_name} ({position})" if position else full_name
