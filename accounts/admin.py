"""Accounts in the Django admin: the one place where administrators create and change them."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import permissions
from .admin_base import ReadOnlyAdmin, RoleVisibleMixin
from .models import User


@admin.register(User)
class UserAdmin(RoleVisibleMixin, DjangoUserAdmin):
    visible_to = staticmethod(permissions.can_manage_accounts)
    list_display = ["username", "full_name", "position", "unit", "email", "is_active"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["full_name"]
    autocomplete_fields = ["unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "position", "unit", "email")}),
        (_("Roles"), {"fields": ("is_active", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "email", "password1", "password2")}),
    )
    filter_horizontal = ["groups"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # The unit's admin (regions, a floor above) labels a unit with its province and dates, as its search does.
        label = getattr(self.admin_site._registry.get(db_field.related_model), "autocomplete_label", None)
        if field is not None and label is not None:
            field.label_from_instance = label
        return field


# The roles are groups named by their codes (accounts.models.Role): renaming or deleting one would take that
# role from everyone who holds it, so the groups are shown, never changed. A person's roles are set on the user.
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_manage_accounts)
    list_display = ["name"]
    fields = ["name"]
    actions = None


# Two-step sign-in devices hold each person's secret key and recovery codes: they are never shown, not even to
# IT staff in the admin. A lost phone is reset from the person's page in the people area (accounts.two_factor).
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
