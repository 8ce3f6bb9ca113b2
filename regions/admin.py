"""The regions app in the Django admin, for looking only. Every change goes through regions.services:
names are kept as history (``unit_rename``, ``region_rename``), a new head ends the previous one's term
and is announced (``appointment_start``: appointments decide who may sign), rosters keep one head per
region-year under the region's lock; provinces are the legal map, loaded by a migration."""

from django.contrib import admin
from django.utils import timezone

from accounts import permissions
from accounts.admin_base import ReadOnlyAdmin
from core.admin import ReadOnlyTabularInline

from .labels import unit_label
from .models import Appointment, Province, Region, RegionMembership, RegionName, Unit, UnitName
from .selectors import units_active_on


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

    def autocomplete_label(self, obj: Unit) -> str:
        """How the user form's unit search shows a unit: with its province and dates (``regions.labels``)."""
        return unit_label(obj)

    def get_search_results(self, request, queryset, search_term):
        """The user form's unit search offers only the units active today: an account is bound to one of them."""
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/") and request.GET.get("field_name") == "unit":
            queryset = queryset.filter(units_active_on(timezone.localdate()))
        return queryset, distinct


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
