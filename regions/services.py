"""Writes of the regions app: units and their names, leaders, regions and yearly rosters.

Every function checks its own rules and raises ``RegionsError`` with a message for the user;
roster changes lock the region's row so that two editors cannot both add a third deputy.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from core.text import ascii_slug, fold, nfc

from .errors import RegionsError
from .models import (
    FIRST_YEAR,
    HEAD_LIKE_KINDS,
    LAST_YEAR,
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
from .selectors import region_name_on, unit_name_on, year_reference_day
from .signals import leader_appointed

MAX_DEPUTIES = 2
ONE_DAY = timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------


def _check_dates(start: date | None, end: date | None, *, field_name: str = "active_to") -> None:
    if start and end and end < start:
        raise RegionsError(_("The end date cannot be before the start date."), field=field_name)


def _check_parent(*, unit: Unit | None, kind: str, parent: Unit | None) -> None:
    if parent is None:
        if kind == Unit.Kind.CHI_CUC_THADS:
            raise RegionsError(_("A Chi cục THADS must belong to a Cục THADS."), field="parent")
        return
    if unit is not None and parent.pk == unit.pk:
        raise RegionsError(_("A unit cannot be its own parent."), field="parent")
    expected = {
        Unit.Kind.CHI_CUC_THADS: Unit.Kind.CUC_THADS,
        Unit.Kind.PHONG_THADS_KHU_VUC: Unit.Kind.THADS_TINH,
    }.get(kind)
    if expected and parent.kind != expected:
        raise RegionsError(
            _("The parent of this unit must be a %(kind)s.") % {"kind": Unit.Kind(expected).label}, field="parent"
        )
    ancestor = parent.parent
    while ancestor is not None:
        if unit is not None and ancestor.pk == unit.pk:
            raise RegionsError(_("A unit cannot be placed under one of its own sub-units."), field="parent")
        ancestor = ancestor.parent


@transaction.atomic
def unit_create(
    *,
    name: str,
    kind: str,
    short_name: str = "",
    province: Province | None = None,
    parent: Unit | None = None,
    active_from: date | None = None,
    active_to: date | None = None,
    basis: str = "",
) -> Unit:
    name, short_name = nfc(name).strip(), nfc(short_name).strip()
    if not name:
        raise RegionsError(_("Enter the unit's name."), field="name")
    _check_dates(active_from, active_to)
    _check_parent(unit=None, kind=kind, parent=parent)
    unit = Unit.objects.create(
        name=name,
        short_name=short_name,
        kind=kind,
        province=province,
        parent=parent,
        active_from=active_from,
        active_to=active_to,
    )
    # The first name starts when the unit did; when that day is not known, neither is the name's start.
    UnitName.objects.create(
        unit=unit, name=name, short_name=short_name, valid_from=active_from, basis=nfc(basis).strip(), province=province
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    unit: Unit,
    kind: str,
    province: Province | None,
    parent: Unit | None,
    active_from: date | None,
    active_to: date | None,
) -> Unit:
    """Changes what a unit is, but never its name: names change through ``unit_rename``.

    A different province here corrects the province of the unit's latest name; a unit that moved
    province on a day (with or without a new name) is renamed with the new province from that day.
    """
    _check_dates(active_from, active_to)
    _check_parent(unit=unit, kind=kind, parent=parent)
    if province != unit.province:
        latest = unit.names.order_by(F("valid_from").desc(nulls_last=True)).first()
        if latest is not None:
            latest.province = province
            latest.save(update_fields=["province"])
    unit.kind, unit.province, unit.parent = kind, province, parent
    unit.active_from, unit.active_to = active_from, active_to
    unit.save(update_fields=["kind", "province", "parent", "active_from", "active_to"])
    return unit


def _sync_latest_unit_name(unit: Unit) -> None:
    latest = unit.names.order_by(F("valid_from").desc(nulls_last=True)).first()
    unit.name, unit.short_name = latest.name, latest.short_name
    unit.province_id = latest.province_id if latest.province_id else unit.province_id
    unit.save(update_fields=["name", "short_name", "province"])


KEEP_PROVINCE = object()  # unit_rename's default: the unit stays in the province it was in before that day


@transaction.atomic
def unit_rename(
    *,
    unit: Unit,
    name: str,
    effective: date | None,
    short_name: str = "",
    basis: str = "",
    province: Province | None | object = KEEP_PROVINCE,
) -> UnitName:
    """Adds a name that takes effect on ``effective``; earlier names stay for earlier records.

    ``province``: the province the unit belongs to from that day (Huế's Sở moved to "thành phố Huế" with its
    new name); by default the province of the name it follows. A unit with no name yet may take a first
    name of unknown start (``effective=None``); every later name takes effect on a known day.
    """
    name, short_name = nfc(name).strip(), nfc(short_name).strip()
    if not name:
        raise RegionsError(_("Enter the new name."), field="name")
    if effective is None:
        if unit.names.exists():
            raise RegionsError(_("Enter the day the new name takes effect."), field="effective")
        previous = None
    else:
        if unit.active_from and effective < unit.active_from:
            raise RegionsError(_("A new name cannot take effect before the unit existed."), field="effective")
        if unit.names.filter(valid_from=effective).exists():
            raise RegionsError(_("The unit already has a name taking effect on that day."), field="effective")
        previous = (
            unit.names.filter(Q(valid_from__lt=effective) | Q(valid_from__isnull=True))
            .order_by(F("valid_from").desc(nulls_last=True))
            .first()
        )
    if province is KEEP_PROVINCE:
        province_id = previous.province_id if previous and previous.province_id else unit.province_id
    else:
        province_id = province.pk if province is not None else None
    if previous and previous.name == name and previous.short_name == short_name and previous.province_id == province_id:
        raise RegionsError(_("The unit already has this name on that day."), field="name")
    if province is not KEEP_PROVINCE and province_id is not None and effective is not None:
        chosen = Province.objects.get(pk=province_id)
        if not chosen.is_valid_on(effective):
            raise RegionsError(
                _("%(province)s is not in force on the day the name takes effect.") % {"province": chosen.name},
                field="province",
            )
    new_name = UnitName.objects.create(
        unit=unit,
        name=name,
        short_name=short_name,
        valid_from=effective,
        basis=nfc(basis).strip(),
        province_id=province_id,
    )
    _sync_latest_unit_name(unit)
    return new_name


@transaction.atomic
def unit_merge(
    *,
    units: list[Unit],
    name: str,
    kind: str,
    effective: date,
    province: Province | None = None,
    short_name: str = "",
    basis: str = "",
) -> Unit:
    """Merges units into a new one from ``effective``: the old ones end the day before and point to it.

    E.g. on 01/07/2025 "Cục THADS tỉnh Quảng Bình" and "Cục THADS tỉnh Quảng Trị" become
    "Thi hành án dân sự tỉnh Quảng Trị". Records of earlier years keep the old units and names.
    """
    units = list({u.pk: u for u in units}.values())
    if len(units) < 2:
        raise RegionsError(_("Choose at least two units to merge."), field="units")
    locked = list(Unit.objects.select_for_update().filter(pk__in=[u.pk for u in units]).order_by("pk"))
    for unit in locked:
        if not unit.is_active_on(effective - ONE_DAY):
            raise RegionsError(
                _("%(unit)s is not active on the day before the merger.") % {"unit": unit.name}, field="units"
            )
        if unit.successor_id:
            raise RegionsError(_("%(unit)s has already been merged.") % {"unit": unit.name}, field="units")
    merged = unit_create(
        name=name, kind=kind, short_name=short_name, province=province, active_from=effective, basis=basis
    )
    for unit in locked:
        unit.active_to = effective - ONE_DAY
        unit.successor = merged
        unit.save(update_fields=["active_to", "successor"])
    return merged


# ---------------------------------------------------------------------------------------------
# Leaders over time
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def appointment_start(
    *,
    unit: Unit,
    full_name: str,
    position: str,
    start: date,
    kind: str = Appointment.Kind.HEAD,
    user=None,
    end: date | None = None,
) -> Appointment:
    """Records who leads a unit from ``start``; a new head ends the previous head's term the day before."""
    full_name, position = nfc(full_name).strip(), nfc(position).strip()
    if not full_name:
        raise RegionsError(_("Enter the leader's full name."), field="full_name")
    if not position:
        raise RegionsError(_("Enter the leader's position."), field="position")
    _check_dates(start, end, field_name="end")
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    if kind in HEAD_LIKE_KINDS:
        heads = Appointment.objects.filter(unit=unit, kind__in=HEAD_LIKE_KINDS)
        if heads.filter(start__gte=start).exists():
            raise RegionsError(
                _("Another head of this unit starts on or after that day; correct that appointment first."),
                field="start",
            )
        for previous in heads.filter(start__lt=start).exclude(end__lt=start):
            previous.end = start - ONE_DAY
            previous.save(update_fields=["end"])
    appointment = Appointment.objects.create(
        unit=unit, user=user, full_name=full_name, position=position, kind=kind, start=start, end=end
    )
    leader_appointed.send(sender=Appointment, appointment=appointment)
    return appointment


@transaction.atomic
def appointment_end(*, appointment: Appointment, end: date) -> Appointment:
    _check_dates(appointment.start, end, field_name="end")
    appointment.end = end
    appointment.save(update_fields=["end"])
    return appointment


# ---------------------------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------------------------


# Paths under /regions/ that a region's slug must not shadow.
RESERVED_REGION_SLUGS = frozenset({"new"})


def _unique_region_slug(name: str) -> str:
    base = ascii_slug(name)[:90] or "khu-vuc"
    slug, n = base, 2
    while slug in RESERVED_REGION_SLUGS or Region.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _region_term(term: str, name: str) -> str:
    if not term:
        return region_term_of_name(name)
    if term not in RegionTerm.values:
        raise RegionsError(_("Choose khu vực, cụm or khối thi đua."), field="term")
    return term


@transaction.atomic
def region_create(
    *,
    name: str,
    effective: date | None,
    short_name: str = "",
    description: str = "",
    slug: str = "",
    term: str = "",
) -> Region:
    """A new region; its first name starts on ``effective``, or at an unknown day (None).

    ``term``: what the region is called under that name; by default the one its name uses.
    """
    name, short_name = nfc(name).strip(), nfc(short_name).strip()
    if not name:
        raise RegionsError(_("Enter the region's name."), field="name")
    if Region.objects.filter(name__iexact=name).exists():
        raise RegionsError(_("A region with this name already exists."), field="name")
    slug = ascii_slug(slug)
    if slug and (slug in RESERVED_REGION_SLUGS or Region.objects.filter(slug=slug).exists()):
        raise RegionsError(_("Another region already uses this address."), field="slug")
    region = Region.objects.create(
        name=name,
        short_name=short_name,
        description=nfc(description).strip(),
        slug=slug or _unique_region_slug(short_name or name),
    )
    RegionName.objects.create(
        region=region, name=name, short_name=short_name, valid_from=effective, term=_region_term(term, name)
    )
    return region


@transaction.atomic
def region_update(*, region: Region, description: str) -> Region:
    region.description = nfc(description).strip()
    region.save(update_fields=["description"])
    return region


@transaction.atomic
def region_rename(*, region: Region, name: str, effective: date, short_name: str = "", term: str = "") -> RegionName:
    """A new name of the region from ``effective``, with what it is called under it (by default, as the name says)."""
    name, short_name = nfc(name).strip(), nfc(short_name).strip()
    if not name:
        raise RegionsError(_("Enter the new name."), field="name")
    if effective is None:
        raise RegionsError(_("Enter the day the new name takes effect."), field="effective")
    term = _region_term(term, name)
    if region.names.filter(valid_from=effective).exists():
        raise RegionsError(_("The region already has a name taking effect on that day."), field="effective")
    previous = (
        region.names.filter(Q(valid_from__lt=effective) | Q(valid_from__isnull=True))
        .order_by(F("valid_from").desc(nulls_last=True))
        .first()
    )
    if previous and previous.name == name and previous.short_name == short_name and previous.term == term:
        raise RegionsError(_("The region already has this name on that day."), field="name")
    new_name = RegionName.objects.create(
        region=region, name=name, short_name=short_name, valid_from=effective, term=term
    )
    latest = region.names.order_by(F("valid_from").desc(nulls_last=True)).first()
    region.name, region.short_name = latest.name, latest.short_name
    region.save(update_fields=["name", "short_name"])
    return new_name


# ---------------------------------------------------------------------------------------------
# Yearly rosters
# ---------------------------------------------------------------------------------------------


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise RegionsError(
            _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field="year",
        )


def _lock_region(region: Region) -> None:
    Region.objects.select_for_update().filter(pk=region.pk).first()


def _name_in_year(unit: Unit, year: int) -> str:
    """Messages about a year's roster name the unit as it was called that year."""
    return unit_name_on(unit, year_reference_day(year))


def _check_role_allowed(*, region: Region, year: int, role: str, exclude_pk: int | None = None) -> None:
    others = RegionMembership.objects.filter(region=region, year=year).exclude(pk=exclude_pk)
    if role == RegionMembership.Role.HEAD:
        head = others.filter(role=RegionMembership.Role.HEAD).select_related("unit").first()
        if head:
            raise RegionsError(
                _("%(year)s already has a head of region: %(unit)s. Make it a member first.")
                % {"year": year, "unit": _name_in_year(head.unit, year)},
                field="role",
            )
    if (
        role == RegionMembership.Role.DEPUTY
        and others.filter(role=RegionMembership.Role.DEPUTY).count() >= MAX_DEPUTIES
    ):
        raise RegionsError(_("A region has at most two deputy heads a year."), field="role")


def _integrity_message(error: IntegrityError) -> str:
    text = str(error)
    if "membership_one_region_per_unit_year" in text:
        return _("This unit is already in a region for that year.")
    if "membership_one_head_per_region_year" in text:
        return _("This region already has a head for that year.")
    return _("The roster changed meanwhile; reload the page and try again.")


@transaction.atomic
def membership_add(
    *, region: Region, unit: Unit, year: int, role: str = RegionMembership.Role.MEMBER
) -> RegionMembership:
    _check_year(year)
    _lock_region(region)
    existing = RegionMembership.objects.filter(unit=unit, year=year).select_related("region").first()
    if existing:
        raise RegionsError(
            _("%(unit)s is already in %(region)s in %(year)s: a unit belongs to one region a year.")
            % {
                "unit": _name_in_year(unit, year),
                "region": region_name_on(existing.region, year_reference_day(year)),
                "year": year,
            },
            field="unit",
        )
    if not (unit.is_active_on(date(year, 12, 31)) or unit.is_active_on(date(year, 1, 1))):
        raise RegionsError(_("%(unit)s is not active in %(year)s.") % {"unit": unit.name, "year": year}, field="unit")
    _check_role_allowed(region=region, year=year, role=role)
    last = RegionMembership.objects.filter(region=region, year=year).order_by("-rotation_position").first()
    try:
        with transaction.atomic():
            return RegionMembership.objects.create(
                region=region,
                unit=unit,
                year=year,
                role=role,
                rotation_position=(last.rotation_position + 1) if last else 1,
            )
    except IntegrityError as error:
        raise RegionsError(_integrity_message(error), field="unit") from error


@transaction.atomic
def membership_set_role(*, membership: RegionMembership, role: str) -> RegionMembership:
    _lock_region(membership.region)
    if role not in RegionMembership.Role.values:
        raise RegionsError(_("Choose head, deputy head or member."), field="role")
    _check_role_allowed(region=membership.region, year=membership.year, role=role, exclude_pk=membership.pk)
    membership.role = role
    try:
        with transaction.atomic():
            membership.save(update_fields=["role"])
    except IntegrityError as error:
        raise RegionsError(_integrity_message(error), field="role") from error
    return membership


@transaction.atomic
def membership_remove(*, membership: RegionMembership) -> None:
    _lock_region(membership.region)
    membership.delete()


@transaction.atomic
def roster_reorder(*, region: Region, year: int, unit_ids: list[int]) -> None:
    """Sets the rotation order of a region-year to the order of ``unit_ids``."""
    _lock_region(region)
    memberships = {m.unit_id: m for m in RegionMembership.objects.filter(region=region, year=year)}
    if sorted(unit_ids) != sorted(memberships):
        raise RegionsError(_("The order must list every unit of the roster once."), field="order")
    for position, unit_id in enumerate(unit_ids, start=1):
        membership = memberships[unit_id]
        if membership.rotation_position != position:
            membership.rotation_position = position
            membership.save(update_fields=["rotation_position"])


def _successor_active_on(unit: Unit, day: date) -> Unit | None:
    seen = set()
    while unit is not None and not unit.is_active_on(day) and unit.pk not in seen:
        seen.add(unit.pk)
        unit = unit.successor
    return unit if unit is not None and unit.is_active_on(day) else None


@dataclass
class RosterProposal:
    """What copying a roster into a new year would give: units in rotation order and the next head."""

    year: int
    units: list[Unit]
    deputies: list[Unit]
    proposed_head: Unit | None
    dropped: list[tuple[Unit, str]] = field(default_factory=list)


def roster_propose(*, region: Region, from_year: int, to_year: int) -> RosterProposal:
    """Proposes the ``to_year`` roster from ``from_year``'s: merged units are replaced by their
    successor, closed ones dropped, and the head passes to the next unit in rotation order."""
    _check_year(to_year)
    start = date(to_year, 1, 1)
    source = list(
        RegionMembership.objects.filter(region=region, year=from_year)
        .select_related("unit__successor")
        .order_by("rotation_position", "id")
    )
    if not source:
        raise RegionsError(_("%(year)s has no roster to copy.") % {"year": from_year}, field="from_year")
    taken = dict(
        RegionMembership.objects.filter(year=to_year).exclude(region=region).values_list("unit_id", "region__name")
    )
    units: list[Unit] = []
    deputies: list[Unit] = []
    dropped: list[tuple[Unit, str]] = []
    old_head_index = None
    proposed_ids: set[int] = set()
    for membership in source:
        unit = _successor_active_on(membership.unit, start) or _successor_active_on(
            membership.unit, date(to_year, 12, 31)
        )
        if unit is None:
            dropped.append((membership.unit, _("no longer active")))
            continue
        if unit.pk in taken:
            dropped.append((unit, _("already in %(region)s") % {"region": taken[unit.pk]}))
            continue
        if unit.pk in proposed_ids:  # two merged units with one successor: it is proposed once
            continue
        if membership.role == RegionMembership.Role.HEAD:
            old_head_index = len(units)
        units.append(unit)
        proposed_ids.add(unit.pk)
        if membership.role == RegionMembership.Role.DEPUTY:
            deputies.append(unit)
    proposed_head = None
    if units:
        proposed_head = units[(old_head_index + 1) % len(units)] if old_head_index is not None else units[0]
    deputies = [u for u in deputies if proposed_head is None or u.pk != proposed_head.pk]
    return RosterProposal(year=to_year, units=units, deputies=deputies, proposed_head=proposed_head, dropped=dropped)


@transaction.atomic
def roster_copy_forward(
    *, region: Region, from_year: int, to_year: int, head: Unit | None, deputies: list[Unit] | None = None
) -> list[RegionMembership]:
    """Creates the ``to_year`` roster from the proposal, with the head (and deputies) confirmed by the user."""
    _lock_region(region)
    if to_year <= from_year:
        raise RegionsError(_("The new year must come after the year copied."), field="to_year")
    if RegionMembership.objects.filter(region=region, year=to_year).exists():
        raise RegionsError(_("%(year)s already has a roster; edit it instead.") % {"year": to_year}, field="to_year")
    proposal = roster_propose(region=region, from_year=from_year, to_year=to_year)
    deputies = proposal.deputies if deputies is None else deputies
    unit_ids = {u.pk for u in proposal.units}
    if head is not None and head.pk not in unit_ids:
        raise RegionsError(_("The head must be one of the roster's units."), field="head")
    if any(d.pk not in unit_ids for d in deputies):
        raise RegionsError(_("Deputy heads must be units of the roster."), field="deputies")
    deputy_ids = {d.pk for d in deputies if head is None or d.pk != head.pk}
    if len(deputy_ids) > MAX_DEPUTIES:
        raise RegionsError(_("A region has at most two deputy heads a year."), field="deputies")
    created = []
    for position, unit in enumerate(proposal.units, start=1):
        role = RegionMembership.Role.MEMBER
        if head is not None and unit.pk == head.pk:
            role = RegionMembership.Role.HEAD
        elif unit.pk in deputy_ids:
            role = RegionMembership.Role.DEPUTY
        created.append(RegionMembership(region=region, unit=unit, year=to_year, role=role, rotation_position=position))
    try:
        with transaction.atomic():
            return RegionMembership.objects.bulk_create(created)
    except IntegrityError as error:
        raise RegionsError(_integrity_message(error), field="to_year") from error


# ---------------------------------------------------------------------------------------------
# Importing units (the rows are read from Excel and checked in regions/excel.py)
# ---------------------------------------------------------------------------------------------

UNIT_IMPORT_LOCK = 7_310_001  # PostgreSQL advisory lock key: one unit import at a time


@dataclass(frozen=True)
class UnitImportRow:
    """One unit to import; its parent is an existing unit or the row ``parent_number`` of the same file."""

    number: int
    name: str
    kind: str
    short_name: str = ""
    province: Province | None = None
    parent: Unit | None = None
    parent_number: int | None = None
    active_from: date | None = None
    active_to: date | None = None


def _row_error(row: UnitImportRow, message: str) -> RegionsError:
    return RegionsError(_("Row %(row)s: %(message)s") % {"row": row.number, "message": message}, field="file")


def _lock_unit_imports() -> None:
    """Serialises imports, so that a confirmation sent twice at once cannot create the units twice."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [UNIT_IMPORT_LOCK])


def _parents_first(rows: list[UnitImportRow]) -> list[UnitImportRow]:
    by_number = {row.number: row for row in rows}
    ordered: list[UnitImportRow] = []
    placed: set[int] = set()
    for row in rows:
        chain: list[UnitImportRow] = []
        current: UnitImportRow | None = row
        while current is not None and current.number not in placed:
            if current in chain:
                raise _row_error(current, _("A unit cannot be placed under one of its own sub-units."))
            chain.append(current)
            if current.parent_number is None:
                current = None
            elif current.parent_number in by_number:
                current = by_number[current.parent_number]
            else:
                raise _row_error(current, _("Its parent unit is not among the rows imported."))
        for item in reversed(chain):
            ordered.append(item)
            placed.add(item.number)
    return ordered


@transaction.atomic
def units_import(*, rows: list[UnitImportRow]) -> list[Unit]:
    """Creates every unit of an import or none, parents before their sub-units, each through ``unit_create``."""
    from .selectors import unit_name_key, units_by_name_key

    if not rows:
        raise RegionsError(_("There is no unit to import."), field="file")
    _lock_unit_imports()
    taken = units_by_name_key()
    seen: dict[str, int] = {}
    for row in rows:
        if row.kind not in Unit.Kind.values:
            raise _row_error(row, _("Unknown unit kind “%(value)s”.") % {"value": row.kind})
        key = unit_name_key(row.name)
        if key in taken:
            raise _row_error(row, _("A unit named “%(name)s” already exists.") % {"name": row.name})
        if key in seen:
            raise _row_error(row, _("The same name is in row %(rows)s of this file.") % {"rows": seen[key]})
        seen[key] = row.number
    created: dict[int, Unit] = {}
    for row in _parents_first(rows):
        parent = created[row.parent_number] if row.parent_number is not None else row.parent
        try:
            created[row.number] = unit_create(
                name=row.name,
                kind=row.kind,
                short_name=row.short_name,
                province=row.province,
                parent=parent,
                active_from=row.active_from,
                active_to=row.active_to,
            )
        except RegionsError as error:
            raise _row_error(row, error.message) from error
    return [created[row.number] for row in rows]


@transaction.atomic
def appointment_link_user(*, appointment: Appointment, user) -> Appointment:
    """Links the account through which the appointed person acts for the unit (and signs its pacts).

    A person who leads the unit today and gets an account is told what awaits their signature, as a
    newly appointed leader is (``leader_appointed``).
    """
    from django.utils import timezone

    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.user_id == user.pk:
        return appointment
    if appointment.user_id is not None:
        raise RegionsError(_("This appointment is already linked to another user account."), field="user")
    appointment.user = user
    appointment.save(update_fields=["user"])
    if appointment.is_current_on(timezone.localdate()):
        leader_appointed.send(sender=Appointment, appointment=appointment)
    return appointment


# ---------------------------------------------------------------------------------------------
# Leaders on board: the account, the appointment and the invitation at once
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderRow:
    """A leader to bring on board: an appointment recorded without an account, or a new one (name, position,
    kind and from-date), with the e-mail address the invitation goes to. ``key`` names the row in messages."""

    key: str
    unit: Unit
    email: str
    appointment: Appointment | None = None
    full_name: str = ""
    position: str = ""
    kind: str = Appointment.Kind.HEAD
    start: date | None = None


@dataclass(frozen=True)
class LeaderOnBoard:
    appointment: Appointment
    account: object  # an accounts.User
    invited: bool  # False when an account of the unit already used the address and was linked instead


class LeadersNotOnBoard(RegionsError):
    """Rows that could not be brought on board, by key, each with its error; nothing was saved."""

    def __init__(self, errors: dict[str, RegionsError]) -> None:
        super().__init__(_("Some rows could not be saved: nothing was saved."))
        self.errors = errors


def _username_from(email: str) -> str:
    """A free username made from the e-mail address (minh.hv@… → minh.hv, then minh.hv2…): the invitation says it."""
    from accounts.models import User

    base = re.sub(r"[^a-z0-9._-]", "", fold(email.split("@", 1)[0]).lower())
    base = base.strip("._-")[:140] or "lanhdao"
    candidate, number = base, 2
    while User.objects.filter(username__iexact=candidate).exists():
        candidate, number = f"{base}{number}", number + 1
    return candidate


def _existing_account(email: str, unit: Unit):
    """The account already using this address, if it is one of the unit's (then it is linked, not created)."""
    from accounts.models import User

    account = User.objects.filter(email__iexact=email).first()
    if account is None:
        return None
    if account.unit_id != unit.pk:
        raise RegionsError(
            _("Another account already uses this e-mail address (%(username)s, of another unit).")
            % {"username": account.get_username()},
            field="email",
        )
    return account


@transaction.atomic
def leader_onboard(*, actor, row: LeaderRow, ip: str | None = None) -> LeaderOnBoard:
    """Gives a unit's leader an account with the leader role and the unit, records the appointment if it is new,
    links the two, and mails the invitation (the people area's, through ``accounts.services.user_invite``).

    An account of the unit that already uses the address is linked instead of a new one being made."""
    from accounts import services as accounts_services
    from accounts.models import Role

    from .permissions import can_manage_regions

    if not can_manage_regions(actor):
        raise RegionsError(_("Only ministry staff bring leaders on board."))
    email = row.email.strip().lower()
    if not email:
        raise RegionsError(_("Enter the leader's e-mail address: the invitation is sent there."), field="email")
    appointment = row.appointment
    if appointment is not None:
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.unit_id != row.unit.pk:
            raise RegionsError(_("This appointment is of another unit."))
        if appointment.user_id is not None:
            raise RegionsError(_("%(name)s has an account already.") % {"name": appointment.full_name}, field="email")
        full_name, position = appointment.full_name, appointment.position
    else:
        full_name, position = nfc(row.full_name).strip(), nfc(row.position).strip()
        if not full_name:
            raise RegionsError(_("Enter the leader's full name."), field="full_name")
        if not position:
            raise RegionsError(_("Enter the leader's position."), field="position")
        if row.kind not in Appointment.Kind.values:
            raise RegionsError(_("Choose head, acting head or deputy head."), field="kind")
        if row.start is None:
            raise RegionsError(_("Enter the date (dd/mm/yyyy)."), field="start")
    account = _existing_account(email, row.unit)
    invited = account is None
    if account is None:
        try:
            account = accounts_services.user_invite(
                actor=actor,
                username=_username_from(email),
                full_name=full_name,
                email=email,
                position=position,
                unit=row.unit,
                roles={Role.LEADER},
                ip=ip,
            )
        except accounts_services.AccountsError as error:
            raise RegionsError(error.message, field="email" if error.field == "email" else None) from error
    if appointment is None:
        appointment = appointment_start(
            unit=row.unit, full_name=full_name, position=position, start=row.start, kind=row.kind, user=account
        )
    else:
        appointment = appointment_link_user(appointment=appointment, user=account)
    return LeaderOnBoard(appointment=appointment, account=account, invited=invited)


def leaders_onboard(*, actor, rows: list[LeaderRow], ip: str | None = None) -> list[LeaderOnBoard]:
    """Brings every row's leader on board, or none: each row is tried (so that every failing row is reported,
    in ``LeadersNotOnBoard.errors``), then everything is undone, e-mails included, if any row failed."""
    if not rows:
        raise RegionsError(_("Fill in at least one row: a row left empty is skipped."))
    done: list[LeaderOnBoard] = []
    errors: dict[str, RegionsError] = {}
    with transaction.atomic():
        for row in rows:
            try:
                with transaction.atomic():
                    done.append(leader_onboard(actor=actor, row=row, ip=ip))
            except RegionsError as error:
                errors[row.key] = error
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise LeadersNotOnBoard(errors)
    return done
