"""Reads of the regions app: names as they were on a date, leaders on a day, rosters of a year."""

from dataclasses import dataclass
from datetime import date

from django.db import connection, models
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from core.memo import once_per_request
from core.search import folded
from core.text import fold

from .models import (
    HEAD_LIKE_KINDS,
    Appointment,
    Province,
    Region,
    RegionMembership,
    RegionName,
    RegionTerm,
    Unit,
    UnitName,
    region_term_of_name,
)


def year_reference_day(year: int) -> date:
    """The day whose names a year's records show: the year's last day."""
    return date(year, 12, 31)


def units_active_on(day: date) -> Q:
    """Units active on that day, as a filter (the query form of ``Unit.is_active_on``)."""
    return (Q(active_from__isnull=True) | Q(active_from__lte=day)) & (Q(active_to__isnull=True) | Q(active_to__gte=day))


def provinces_valid_on(day: date) -> QuerySet[Province]:
    return Province.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def _in_force_on(day: date) -> Q:
    """Names that took effect on or before that day, or at an unknown start (the first name only)."""
    return Q(valid_from__lte=day) | Q(valid_from__isnull=True)


LATEST_FIRST = F("valid_from").desc(nulls_last=True)
EARLIEST_FIRST = F("valid_from").asc(nulls_first=True)


def _entry_on(names: QuerySet, day: date):
    """The name entry in force on that day; before the first recorded name, the first one."""
    return names.filter(_in_force_on(day)).order_by(LATEST_FIRST).first() or names.order_by(EARLIEST_FIRST).first()


def unit_name_entry_on(unit: Unit, day: date) -> UnitName | None:
    return _entry_on(UnitName.objects.filter(unit=unit).select_related("province"), day)


def unit_name_on(unit: Unit, day: date) -> str:
    entry = unit_name_entry_on(unit, day)
    return entry.name if entry else unit.name


def unit_province_on(unit: Unit, day: date) -> Province | None:
    """The province the unit belonged to on that day (Huế's Sở: Thừa Thiên Huế in 2024, thành phố Huế from 2025)."""
    entry = unit_name_entry_on(unit, day)
    if entry is None or entry.province_id is None:
        return unit.province
    return entry.province


# ``_entry_on`` for a region in one query written once (it heads the roster, the ranking and a pact's progress,
# where the ORM's build of one or two queries cost more than the database's answer): the names in force that
# day first, the latest of them; else, for a day before the first recorded name, the earliest.
REGION_NAME_ON_SQL = """
SELECT * FROM regions_regionname
WHERE region_id = %s
ORDER BY (valid_from <= %s OR valid_from IS NULL) DESC,
         CASE WHEN valid_from <= %s OR valid_from IS NULL THEN valid_from END DESC NULLS LAST,
         valid_from ASC NULLS FIRST
LIMIT 1
"""


def region_name_entry_on(region: Region, day: date) -> RegionName | None:
    return next(iter(RegionName.objects.raw(REGION_NAME_ON_SQL, [region.pk, day, day])), None)


def region_name_on(region: Region, day: date) -> str:
    entry = region_name_entry_on(region, day)
    return entry.name if entry else region.name


def region_term_on(region: Region, day: date) -> str:
    """What the region was called on that day: "khu_vuc", "cum" or "khoi" (``RegionName.Term``)."""
    return region_name_and_term_on(region, day)[1]


def region_name_and_term_on(region: Region, day: date) -> tuple[str, str]:
    """The region's name on that day and what it was called (``region_term_on``), read together."""
    entry = region_name_entry_on(region, day)
    return (entry.name, entry.term) if entry else (region.name, region_term_of_name(region.name))


def _name_on_subquery(model, fk: str, outer: str, day: date, field: str = "name"):
    return Subquery(
        model.objects.filter(_in_force_on(day), **{fk: OuterRef(outer)}).order_by(LATEST_FIRST).values(field)[:1]
    )


def _path(prefix: str, field: str) -> str:
    return field if prefix == "pk" else f"{prefix}__{field}"


def with_unit_names_on(queryset: QuerySet, day: date, *, unit_path: str = "pk") -> QuerySet:
    """Annotates ``name_on_day`` (the unit's name on that day) in the same query.

    ``unit_path`` is the path from the queryset's model to the unit's id ("pk" for units,
    "unit" for memberships). When no name takes effect after that day (``names_change_after``: one
    query), every unit's name then is its latest, which the services keep in ``Unit.name``: the column is
    read instead of a subquery per row, cheaper to build, to run and to sort on.
    """
    if not names_change_after(day):
        return queryset.annotate(name_on_day=F(_path(unit_path, "name")))
    return queryset.annotate(
        name_on_day=Coalesce(_name_on_subquery(UnitName, "unit", unit_path, day), _path(unit_path, "name"))
    )


def _province_id_on(day: date, unit_path: str):
    """The unit's province on that day: ``Unit.province`` when no name, and so no province, takes effect
    after that day."""
    if not names_change_after(day):
        return F(_path(unit_path, "province_id"))
    return Coalesce(
        _name_on_subquery(UnitName, "unit", unit_path, day, "province_id"),
        _path(unit_path, "province_id"),
        output_field=models.BigIntegerField(),
    )


def with_unit_provinces_on(queryset: QuerySet, day: date, *, unit_path: str = "pk") -> QuerySet:
    """Annotates ``province_on_day_id`` and ``province_name_on_day``: the unit's province on that day
    (``_province_id_on``)."""
    queryset = queryset.annotate(province_on_day_id=_province_id_on(day, unit_path))
    if not names_change_after(day):
        return queryset.annotate(province_name_on_day=F(_path(unit_path, "province__name")))
    return queryset.annotate(
        province_name_on_day=Subquery(Province.objects.filter(pk=OuterRef("province_on_day_id")).values("name")[:1])
    )


def with_region_names_on(queryset: QuerySet, day: date, *, region_path: str = "pk") -> QuerySet:
    """Annotates the region's ``region_name_on_day``, ``region_short_name_on_day`` and ``region_term_on_day``
    (the name and short name read from ``Region``, which the services keep as the latest, when no name takes
    effect after that day)."""
    term = Coalesce(_name_on_subquery(RegionName, "region", region_path, day, "term"), Value(RegionTerm.KHU_VUC))
    if not region_names_change_after(day):
        return queryset.annotate(
            region_name_on_day=F(_path(region_path, "name")),
            region_short_name_on_day=F(_path(region_path, "short_name")),
            region_term_on_day=term,
        )
    return queryset.annotate(
        region_name_on_day=Coalesce(
            _name_on_subquery(RegionName, "region", region_path, day), _path(region_path, "name")
        ),
        region_short_name_on_day=Coalesce(
            _name_on_subquery(RegionName, "region", region_path, day, "short_name"), _path(region_path, "short_name")
        ),
        region_term_on_day=term,
    )


def roster(region: Region, year: int) -> QuerySet[RegionMembership]:
    """The region's roster for a year, in rotation order, with each unit's name and province as of that year."""
    day = year_reference_day(year)
    memberships = (
        RegionMembership.objects.filter(region=region, year=year)
        .select_related("unit", "unit__province")
        .order_by("rotation_position", "id")
    )
    return with_unit_provinces_on(with_unit_names_on(memberships, day, unit_path="unit"), day, unit_path="unit")


def roster_counts(region: Region, year: int) -> tuple[int, int, dict[str, int]]:
    """The roster's member count, the provinces it spans (each unit's province of that year) and its
    members by kind of unit (the kinds with members): one query of its (kind, province) groups, a few dozen
    rows whatever the roster's size (written as SQL on PostgreSQL, as ``roster_page``)."""
    day = year_reference_day(year)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            params = {"region": region.pk, "year": year, "day": day}
            cursor.execute(ROSTER_COUNTS_SQL.format(province=unit_columns_on_sql(day)["province"]), params)
            groups = cursor.fetchall()
    else:
        groups = (
            RegionMembership.objects.filter(region=region, year=year)
            .annotate(province_of_year=_province_id_on(day, "unit"))
            .values_list("unit__kind", "province_of_year")
            .annotate(n=Count("id"))
            .order_by()
        )
    by_kind: dict[str, int] = {}
    provinces = set()
    for kind, province, n in groups:
        by_kind[kind] = by_kind.get(kind, 0) + n
        if province is not None:
            provinces.add(province)
    by_kind = {kind: by_kind[kind] for kind in Unit.Kind.values if by_kind.get(kind)}
    return sum(by_kind.values()), len(provinces), by_kind


@dataclass
class RosterRow:
    """A member of a roster as its page shows it (``roster_page``); the view adds ``role_label``."""

    unit_id: int
    role: str  # a RegionMembership.Role
    rotation_position: int
    kind: str  # a Unit.Kind
    name_on_day: str
    province_name_on_day: str | None
    role_label: str = ""

    def get_kind_display(self) -> str:
        return str(Unit.Kind(self.kind).label)


LEADING_ROLES = (RegionMembership.Role.HEAD, RegionMembership.Role.DEPUTY)

# A unit's name and province on a day, in SQL: the value of the name in force then (the latest that took
# effect), else the unit's column; as with_unit_names_on and with_unit_provinces_on write them when a name
# takes effect later.
_IN_FORCE_ON_DAY_SQL = """COALESCE((
    SELECT n.{column} FROM regions_unitname n
    WHERE n.unit_id = m.unit_id AND (n.valid_from <= %(day)s OR n.valid_from IS NULL)
    ORDER BY n.valid_from DESC NULLS LAST LIMIT 1
), u.{column})"""
UNIT_NAME_ON_DAY_SQL = _IN_FORCE_ON_DAY_SQL.format(column="name")
UNIT_PROVINCE_ON_DAY_SQL = _IN_FORCE_ON_DAY_SQL.format(column="province_id")

# The roster page's rows, then its head and deputies, each in rotation order, in one round trip on PostgreSQL:
# built through the ORM (``roster``'s names and provinces of the day, twice) the two queries cost more Python
# than the database takes to answer them.
# tests/regions/test_roster_sql.py compares with the ORM's answer, which other databases use.
ROSTER_PAGE_SQL = """
(
    SELECT false AS leading, m.id, m.unit_id, m.role, m.rotation_position, u.kind, {name}, p.name
    FROM regions_regionmembership m
    JOIN regions_unit u ON u.id = m.unit_id
    LEFT JOIN regions_province p ON p.id = {province}
    WHERE m.region_id = %(region)s AND m.year = %(year)s
    ORDER BY m.rotation_position, m.id
    LIMIT %(limit)s OFFSET %(offset)s
) UNION ALL (
    SELECT true AS leading, m.id, m.unit_id, m.role, m.rotation_position, u.kind, {name}, p.name
    FROM regions_regionmembership m
    JOIN regions_unit u ON u.id = m.unit_id
    LEFT JOIN regions_province p ON p.id = {province}
    WHERE m.region_id = %(region)s AND m.year = %(year)s AND m.role = ANY(%(leading)s)
)
ORDER BY 1, 5, 2
"""
ROSTER_COUNTS_SQL = """
    SELECT u.kind, {province}, COUNT(*)
    FROM regions_regionmembership m
    JOIN regions_unit u ON u.id = m.unit_id
    WHERE m.region_id = %(region)s AND m.year = %(year)s
    GROUP BY 1, 2
"""


def unit_columns_on_sql(day: date) -> dict[str, str]:
    """The SQL of a unit's ``name`` and ``province`` (id) on that day, for a query that calls the membership
    ``m`` and the unit ``u``: the columns, unless a name takes effect after that day."""
    if names_change_after(day):
        return {"name": UNIT_NAME_ON_DAY_SQL, "province": UNIT_PROVINCE_ON_DAY_SQL}
    return {"name": "u.name", "province": "u.province_id"}


def roster_page(region: Region, year: int, start: int, stop: int | None) -> tuple[list[RosterRow], list[RosterRow]]:
    """Members ``start`` to ``stop`` (excluded; None: to the end) of the roster in rotation order, and its head
    and deputies."""
    if connection.vendor != "postgresql":
        members = roster(region, year)
        leading = members.filter(role__in=LEADING_ROLES)
        return [_roster_row(m) for m in members[start:stop]], [_roster_row(m) for m in leading]
    day = year_reference_day(year)
    params = {"region": region.pk, "year": year, "day": day, "offset": start}
    params["limit"] = None if stop is None else stop - start  # LIMIT NULL: no limit
    params["leading"] = [str(role) for role in LEADING_ROLES]
    with connection.cursor() as cursor:
        cursor.execute(ROSTER_PAGE_SQL.format(**unit_columns_on_sql(day)), params)
        found = cursor.fetchall()
    page, leading = [], []
    for is_leading, _id, *values in found:
        (leading if is_leading else page).append(RosterRow(*values))
    return page, leading


def roster_rows(region: Region, year: int) -> list[RosterRow]:
    """The whole roster in rotation order, as rows (the rotation order's form has a field a member)."""
    return roster_page(region, year, 0, None)[0]


def _roster_row(membership: RegionMembership) -> RosterRow:
    return RosterRow(
        membership.unit_id,
        membership.role,
        membership.rotation_position,
        membership.unit.kind,
        membership.name_on_day,
        membership.province_name_on_day,
    )


def region_years(region: Region) -> list[int]:
    return list(
        RegionMembership.objects.filter(region=region).values_list("year", flat=True).distinct().order_by("year")
    )


def appointments_held_on(day: date, **where) -> QuerySet[Appointment]:
    """The appointments held that day (begun, not ended), narrowed by ``where`` (a unit, a person, units)."""
    return Appointment.objects.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day, **where)


def appointments_on(unit: Unit, day: date) -> QuerySet[Appointment]:
    return appointments_held_on(day, unit=unit)


def head_on(unit: Unit, day: date) -> Appointment | None:
    """The head (or acting head, or deputy in charge) of the unit on that day."""
    return appointments_on(unit, day).filter(kind__in=HEAD_LIKE_KINDS).order_by("-start").first()


def appointment_of_user_on(user, unit: Unit, day: date) -> Appointment | None:
    """The appointment through which this user may act for the unit on that day, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return appointments_on(unit, day).filter(user=user).order_by("kind", "-start").first()


def region_of_unit(unit: Unit, year: int) -> RegionMembership | None:
    return RegionMembership.objects.filter(unit=unit, year=year).select_related("region").first()


def units_free_in_year(year: int, *, search: str = "") -> QuerySet[Unit]:
    """Units that may join a roster of that year: active on its first or last day and in no region yet.

    ``search`` matches any of a unit's names, old or new; each unit carries ``name_on_day`` as of that year.
    """
    units = Unit.objects.filter(units_active_on(date(year, 1, 1)) | units_active_on(year_reference_day(year))).exclude(
        memberships__year=year
    )
    search = search.strip()
    if search:
        units = units.filter(units_named_like(search))
    return with_unit_names_on(units.select_related("province"), year_reference_day(year)).order_by("name_on_day", "pk")


def unit_names_on(unit_ids, day: date) -> dict[int, str]:
    """Each unit's name on that day, in one query."""
    units = with_unit_names_on(Unit.objects.filter(pk__in=list(unit_ids)), day)
    return dict(units.values_list("pk", "name_on_day"))


# ---------------------------------------------------------------------------------------------
# Lists and detail pages of units and regions
# ---------------------------------------------------------------------------------------------


def _named_like(text: str) -> Q:
    """Name or short name containing ``text``, with or without diacritics and in any case."""
    folded = fold(text)
    return Q(name__unaccent__icontains=folded) | Q(short_name__unaccent__icontains=folded)


def units_named_like(text: str) -> Q:
    """Units whose latest or any earlier name (or short name) contains ``text`` ("quang binh" finds Quảng Bình).

    Both reads go through the folded columns (``name_folded``, ``short_name_folded``: the names as
    ``core.search.folded`` folds the text, kept by the database) and their trigram indexes (regions/migrations/
    0009): index scans whose candidates are checked on the columns, then the units' ids, instead of folding
    every unit and every name of the history. One set of ids
    (a UNION), which the database joins to the units it finds, where two alternatives (an OR) made it walk
    every unit (search "quang" on 3,000 units: 4.7 → 2.1 ms with planning)."""
    needle = folded(text)
    found = Q(name_folded__contains=needle) | Q(short_name_folded__contains=needle)
    latest = Unit.objects.filter(found).order_by().values("pk")
    past = UnitName.objects.filter(found).order_by().values("unit_id")
    return Q(pk__in=latest.union(past))


@once_per_request
def names_change_after(day: date) -> bool:
    """Whether some unit takes a name after ``day``. When none does, every unit's name on that day is its
    latest name (``Unit.name``), and a list can sort on that column and its index."""
    return UnitName.objects.filter(valid_from__gt=day).exists()


@once_per_request
def region_names_change_after(day: date) -> bool:
    """``names_change_after`` for regions: when no region takes a name after ``day``, ``Region.name`` is
    every region's name on that day."""
    return RegionName.objects.filter(valid_from__gt=day).exists()


def regions_named_like(text: str) -> Q:
    past = RegionName.objects.filter(_named_like(text)).values("region_id")
    return _named_like(text) | Q(pk__in=past)


def units_for_list(
    *,
    day: date,
    search: str = "",
    kind: str = "",
    province: Province | None = None,
    region: Region | None = None,
    year: int | None = None,
    active: bool | None = None,
) -> QuerySet[Unit]:
    """The unit list: filtered, with names (own and parent's) as of ``day``, in that name's order.

    With a region and a year: the units of that region's roster that year; with a region alone:
    those that were ever in it. With a year: each unit's region that year (``year_region_id``).
    """
    units = with_unit_provinces_on(Unit.objects.select_related("province"), day)
    if search:
        units = units.filter(units_named_like(search))
    if kind:
        units = units.filter(kind=kind)
    if province is not None:
        units = units.filter(province_on_day_id=province.pk)
    if region is not None:
        memberships = RegionMembership.objects.filter(region=region)
        if year is not None:
            memberships = memberships.filter(year=year)
        units = units.filter(pk__in=memberships.values("unit_id"))
    if active is True:
        units = units.filter(units_active_on(day))
    elif active is False:
        units = units.filter(Q(active_from__gt=day) | Q(active_to__lt=day))
    parent_name = F("parent__name")
    if names_change_after(day):
        parent_name = Coalesce(_name_on_subquery(UnitName, "unit", "parent", day), "parent__name")
    units = with_unit_names_on(units, day).annotate(parent_name_on_day=parent_name)
    if year is not None:
        of_year = RegionMembership.objects.filter(unit=OuterRef("pk"), year=year)
        units = units.annotate(
            year_region_id=Subquery(of_year.values("region_id")[:1]), year_role=Subquery(of_year.values("role")[:1])
        )
    return units.order_by("name_on_day", "pk")  # the name column (its index) when no name comes later


@dataclass
class UnitRow:
    """A unit as a row of the unit list shows it, read as values: fifty model instances and their provinces
    cost more than the page's SQL. The view adds the day's state and, with a year, the region's."""

    pk: int
    name_on_day: str
    kind: str  # a Unit.Kind
    province_name: str | None
    parent_name_on_day: str | None
    active_from: date | None
    active_to: date | None
    year_region_id: int | None = None
    year_role: str | None = None
    active_on_day: bool = False
    year_region: Region | None = None
    year_role_label: str = ""

    is_active_on = Unit.is_active_on

    def get_kind_display(self) -> str:
        return str(Unit.Kind(self.kind).label)


UNIT_ROW_VALUES = ("pk", "name_on_day", "kind", "province__name", "parent_name_on_day", "active_from", "active_to")


def unit_rows_of(units: QuerySet[Unit], *, year: int | None) -> QuerySet:
    """``units_for_list``'s units as the values of ``UnitRow`` (with ``year_region_id`` and ``year_role`` when
    the list is of a year), for ``unit_rows_from``."""
    return units.values(*UNIT_ROW_VALUES, *(("year_region_id", "year_role") if year is not None else ()))


def unit_rows_from(values: list[dict]) -> list[UnitRow]:
    """The rows of ``unit_rows_of``'s values (a page's, which may carry its count too)."""
    read = [name for name in ("pk", *UNIT_ROW_VALUES[1:], "year_region_id", "year_role") if name != "province__name"]
    return [UnitRow(province_name=row["province__name"], **{k: row[k] for k in read if k in row}) for row in values]


def regions_by_id_named_on(region_ids: set[int], day: date) -> dict[int, Region]:
    """The regions with these ids, each with ``region_name_on_day``, in one query."""
    if not region_ids:
        return {}
    return {region.pk: region for region in with_region_names_on(Region.objects.filter(pk__in=region_ids), day)}


def unit_memberships_by_year(unit: Unit) -> QuerySet[RegionMembership]:
    """A unit's places in rosters, newest year first, with the region's and the unit's names of that year."""
    region_name = _in_year(RegionName.objects.filter(region=OuterRef("region")))
    unit_name = _in_year(UnitName.objects.filter(unit=OuterRef("unit")))
    return (
        RegionMembership.objects.filter(unit=unit)
        .select_related("region")
        .annotate(
            region_name_in_year=Coalesce(Subquery(region_name.values("name")[:1]), "region__name"),
            region_term_in_year=Coalesce(Subquery(region_name.values("term")[:1]), Value(RegionTerm.KHU_VUC)),
            unit_name_in_year=Coalesce(Subquery(unit_name.values("name")[:1]), "unit__name"),
        )
        .order_by("-year")
    )


def _in_year(names: QuerySet) -> QuerySet:
    """Names in force at the end of the outer row's ``year``, latest first (a first name of unknown start included)."""
    return names.filter(Q(valid_from__year__lte=OuterRef("year")) | Q(valid_from__isnull=True)).order_by(LATEST_FIRST)


def regions_visible_to(user) -> QuerySet[Region]:
    """Every region for ministry staff; for region officers and leaders, those their unit is or was in."""
    from .permissions import can_list_regions, can_view_units

    if can_view_units(user):
        return Region.objects.all()
    if not can_list_regions(user) or user.unit_id is None:
        return Region.objects.none()
    return Region.objects.filter(pk__in=RegionMembership.objects.filter(unit_id=user.unit_id).values("region_id"))


def roster_years(regions: QuerySet[Region]) -> list[int]:
    """The years that have a roster in any of these regions, newest first."""
    return list(
        RegionMembership.objects.filter(region__in=regions.values("pk"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def with_roster_summary(regions: QuerySet[Region], year: int) -> QuerySet[Region]:
    """Annotates, for ``year``: ``member_count``, ``head_unit_id`` and ``head_name`` (the head's name that year)."""
    day = year_reference_day(year)
    of_year = RegionMembership.objects.filter(region=OuterRef("pk"), year=year)
    count = of_year.order_by().values("region").annotate(n=Count("pk")).values("n")
    head = of_year.filter(role=RegionMembership.Role.HEAD)
    return regions.annotate(
        member_count=Coalesce(Subquery(count[:1]), 0),
        head_unit_id=Subquery(head.values("unit_id")[:1]),
        head_name=Subquery(with_unit_names_on(head, day, unit_path="unit").values("name_on_day")[:1]),
    )


def region_year_summaries(region: Region) -> list[dict]:
    """Each roster year of a region, newest first: its number of units and its head, named as that year."""
    counts = dict(
        RegionMembership.objects.filter(region=region)
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    unit_name = _in_year(UnitName.objects.filter(unit=OuterRef("unit")))
    heads = {
        m.year: m
        for m in RegionMembership.objects.filter(region=region, role=RegionMembership.Role.HEAD).annotate(
            unit_name_in_year=Coalesce(Subquery(unit_name.values("name")[:1]), "unit__name")
        )
    }
    return [
        {
            "year": year,
            "member_count": counts[year],
            "head": heads.get(year),
            "term": region_term_on(region, year_reference_day(year)),
        }
        for year in sorted(counts, reverse=True)
    ]


def mergeable_units() -> QuerySet[Unit]:
    """Units that can still be merged: not merged already."""
    return Unit.objects.filter(successor__isnull=True).select_related("province")


def provinces_for_choice() -> list[tuple[int, str, date | None, date | None]]:
    """Every province (id, name, valid_from, valid_to), those in force today's map (after 01/07/2025) first."""
    provinces = Province.objects.order_by(F("valid_to").desc(nulls_first=True), "name")
    return list(provinces.values_list("pk", "name", "valid_from", "valid_to"))


# ---------------------------------------------------------------------------------------------
# Unit names as the Excel import compares them
# ---------------------------------------------------------------------------------------------


def unit_name_key(name: str) -> str:
    """How the import compares unit names: NFC, runs of spaces collapsed, case ignored."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def units_by_name_key() -> dict[str, list[Unit]]:
    """Every unit under the key of its latest name, in one query of the columns the import needs.

    Compared in Python, not with SQL ``lower()``, which leaves "Đ" alone on a database created with the C locale.
    """
    index: dict[str, list[Unit]] = {}
    for unit in Unit.objects.only("id", "name", "kind").order_by("pk"):
        index.setdefault(unit_name_key(unit.name), []).append(unit)
    return index


def ministry_emulation_body_on(day: date):
    """The ministry department that ran emulation and commendation on that day (``regions.ministry``)."""
    from .ministry import emulation_body_on

    return emulation_body_on(day)


# ---------------------------------------------------------------------------------------------
# Leaders on board
# ---------------------------------------------------------------------------------------------


def leaders_day(year: int, today: date) -> date:
    """The day whose leaders a roster's onboarding shows: today in the roster's year, else its nearest day."""
    return min(max(today, date(year, 1, 1)), year_reference_day(year))


def leaders_on(unit_ids, day: date) -> dict[int, list[Appointment]]:
    """Each unit's leaders on that day (heads first, then deputies, each with its account), in one query."""
    order = {kind: place for place, kind in enumerate(["head", "acting_head", "deputy_in_charge", "deputy"])}
    found: dict[int, list[Appointment]] = {pk: [] for pk in unit_ids}
    appointments = appointments_held_on(day, unit_id__in=list(found)).select_related("user").order_by("start", "pk")
    for appointment in sorted(appointments, key=lambda a: order.get(a.kind, 9)):
        found[appointment.unit_id].append(appointment)
    return found
