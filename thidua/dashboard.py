"""Reads for the home dashboard: what each role sees first after logging in."""

import operator
from functools import reduce

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from accounts import permissions
from accounts.models import Role, User
from regions.models import Unit

from .next_steps import next_steps_for


def dashboard_for(user: User) -> dict:
    roles = permissions.roles_of(user)
    data: dict = {"role_labels": [label for value, label in Role.choices if value in roles], "panels": set(roles)}
    if permissions.is_ministry(user):
        by_kind = dict(Unit.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
        data["units_by_kind"] = [(label, by_kind.get(value, 0)) for value, label in Unit.Kind.choices]
        data["unit_count"] = sum(by_kind.values())
    if permissions.is_leader(user):
        from pacts.selectors import signer_appointments_on, signing_obstacles_of, slots_to_sign

        data["pacts_to_sign"] = slots_to_sign(signer_appointments_on(user, timezone.localdate())).count()
        data["signing_obstacles"] = signing_obstacles_of(user, timezone.localdate())
        data["registrations_returned"] = _registrations_returned(user)
    if permissions.is_region_officer(user):
        from pacts.selectors import drafting_obstacle, regions_for_new_campaign

        data["registrations_awaiting"] = _registrations_awaiting(user)
        if not regions_for_new_campaign(user).exists():
            data["drafting_obstacle"] = drafting_obstacle(user, year=timezone.localdate().year)
    data.update(next_steps_for(user))
    if permissions.is_admin(user):
        data["active_accounts"] = User.objects.filter(is_active=True).count()
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        data["locked_out"] = AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).count()
    return data


def _registrations_returned(user) -> int:
    """Registrations of the units the leader acts for that the region returned for completion."""
    from awards.models import AwardRegistration
    from pacts.permissions import acting_unit_ids

    returned = AwardRegistration.objects.filter(status=AwardRegistration.Status.RETURNED)
    return returned.filter(unit_id__in=acting_unit_ids(user)).count()


def _registrations_awaiting(user) -> int:
    """Sent registrations waiting for approval in the campaigns of the regions the officer's unit heads."""
    from awards.models import AwardRegistration
    from pacts.permissions import acting_unit_ids
    from regions.models import RegionMembership

    headed = RegionMembership.objects.filter(
        role=RegionMembership.Role.HEAD, unit_id__in=acting_unit_ids(user)
    ).values_list("region_id", "year")
    campaigns = [Q(campaign__region_id=region_id, campaign__year=year) for region_id, year in headed]
    if not campaigns:
        return 0
    awaiting = AwardRegistration.objects.filter(status=AwardRegistration.Status.SUBMITTED)
    return awaiting.filter(reduce(operator.or_, campaigns)).count()
