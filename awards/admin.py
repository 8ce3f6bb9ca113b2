"""Awards in the Django admin, for IT staff: read-only, since every change has its rules in
awards.services and its page in the portal (titles, registrations, scoring, votes, decisions)."""

from django.contrib import admin

from accounts import permissions
from accounts.admin_base import ReadOnlyAdmin

from .models import Award, AwardDecision, AwardRegistration, AwardTitle, ScoreSheet, ScoringTable, Vote


class AwardsAdmin(ReadOnlyAdmin):
    visible_to = staticmethod(permissions.can_browse_records_in_admin)


@admin.register(AwardTitle)
class AwardTitleAdmin(AwardsAdmin):
    list_display = ["name", "kind", "subject", "level", "requires_vote", "is_active"]
    search_fields = ["name", "code"]


@admin.register(AwardRegistration)
class AwardRegistrationAdmin(AwardsAdmin):
    list_display = ["title", "unit", "campaign", "status", "submitted_at"]
    list_filter = ["status", "campaign__year", "title"]
    search_fields = ["unit__name", "title__name"]
    list_select_related = ["title", "unit", "campaign"]


@admin.register(ScoringTable)
class ScoringTableAdmin(AwardsAdmin):
    list_display = ["name", "year", "status", "decision_number"]
    list_filter = ["year", "status"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(AwardsAdmin):
    list_display = ["unit", "table", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "table__year"]
    list_select_related = ["unit", "table"]


@admin.register(Vote)
class VoteAdmin(AwardsAdmin):
    list_display = ["title", "campaign", "held_on", "ballots_cast", "proposed"]


@admin.register(AwardDecision)
class AwardDecisionAdmin(AwardsAdmin):
    list_display = ["number", "signed_on", "issuer"]
    search_fields = ["number", "summary"]


@admin.register(Award)
class AwardAdmin(AwardsAdmin):
    list_display = ["title", "recipient_name", "year", "decision"]
    list_filter = ["year", "title"]
    search_fields = ["recipient_name"]
    list_select_related = ["title", "decision"]
