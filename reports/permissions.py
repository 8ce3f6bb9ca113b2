"""Who sees which dashboard and which report: ministry staff (and administrators) every region and the country;
a region officer the regions their unit belongs to that year; a leader their own units' year. Reports are drafted
for ministry staff (any region, and the national roll-up) and region officers (their regions); leaders have none."""

from accounts.permissions import is_admin, is_leader, is_ministry, is_region_officer
from pacts.permissions import acting_unit_ids
from regions.models import RegionMembership


def sees_country(user) -> bool:
    return is_ministry(user) or is_admin(user)


def can_view_dashboards(user) -> bool:
    return sees_country(user) or is_region_officer(user) or is_leader(user)


def officer_region_ids(user, year: int) -> set[int]:
    """The regions a region officer's units belong to that year (one query, the units cached per request)."""
    if not is_region_officer(user):
        return set()
    units = acting_unit_ids(user)
    return set(RegionMembership.objects.filter(year=year, unit_id__in=units).values_list("region_id", flat=True))


def leader_unit_ids(user) -> set[int]:
    return acting_unit_ids(user) if is_leader(user) else set()


def can_view_region_dashboard(user, region_id: int, year: int) -> bool:
    return sees_country(user) or region_id in officer_region_ids(user, year)


def can_view_unit_dashboard(user, unit_id: int) -> bool:
    return sees_country(user) or unit_id in leader_unit_ids(user)


def can_request_reports(user) -> bool:
    """The menu entry and the list: ministry staff and region officers."""
    return sees_country(user) or is_region_officer(user)


def can_request_report(user, region, year: int) -> bool:
    """``region`` None is the national roll-up: ministry staff only."""
    if region is None:
        return sees_country(user)
    return sees_country(user) or region.pk in officer_region_ids(user, year)


def can_view_report_job(user, job) -> bool:
    return can_request_report(user, job.region, job.year)


def can_see_report_errors(user) -> bool:
    """The technical error of a failed job is for administrators (IT)."""
    return is_admin(user)
