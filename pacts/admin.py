"""Campaigns and pacts in the Django admin, read-mostly: evidence rows cannot be edited there."""

from django.contrib import admin

from .models import AuditEvent, Campaign, Movement, Pact, PactSignatory, PactSignature, Phase, Target


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name"]
    search_fields = ["name", "short_name"]


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "year", "status"]
    list_filter = ["year", "status"]
    search_fields = ["title", "region__name"]
    inlines = [PhaseInline, TargetInline]
    autocomplete_fields = ["region", "conference_host"]


class SignatoryInline(admin.TabularInline):
    model = PactSignatory
    extra = 0
    readonly_fields = ["unit", "unit_name", "order"]
    can_delete = False


@admin.register(Pact)
class PactAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "block", "version", "status", "deadline"]
    list_filter = ["status", "campaign__year"]
    search_fields = ["title", "campaign__region__name"]
    readonly_fields = ["content_text", "content_hash", "opened_at", "executed_at", "withdrawn_at", "verification_code"]
    inlines = [SignatoryInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PactSignature)
class PactSignatureAdmin(ReadOnlyAdmin):
    list_display = ["pact", "unit_name", "signer_name", "authority", "signed_at", "ip_address"]
    list_filter = ["pact__campaign__year"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "actor_name", "unit_name", "pact", "ip_address"]
    list_filter = ["action"]
