"""Reads of the regions app: names as they were on a date, leaders on a day, rosters of a year."""

from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Appointment, Province, Region, RegionMembership, RegionName, Unit, UnitName


def year_reference_day(year: int) -> date:
    """The day whose names a year's records show: the year's last day."""
    return date(year, 12, 31)


def provinces_valid_on(day: date) -> QuerySet[Province]:
    return Province.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def unit_name_on(unit: Unit, day: date) -> str:
    """The unit's name on that day; before its first recorded name, the first one."""
    names = UnitName.objects.filter(unit=unit)
    current = names.filter(valid_from__lte=day).order_by("-valid_from").first() or names.order_by("valid_from").first()
    return current.name if current else unit.name


def region_name_on(region: Region, day: date) -> str:
    names = RegionName.objects.filter(region=region)
    current = names.filter(valid_from__lte=day).order_by("-valid_from").first() or names.order_by("valid_from").first()
    return current.name if current else region.name


def _name_on_subquery(model, fk: str, outer: str, day: date):
    return Subquery(
        model.objects.filter(**{fk: OuterRef(outer), "valid_from__lte": day}).order_by("-valid_from").values("name")[:1]
    )


def with_unit_names_on(queryset: QuerySet, day: date, *, unit_path: str = "pk") -> QuerySet:
    """Annotates ``name_on_day`` (the unit's name on that day) in the same query.

    ``unit_path`` is the path from the queryset's model to the unit's id ("pk" for units,
    "unit" for memberships).
    """
    return queryset.annotate(
        name_on_day=Coalesce(
            _name_on_subquery(UnitName, "unit", unit_path, day),
            f"{'' if unit_path == 'pk' else unit_path + '__'}name",
        )
    )


def with_region_names_on(queryset: QuerySet, day: date, *, region_path: str = "pk") -> QuerySet:
    return queryset.annotate(
        region_name_on_day=Coalesce(
            _name_on_subquery(RegionName, "region", region_path, day),
            f"{'' if region_path == 'pk' else region_path + '__'}name",
        )
    )


def roster(region: Region, year: int) -> QuerySet[RegionMembership]:
    """The region's roster for a year, in rotation order, with each unit's name as of that year."""
    day = year_reference_day(year)
    memberships = (
        RegionMembership.objects.filter(region=region, year=year)
        .select_related("unit", "unit__province")
        .order_by("rotation_position", "id")
    )
    return with_unit_names_on(memberships, day, unit_path="unit")


def region_years(region: Region) -> list[int]:
    return list(
        RegionMembership.objects.filter(region=region).values_list("year", flat=True).distinct().order_by("year")
    )


def appointments_on(unit: Unit, day: date) -> QuerySet[Appointment]:
    return Appointment.objects.filter(unit=unit, start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


def head_on(unit: Unit, day: date) -> Appointment | None:
    """The head (or acting head) of the unit on that day."""
    return (
        appointments_on(unit, day)
        .filter(kind__in=[Appointment.Kind.HEAD, Appointment.Kind.ACTING_HEAD])
        .order_by("-start")
        .first()
    )


def appointment_of_user_on(user, unit: Unit, day: date) -> Appointment | None:
    """The appointment through which this user may act for the unit on that day, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return appointments_on(unit, day).filter(user=user).order_by("kind", "-start").first()


def units_led_by(user, day: date) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(appointments__user=user, appointments__start__lte=day)
        .filter(Q(appointments__end__isnull=True) | Q(appointments__end__gte=day))
        .distinct()
    )


def region_of_unit(unit: Unit, year: int) -> RegionMembership | None:
    return RegionMembership.objects.filter(unit=unit, year=year).select_related("region").first()
