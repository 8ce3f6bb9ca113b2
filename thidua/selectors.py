"""Reads for the home dashboard: what each role sees first after logging in."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from accounts import permissions
from accounts.models import Role, User
from regions.models import Unit


def dashboard_for(user: User) -> dict:
    roles = permissions.roles_of(user)
    data: dict = {"role_labels": [label for value, label in Role.choices if value in roles], "panels": set(roles)}
    if permissions.is_ministry(user):
        by_kind = dict(Unit.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
        data["units_by_kind"] = [(label, by_kind.get(value, 0)) for value, label in Unit.Kind.choices]
        data["unit_count"] = sum(by_kind.values())
    if permissions.is_leader(user):
        from pacts.selectors import signer_appointments_on, slots_to_sign

        data["pacts_to_sign"] = slots_to_sign(signer_appointments_on(user, timezone.localdate())).count()
    if permissions.is_admin(user):
        data["active_accounts"] = User.objects.filter(is_active=True).count()
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        data["locked_out"] = AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).count()
    return data
