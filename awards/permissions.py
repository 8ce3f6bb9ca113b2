"""Who may see and do what with titles, registrations, scores, votes and decisions.

Roles come from accounts.permissions; "acting for a unit" and "heading the region" from pacts.permissions.
"""

from accounts.permissions import can_view_portal, is_admin, is_leader, is_ministry, is_region_officer
from pacts.models import Campaign
from pacts.permissions import acting_unit_ids, can_manage_campaign, can_view_campaign
from regions.models import RegionMembership, Unit

from .models import AwardDecision, AwardRegistration, ScoreSheet, ScoringTable


def can_view_titles(user) -> bool:
    return can_view_portal(user)


def can_manage_titles(user) -> bool:
    """Ministry staff keep the catalogue of titles."""
    return is_ministry(user)


def acts_for(user, unit: Unit) -> bool:
    return unit.pk in acting_unit_ids(user)


# --- registrations ---------------------------------------------------------------------------------


def can_list_registrations(user) -> bool:
    return can_follow_registrations(user) or can_register_for_units(user)


def can_follow_registrations(user) -> bool:
    """Ministry staff, administrators and region officers follow the campaigns' registrations."""
    return is_ministry(user) or is_admin(user) or is_region_officer(user)


def can_register_for_units(user) -> bool:
    """Leaders register the titles of the units they act for."""
    return is_leader(user)


def can_register(user, unit: Unit) -> bool:
    """A unit's leader registers the unit's titles (the campaign and deadline are the service's to check)."""
    return can_register_for_units(user) and acts_for(user, unit)


def can_view_registration(user, registration: AwardRegistration) -> bool:
    """A draft is the unit's own until it is sent; then the region's members and ministry staff see it."""
    if registration.status == AwardRegistration.Status.DRAFT:
        return acts_for(user, registration.unit)
    return can_view_campaign(user, registration.campaign) or acts_for(user, registration.unit)


def can_edit_registration(user, registration: AwardRegistration) -> bool:
    """The unit's leader changes, sends or withdraws its registration (the service checks the status)."""
    return can_register(user, registration.unit)


def can_review_registrations(user, campaign: Campaign) -> bool:
    """The region officers of that year's head unit, and ministry staff, approve or return."""
    return can_manage_campaign(user, campaign)


def can_propose_registration(user) -> bool:
    """Ministry staff propose an approved registration whose title is not decided by the region's vote."""
    return is_ministry(user)


def can_record_not_awarded(user) -> bool:
    """Ministry staff record that an approved or proposed registration was not awarded."""
    return is_ministry(user)


# --- reports ---------------------------------------------------------------------------------------


def can_view_reports(user) -> bool:
    """Ministry staff and administrators see every region; region officers see their own regions' figures."""
    return is_ministry(user) or is_admin(user) or is_region_officer(user)


def sees_every_region(user) -> bool:
    return is_ministry(user) or is_admin(user)


# --- scoring ---------------------------------------------------------------------------------------


def can_view_scoring_tables(user) -> bool:
    return can_view_portal(user)


def can_manage_scoring_tables(user) -> bool:
    return is_ministry(user)


def can_view_scoring_table(user, table: ScoringTable) -> bool:
    return can_view_scoring_tables(user)


def can_manage_scoring_table(user, table: ScoringTable) -> bool:
    return can_manage_scoring_tables(user)


def can_see_scoring_table(user, table: ScoringTable) -> bool:
    """A draft is not issued yet: only ministry staff see it; everyone else sees the tables in use."""
    return table.status == ScoringTable.Status.PUBLISHED or can_manage_scoring_tables(user)


def can_enter_scores(user, unit: Unit) -> bool:
    """The unit's leader enters and sends its self-scores."""
    return is_leader(user) and acts_for(user, unit)


def heads_region_of(user, unit: Unit, year: int) -> bool:
    """The person's unit heads, that year, the region the unit belongs to."""
    region_id = RegionMembership.objects.filter(unit=unit, year=year).values_list("region_id", flat=True).first()
    if region_id is None:
        return False
    return RegionMembership.objects.filter(
        region_id=region_id, year=year, role=RegionMembership.Role.HEAD, unit_id__in=acting_unit_ids(user)
    ).exists()


def can_review_scores(user, sheet: ScoreSheet) -> bool:
    """The region's reviewers (officers of the head unit that year) and ministry staff."""
    return is_ministry(user) or (is_region_officer(user) and heads_region_of(user, sheet.unit, sheet.table.year))


def can_read_every_sheet(user) -> bool:
    return is_admin(user)


def can_view_sheet(user, sheet: ScoreSheet) -> bool:
    return can_read_every_sheet(user) or can_review_scores(user, sheet) or acts_for(user, sheet.unit)


def ranking_region_ids(user, year: int) -> set[int] | None:
    """The regions whose ranking of that year the person may see (None: every region), in one query."""
    if is_ministry(user) or is_admin(user):
        return None
    if not (is_region_officer(user) or is_leader(user)):
        return set()
    members = RegionMembership.objects.filter(year=year, unit_id__in=acting_unit_ids(user))
    return set(members.values_list("region_id", flat=True))


def can_view_ranking(user, region, year: int) -> bool:
    """Ministry staff and administrators; the officers and leaders of the region's units that year."""
    visible = ranking_region_ids(user, year)
    return visible is None or region.pk in visible


# --- votes and decisions ---------------------------------------------------------------------------


def can_record_vote(user, campaign: Campaign) -> bool:
    return can_manage_campaign(user, campaign)


def can_view_votes(user, campaign: Campaign) -> bool:
    return can_view_campaign(user, campaign)


def can_record_decisions(user) -> bool:
    return is_ministry(user)


def can_view_decisions(user) -> bool:
    return is_ministry(user) or is_admin(user)


def can_view_decision(user, decision: AwardDecision) -> bool:
    return can_view_decisions(user)


def can_view_unit_awards(user, lineage_ids: set[int]) -> bool:
    """A unit's award history: ministry staff, administrators, and whoever acts for the unit or a unit
    it became or came from (its predecessors and successors are in ``lineage_ids``)."""
    return is_ministry(user) or is_admin(user) or bool(acting_unit_ids(user) & lineage_ids)
