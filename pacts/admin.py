"""Campaigns and pacts in the Django admin, for looking only: every change of a campaign, a pact, its
clauses, slots, signatures, audit trail or PDF jobs goes through pacts.services (or pacts.pdf_jobs),
which check the workflow's rules and write the audit event; the database refuses the rest."""

from django.contrib import admin

from accounts import permissions
from accounts.admin_base import ReadOnlyAdmin, RoleVisibleMixin
from core.admin import ReadOnlyTabularInline

from .models import (
    AuditEvent,
    Campaign,
    Movement,
    Pact,
    PactClause,
    PactSignatory,
    PactSignature,
    PdfJob,
    Phase,
    Target,
)


@admin.register(Movement)
class MovementAdmin(RoleVisibleMixin, admin.ModelAdmin):
    """The shared list of named movements, which no service edits: administrators (IT staff, at the
    ministry's request) may add and correct one; none is deleted, since campaigns refer to them."""

    visible_to = staticmethod(permissions.can_browse_records_in_admin)
    list_display = ["short_name", "name"]
    search_fields = ["name", "short_name"]

    def has_add_permission(self, request) -> bool:
        return self.visible_to(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.visible_to(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PhaseInline(ReadOnlyTabularInline):
    model = Phase
    fields = ["number", "name", "start", "end", "unit_kinds"]


class TargetInline(ReadOnlyTabularInline):
    model = Target
    fields = ["number", "text", "unit_kind"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_browse_records_in_admin)
    list_display = ["title", "region", "year", "status", "conference_date", "registration_deadline"]
    list_filter = ["status", "year"]
    search_fields = ["title", "region__name"]
    list_select_related = ["region"]
    inlines = [PhaseInline, TargetInline]


class ClauseInline(ReadOnlyTabularInline):
    model = PactClause
    fields = ["number", "text"]


class SignatoryInline(ReadOnlyTabularInline):
    model = PactSignatory
    fields = ["order", "unit", "unit_name"]


@admin.register(Pact)
class PactAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_browse_records_in_admin)
    list_display = ["title", "campaign", "block", "version", "status", "deadline", "opened_at", "executed_at"]
    list_filter = ["status", "campaign__year"]
    search_fields = ["title", "campaign__region__name", "verification_code", "content_hash"]
    list_select_related = ["campaign"]
    inlines = [ClauseInline, SignatoryInline]


@admin.register(PactSignature)
class PactSignatureAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_browse_records_in_admin)
    list_display = ["pact", "unit_name", "signer_name", "signer_position", "authority", "signed_at", "ip_address"]
    list_filter = ["pact__campaign__year", "authority"]
    search_fields = ["unit_name", "signer_name", "pact__title"]
    list_select_related = ["pact"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_browse_records_in_admin)
    list_display = ["at", "action", "actor_name", "unit_name", "pact", "campaign", "ip_address"]
    list_filter = ["action", "campaign__year"]
    search_fields = ["actor_name", "unit_name", "pact__title", "detail"]
    list_select_related = ["pact", "campaign"]


@admin.register(PdfJob)
class PdfJobAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_browse_pdf_jobs_in_admin)
    list_display = ["pact", "version", "draft", "status", "attempts", "sealed", "queued_at", "finished_at"]
    list_filter = ["status", "draft", "sealed"]
    search_fields = ["pact__title", "pdf_sha256", "pact__verification_code"]
    list_select_related = ["pact"]
