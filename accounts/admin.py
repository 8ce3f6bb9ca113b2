"""Accounts in the Django admin, for IT staff to look at: every change is made in the portal's people area.

Inviting, changing, deactivating and reactivating an account go through accounts.services, which check the
rules (who may grant a role, the last administrator, unique addresses) and keep the account's history; the
admin shows accounts, their roles by name, their invitations and history, and links to the people area.
Nobody types another person's password anywhere: a new account sets its own through its invitation.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import permissions
from .admin_base import ReadOnlyAdmin
from .models import AccountEvent, Invitation, Role, TwoFactorPolicy, User


def role_label(code: str) -> str:
    """A role's name in the reader's language, from the code its group is named by."""
    return str(Role(code).label) if code in Role.values else code


def _roles_of(account: User) -> str:
    # groups.all(), not a filtered query, so the list's prefetch serves every row.
    codes = sorted(group.name for group in account.groups.all())
    return ", ".join(role_label(code) for code in codes) or "—"


class RoleFilter(admin.SimpleListFilter):
    """The list's filter by role, named in the reader's language rather than by the groups' codes."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(groups__name=self.value())
        return queryset


class AccountsAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_manage_accounts)


@admin.register(User)
class UserAdmin(AccountsAdmin):
    list_display = ["full_name", "username", "position", "unit_shown", "email", "roles", "is_active", "last_login"]
    list_display_links = ["full_name", "username"]
    list_filter = ["is_active", RoleFilter]
    search_fields = ["username", "full_name", "email"]
    ordering = ["full_name"]
    list_select_related = ["unit__province"]
    fieldsets = (
        (None, {"fields": ("full_name", "username", "people_area")}),
        (_("Personal info"), {"fields": ("position", "unit_shown", "email")}),
        (_("Roles"), {"fields": ("is_active", "roles")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = [
        "full_name",
        "username",
        "people_area",
        "position",
        "unit_shown",
        "email",
        "is_active",
        "roles",
        "last_login",
        "date_joined",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, account: User) -> str:
        return _roles_of(account)

    @admin.display(description=_("unit"), ordering="unit__name")
    def unit_shown(self, account: User) -> str:
        """The unit as the unit's admin (regions, a floor above) labels it: with its province and dates, so that
        an account bound to a namesake that has ended shows it."""
        if account.unit is None:
            return "—"
        unit_admin = self.admin_site._registry.get(type(account.unit))
        label = getattr(unit_admin, "autocomplete_label", None)
        return label(account.unit) if label is not None else str(account.unit)

    @admin.display(description=_("people area"))
    def people_area(self, account: User):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("people:person_detail", args=[account.pk]),
            _("Change, deactivate or invite again in the people area"),
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Accounts are created in the people area, where the new person is invited to set their own password."""
        if not self.visible_to(request.user):
            raise PermissionDenied
        return redirect("people:person_create")


@admin.register(Invitation)
class InvitationAdmin(AccountsAdmin):
    list_display = ["user", "invited_by", "sent_at", "times_sent", "accepted_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__full_name", "user__username", "user__email"]
    list_select_related = ["user", "invited_by"]
    fields = ["user", "invited_by", "sent_at", "times_sent", "expires", "accepted_at"]
    readonly_fields = fields

    @admin.display(description=_("link valid until"))
    def expires(self, invitation: Invitation):
        return invitation.expires_at


@admin.register(AccountEvent)
class AccountEventAdmin(AccountsAdmin):
    list_display = ["at", "user", "action", "actor", "ip_address"]
    list_filter = ["action"]
    search_fields = ["user__full_name", "user__username", "actor__full_name", "reason"]
    list_select_related = ["user", "actor"]
    date_hierarchy = "at"
    fields = ["at", "user", "action", "actor", "changes", "reason", "ip_address"]
    readonly_fields = fields


@admin.register(TwoFactorPolicy)
class TwoFactorPolicyAdmin(AccountsAdmin):
    list_display = ["role", "required", "changed_by", "changed_at"]
    list_select_related = ["changed_by"]
    fields = list_display
    readonly_fields = fields


# The roles are groups named by their codes (accounts.models.Role): renaming or deleting one would take that
# role from everyone who holds it, so the groups are shown, never changed, by the role's name in the reader's
# language. A person's roles are set in the people area.
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(AccountsAdmin):
    list_display = ["role", "holders"]
    fields = ["role", "holders"]
    readonly_fields = fields
    actions = None

    @admin.display(description=_("role"), ordering="name")
    def role(self, group: Group) -> str:
        return role_label(group.name)

    def get_queryset(self, request):
        active = Count("user", filter=Q(user__is_active=True))
        return super().get_queryset(request).annotate(active_holders=active)

    @admin.display(description=_("active accounts"), ordering="active_holders")
    def holders(self, group: Group) -> int:
        return group.active_holders

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        # The page's subtitle and breadcrumbs name the role, not its group's code.
        if obj is not None:
            context["subtitle"] = role_label(obj.name)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


# django-axes locks a username out from one address after repeated failed log-ins; IT staff look here and may
# delete an attempt to lift a lockout. Axes has no Vietnamese: its words are in thidua.django_strings, and the
# pages below name the app, an attempt and its status in the reader's language.
apps.get_app_config("axes").verbose_name = _("Log-in lockouts")


def _attempt_subtitle(attempt) -> str:
    return _("Log-in of “%(username)s” at %(time)s") % {
        "username": attempt.username or "—",
        "time": date_format(timezone.localtime(attempt.attempt_time), "d/m/Y H:i"),
    }


class AttemptSubtitleMixin:
    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context["subtitle"] = _attempt_subtitle(obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


class LockoutAttemptAdmin(AttemptSubtitleMixin, AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, attempt: AccessAttempt) -> str:
        left = settings.AXES_FAILURE_LIMIT - attempt.failures_since_start
        if left <= 0:
            return str(_("Locked out"))
        return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}

    @admin.display(description=_("expires at"))
    def expiration(self, attempt: AccessAttempt):
        return attempt.expiration.expires_at if hasattr(attempt, "expiration") else _("Not set")


class LockoutLogAdmin(AttemptSubtitleMixin, AccessLogAdmin):
    pass


class LockoutFailureAdmin(AttemptSubtitleMixin, AccessFailureLogAdmin):
    pass


for _model, _admin_class in (
    (AccessAttempt, LockoutAttemptAdmin),
    (AccessLog, LockoutLogAdmin),
    (AccessFailureLog, LockoutFailureAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)


# Two-step sign-in devices hold each person's secret key and recovery codes: they are never shown, not even to
# IT staff in the admin. A lost phone is reset from the person's page in the people area (accounts.two_factor).
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
