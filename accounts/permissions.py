"""Who may see and do what: the one place where roles are checked.

Views, templates (through the navigation) and tests use these predicates; nothing else looks at
groups, ``is_staff`` or ``is_superuser`` directly.
"""

from django.contrib.auth.models import AnonymousUser

from .models import Role, User

_CACHE_ATTR = "_thidua_roles"


def roles_of(user: User | AnonymousUser) -> frozenset[str]:
    """The role codes a user holds, read once per request and cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        codes = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if user.is_superuser:
            codes.add(Role.ADMIN.value)
        cached = frozenset(codes)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: User) -> None:
    """Drops the cached roles, after they change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role.value in roles_of(user)


def is_ministry(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.MINISTRY)


def is_region_officer(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.REGION)


def is_leader(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.LEADER)


def is_admin(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.ADMIN)


def can_use_admin_site(user: User | AnonymousUser) -> bool:
    """Only IT staff (administrators) use the Django admin."""
    return bool(admin_site_apps(user))


def can_manage_accounts(user: User | AnonymousUser) -> bool:
    return is_admin(user)


def can_manage_people(user: User | AnonymousUser) -> bool:
    """The people area (list, invite, change, deactivate accounts): ministry staff and administrators."""
    return is_ministry(user) or is_admin(user)


def holds_admin_role(account: User) -> bool:
    """Whether an account (active or not) is an administrator's: a superuser or a holder of the role's group."""
    return account.is_superuser or account.groups.filter(name=Role.ADMIN.value).exists()


def can_grant_role(actor: User | AnonymousUser, role: Role) -> bool:
    """Who may give or take back a role: the administrator role only administrators, the others the people area."""
    return is_admin(actor) if role == Role.ADMIN else can_manage_people(actor)


def can_change_account(actor: User | AnonymousUser, account: User) -> bool:
    """Ministry staff change any account but an administrator's (whose e-mail would let them reset its
    password); administrators change every account."""
    return can_manage_people(actor) and (is_admin(actor) or not holds_admin_role(account))


def can_view_portal(user: User | AnonymousUser) -> bool:
    """Any signed-in account with at least one role; an account without a role sees only its profile."""
    return bool(roles_of(user))


# The Django admin is for IT staff (administrators) only: ministry staff and every other role work in the
# portal's own pages (the people area, units, rosters, pacts, awards), which check each workflow's rules.
# Within an app, each page says who sees it through one of the predicates below (accounts.admin_base); the
# admin lets support staff look, never change: records change through their services, which hold the rules
# and write the audit trail (accounts through the people area).
ADMIN_SITE_APPS: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset({"accounts", "auth", "axes", "outbox", "regions", "pacts", "awards"}),
}


def nobody(user: User | AnonymousUser) -> bool:
    """The default of an admin page that has not said who may see it."""
    return False


def can_browse_records_in_admin(user: User | AnonymousUser) -> bool:
    """Regions, rosters, leaders, campaigns, pacts, signatures, the audit trail and awards: administrators, who
    support the portal; ministry staff see them in the portal's pages."""
    return is_admin(user)


def can_browse_units_in_admin(user: User | AnonymousUser) -> bool:
    """Units: administrators (ministry staff manage them in the portal's unit pages)."""
    return is_admin(user)


def can_browse_pdf_jobs_in_admin(user: User | AnonymousUser) -> bool:
    """PDF jobs: administrators (ministry staff run them from the portal's job list)."""
    return is_admin(user)


def admin_site_apps(user: User | AnonymousUser) -> frozenset[str]:
    apps: set[str] = set()
    for role, labels in ADMIN_SITE_APPS.items():
        if has_role(user, role):
            apps |= labels
    return frozenset(apps)
