"""The regions app in the Django admin, for looking only. Every change goes through regions.services:
names are kept as history (``unit_rename``, ``region_rename``), a new head ends the previous one's term
and is announced (``appointment_start``: appointments decide who may sign), rosters keep one head per
region-year under the region's lock; provinces are the legal map, loaded by a migration."""

from django.contrib import admin

from accounts import permissions
from accounts.admin_base import ReadOnlyAdmin
from core.admin import ReadOnlyTabularInline

from .models import Appointment, Province, Region, RegionMembership, RegionName, Unit, UnitName


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_browse_records_in_admin)
    list_display = ["name", "code", "valid_from", "valid_to", "successor"]
    list_filter = ["valid_to"]
    search_fields = ["name", "code"]


class UnitNameInline(ReadOnlyTabularInline):
    model = UnitName
    fields = ["name", "short_name", "valid_from", "basis"]


class AppointmentInline(ReadOnlyTabularInline):
    model = Appointment
    fields = ["full_name", "position", "kind", "start", "end", "user"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    # Administrators see units too: accounts are attached to one (the user form looks them up here).
    visible_to = staticmethod(permissions.can_browse_units_in_admin)
    list_display = ["name", "kind", "province", "parent", "active_from", "active_to"]
    list_filter = ["kind", "active_to"]
    search_fields = ["name", "short_name", "names__name"]
    list_select_related = ["province", "parent"]
    inlines = [UnitNameInline, AppointmentInline]


class RegionNameInline(ReadOnlyTabularInline):
    model = RegionName
    fields = ["name", "short_name", "valid_from"]


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_browse_records_in_admin)
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name", "names__name"]
    inlines = [RegionNameInline]


@admin.register(RegionMembership)
class RegionMembershipAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_browse_records_in_admin)
    list_display = ["year", "region", "unit", "role", "rotation_position"]
    list_filter = ["year", "role", "region"]
    search_fields = ["unit__name", "region__name"]
    list_select_related = ["region", "unit"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_browse_records_in_admin)
    list_display = ["full_name", "position", "kind", "unit", "start", "end", "user"]
    list_filter = ["kind"]
    search_fields = ["full_name", "unit__name"]
    list_select_related = ["unit", "user"]
