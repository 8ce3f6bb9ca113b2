"""Reads of the decision pages: the registrations a decision may award, the decisions recorded."""

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from regions.selectors import with_region_names_on, with_unit_names_on, year_reference_day

from ..models import AwardDecision, AwardRegistration, AwardTitle


def candidates(year: int, title: AwardTitle) -> list[AwardRegistration]:
    """The year's approved and proposed registrations for the title, with unit and region names of that year;
    each carries ``awardable`` and, if not, ``why_not``. Three queries at most, whatever their number."""
    day = year_reference_day(year)
    registrations = AwardRegistration.objects.filter(
        campaign__year=year, title=title, status__in=AwardRegistration.AWARDABLE_STATUSES
    ).select_related("campaign", "title")
    registrations = with_unit_names_on(registrations, day, unit_path="unit")
    registrations = with_region_names_on(registrations, day, region_path="campaign__region")
    if title.is_individual:
        registrations = registrations.prefetch_related("people")
    rows = list(registrations.order_by("region_name_on_day", "campaign__region_id", "name_on_day", "pk"))
    for row in rows:
        row.awardable = row.is_awardable()
        row.why_not = "" if row.awardable else _("Not proposed by the region's vote")
    return rows


def decisions_with_counts() -> QuerySet[AwardDecision]:
    """The decisions, newest first, each with ``award_count``."""
    return AwardDecision.objects.annotate(award_count=Count("awards")).order_by("-signed_on", "number")


def decision_years() -> list[int]:
    return [day.year for day in AwardDecision.objects.dates("signed_on", "year", order="DESC")]
