"""Reads of the people area: accounts with their roles, unit, invitation and the appointments held today."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Role, User
from core.text import fold
from regions.models import Appointment

STATUSES = ("active", "inactive", "pending")


def people_for_list(*, today: date, search: str = "", role: str = "", status: str = "") -> QuerySet[User]:
    """Accounts matching the filters, in name order, with what a row of the list shows fetched in a fixed number
    of queries: unit and province, invitation, roles (groups) and the appointments current on ``today``."""
    people = User.objects.select_related("unit", "unit__province", "invitation").prefetch_related(
        "groups",
        Prefetch(
            "appointments",
            queryset=Appointment.objects.filter(start__lte=today)
            .filter(Q(end__isnull=True) | Q(end__gte=today))
            .select_related("unit", "unit__province")
            .order_by("kind", "-start"),
            to_attr="current_appointments",
        ),
    )
    if search:
        folded = fold(search)
        people = people.filter(
            Q(full_name__unaccent__icontains=folded) | Q(username__icontains=search) | Q(email__icontains=search)
        )
    if role == Role.ADMIN.value:
        people = people.filter(Q(groups__name=role) | Q(is_superuser=True)).distinct()
    elif role in Role.values:
        people = people.filter(groups__name=role)
    pending = Q(invitation__isnull=False, invitation__accepted_at__isnull=True)
    if status == "active":
        people = people.filter(is_active=True).exclude(pending)
    elif status == "inactive":
        people = people.filter(is_active=False)
    elif status == "pending":
        people = people.filter(pending, is_active=True)
    return people.order_by("full_name", "username")


def roles_held(account: User) -> list[Role]:
    """The account's roles in the order of Role, from its prefetched groups (a superuser is an administrator)."""
    codes = {group.name for group in account.groups.all()}
    if account.is_superuser:
        codes.add(Role.ADMIN.value)
    return [role for role in Role if role.value in codes]


def current_appointments(account: User, today: date) -> list[Appointment]:
    return list(
        Appointment.objects.filter(user=account, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("unit", "unit__province")
        .order_by("kind", "-start")
    )
