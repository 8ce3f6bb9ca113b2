"""The regions app in the Django admin, for support staff. Names are kept as history rows."""

from django.contrib import admin

from .models import Appointment, Province, Region, RegionMembership, RegionName, Unit, UnitName


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "valid_from", "valid_to", "successor"]
    list_filter = ["valid_to"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["successor"]


class UnitNameInline(admin.TabularInline):
    model = UnitName
    extra = 0
    fields = ["name", "short_name", "valid_from", "basis"]


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    fields = ["full_name", "position", "kind", "start", "end", "user"]
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "parent", "active_from", "active_to"]
    list_filter = ["kind", "active_to"]
    search_fields = ["name", "short_name", "names__name"]
    autocomplete_fields = ["province", "parent", "successor"]
    inlines = [UnitNameInline, AppointmentInline]
    list_select_related = ["province", "parent"]


class RegionNameInline(admin.TabularInline):
    model = RegionName
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name", "names__name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [RegionNameInline]


@admin.register(RegionMembership)
class RegionMembershipAdmin(admin.ModelAdmin):
    list_display = ["year", "region", "unit", "role", "rotation_position"]
    list_filter = ["year", "role", "region"]
    search_fields = ["unit__name", "region__name"]
    autocomplete_fields = ["region", "unit"]
    list_select_related = ["region", "unit"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "kind", "unit", "start", "end", "user"]
    list_filter = ["kind"]
    search_fields = ["full_name", "unit__name"]
    autocomplete_fields = ["unit", "user"]
    list_select_related = ["unit", "user"]
