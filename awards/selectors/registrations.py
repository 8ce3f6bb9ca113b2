"""Reads of the registration pages: the units a person acts for and their registrations, the campaigns to review."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from pacts.models import Campaign
from pacts.permissions import acting_unit_ids
from pacts.selectors import campaigns_visible_to, with_region_name_of_year
from regions.models import RegionMembership, Unit
from regions.selectors import with_unit_names_on, year_reference_day

from ..models import AwardRegistration, AwardTitle, RegisteredPerson

Status = AwardRegistration.Status


def acting_units_in_year(user, year: int) -> QuerySet[Unit]:
    """The units the person acts for that were active at some time in the year (a unit merged away in
    2025 is not offered for 2026), with ``name_on_day`` as of the year's end."""
    during = (Q(active_from__isnull=True) | Q(active_from__lte=date(year, 12, 31))) & (
        Q(active_to__isnull=True) | Q(active_to__gte=date(year, 1, 1))
    )
    units = Unit.objects.filter(during, pk__in=acting_unit_ids(user))
    return with_unit_names_on(units, year_reference_day(year)).order_by("name_on_day")


def with_people_count(registrations: QuerySet[AwardRegistration]) -> QuerySet[AwardRegistration]:
    """Annotates ``people_count`` without joining the people into the rows."""
    people = (
        RegisteredPerson.objects.filter(registration=OuterRef("pk"))
        .order_by()
        .values("registration")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return registrations.annotate(people_count=Coalesce(Subquery(people[:1], output_field=IntegerField()), 0))


@dataclass
class UnitYear:
    """A unit the person acts for, in a year: its region's campaign and its registrations in it."""

    unit: Unit
    name: str
    campaign: Campaign | None
    in_region: bool
    registrations: list[AwardRegistration] = field(default_factory=list)
    deadline_passed: bool = False
    may_register: bool = False

    @property
    def closed(self) -> bool:
        return self.campaign is not None and self.campaign.status == Campaign.Status.CLOSED

    @property
    def open_for_registration(self) -> bool:
        return self.campaign is not None and not self.closed and not self.deadline_passed


def units_of_year(user, year: int) -> list[UnitYear]:
    """The units the person acts for, each with that year's campaign and registrations; five queries at most.
    What the person may do with each (``deadline_passed``, ``may_register``) is the page's to fill in."""
    units = list(acting_units_in_year(user, year))
    unit_ids = [unit.pk for unit in units]
    if not unit_ids:
        return []
    regions = dict(RegionMembership.objects.filter(unit_id__in=unit_ids, year=year).values_list("unit_id", "region_id"))
    campaigns = {c.region_id: c for c in Campaign.objects.filter(region_id__in=set(regions.values()), year=year)}
    registrations = with_people_count(
        AwardRegistration.objects.filter(unit_id__in=unit_ids, campaign__in=list(campaigns.values()))
    ).select_related("title")
    by_unit: dict[int, list[AwardRegistration]] = {}
    for registration in registrations.order_by("title__position", "title__name"):
        by_unit.setdefault(registration.unit_id, []).append(registration)
    rows = []
    for unit in units:
        campaign = campaigns.get(regions.get(unit.pk))
        rows.append(
            UnitYear(
                unit=unit,
                name=unit.name_on_day,
                campaign=campaign,
                in_region=unit.pk in regions,
                registrations=by_unit.get(unit.pk, []),
            )
        )
    return rows


def campaigns_to_review(user, year: int) -> QuerySet[Campaign]:
    """The year's campaigns the person sees, with the region's name of that year and their registration counts."""
    registered = Q(award_registrations__status__in=AwardRegistration.REGISTERED)
    awaiting = Q(award_registrations__status=Status.SUBMITTED)
    campaigns = campaigns_visible_to(user).filter(year=year).select_related("region")
    return (
        with_region_name_of_year(campaigns)
        .annotate(
            registered_count=Count("award_registrations", filter=registered),
            awaiting_count=Count("award_registrations", filter=awaiting),
        )
        .order_by("region_name_in_year", "pk")
    )


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(registrations: QuerySet[AwardRegistration]) -> list[StatusCount]:
    counts = dict(registrations.order_by().values_list("status").annotate(n=Count("pk")))
    return [StatusCount(value, str(label), counts.get(value, 0)) for value, label in Status.choices]


def is_member(campaign: Campaign, unit: Unit) -> bool:
    return RegionMembership.objects.filter(region_id=campaign.region_id, year=campaign.year, unit=unit).exists()


def titles_taken(campaign: Campaign, unit: Unit) -> set[int]:
    """The titles the unit has registered in the campaign and not withdrawn."""
    return set(
        AwardRegistration.objects.filter(campaign=campaign, unit=unit)
        .exclude(status=Status.WITHDRAWN)
        .values_list("title_id", flat=True)
    )


def registrations_seen_by(user, campaign: Campaign) -> QuerySet[AwardRegistration]:
    """The campaign's registrations but other units' drafts: a draft is the unit's own until it is sent."""
    return AwardRegistration.objects.filter(campaign=campaign).exclude(
        Q(status=Status.DRAFT) & ~Q(unit_id__in=acting_unit_ids(user))
    )


def titles_of(registrations: QuerySet[AwardRegistration]) -> QuerySet[AwardTitle]:
    return AwardTitle.objects.filter(pk__in=registrations.values("title_id")).order_by("position", "name")


def filtered_for_list(registrations: QuerySet[AwardRegistration], year: int, *, status: str = "", title=None):
    """The campaign list's rows: by status and title if chosen, with people counts and unit names of the year."""
    if status:
        registrations = registrations.filter(status=status)
    if title is not None:
        registrations = registrations.filter(title=title)
    day = year_reference_day(year)
    registrations = with_unit_names_on(with_people_count(registrations).select_related("title"), day, unit_path="unit")
    return registrations.order_by("title__position", "title__name", "name_on_day", "pk")


def submitted_in(campaign: Campaign) -> QuerySet[AwardRegistration]:
    return AwardRegistration.objects.filter(campaign=campaign, status=Status.SUBMITTED)
