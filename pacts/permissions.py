"""Who may see and do what with campaigns and pacts (roles come from accounts.permissions).

Signing itself is decided by pacts.services (the signer must lead the unit that day); these
predicates decide which pages and buttons a person gets.
"""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from accounts.permissions import is_admin, is_leader, is_ministry, is_region_officer
from regions.models import RegionMembership, Unit

from .models import Campaign, Pact


def acting_unit_ids(user, day: date | None = None) -> set[int]:
    """The units a person acts for: their own unit and the units they lead that day. Cached per request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    day = day or timezone.localdate()
    cache = user.__dict__.setdefault("_acting_units", {})
    if day not in cache:
        led = Unit.objects.filter(
            Q(appointments__end__isnull=True) | Q(appointments__end__gte=day),
            appointments__user=user,
            appointments__start__lte=day,
        ).values_list("pk", flat=True)
        cache[day] = set(led) | ({user.unit_id} if user.unit_id else set())
    return cache[day]


def heads_region_in(user, campaign: Campaign) -> bool:
    """The person's unit is the region's head unit that year."""
    return RegionMembership.objects.filter(
        region_id=campaign.region_id,
        year=campaign.year,
        role=RegionMembership.Role.HEAD,
        unit_id__in=acting_unit_ids(user),
    ).exists()


def can_manage_campaign(user, campaign: Campaign) -> bool:
    """Ministry staff, and the region officers of that year's head unit, draft and open."""
    return is_ministry(user) or (is_region_officer(user) and heads_region_in(user, campaign))


def can_create_campaigns(user) -> bool:
    return is_ministry(user) or is_region_officer(user)


def is_member_that_year(user, campaign: Campaign) -> bool:
    return RegionMembership.objects.filter(
        region_id=campaign.region_id, year=campaign.year, unit_id__in=acting_unit_ids(user)
    ).exists()


def can_view_campaign(user, campaign: Campaign) -> bool:
    if is_ministry(user) or is_admin(user):
        return True
    return (is_region_officer(user) or is_leader(user)) and is_member_that_year(user, campaign)


def can_view_pact(user, pact: Pact) -> bool:
    if can_view_campaign(user, pact.campaign):
        return True
    return bool(acting_unit_ids(user) & set(pact.signatories.values_list("unit_id", flat=True)))


def can_manage_pact(user, pact: Pact) -> bool:
    """Those who manage the pact's campaign: they edit, open and withdraw it."""
    return can_manage_campaign(user, pact.campaign)


def can_comment(user, pact: Pact) -> bool:
    return pact.status == Pact.Status.DRAFT and can_view_pact(user, pact)


def can_view_audit(user, pact: Pact) -> bool:
    return is_ministry(user) or is_admin(user) or can_manage_campaign(user, pact.campaign)


def can_view_national_progress(user) -> bool:
    return is_ministry(user) or is_admin(user)


def can_see_signer_addresses(user) -> bool:
    """Signers' IP addresses, on the progress page, are for ministry staff and administrators only."""
    return is_ministry(user) or is_admin(user)


def can_remind(user, pact: Pact) -> bool:
    """The "remind now" button: for those who manage the campaign, while the pact is open for signing."""
    return pact.status == Pact.Status.OPEN and can_manage_campaign(user, pact.campaign)


def can_list_campaigns(user) -> bool:
    """The campaign list: ministry staff and administrators see all, region officers and leaders their own."""
    return is_ministry(user) or is_admin(user) or is_region_officer(user) or is_leader(user)


def can_create_campaign_for(user, region, year: int) -> bool:
    """Ministry staff for any region; a region officer only where their unit heads the region that year."""
    return can_manage_campaign(user, Campaign(region=region, year=year))


def can_edit_pact(user, pact: Pact) -> bool:
    return pact.status == Pact.Status.DRAFT and can_manage_campaign(user, pact.campaign)


def can_sign_pacts(user) -> bool:
    """Unit leaders sign; the menu entry "Pacts to sign" is theirs."""
    return is_leader(user)


# --- the pact's PDF (issue 5) -------------------------------------------------------------------


def can_download_pdf(user, pact: Pact) -> bool:
    """Administrators, ministry staff and whoever may read the pact (its units' leaders, the region's officers)."""
    return is_admin(user) or is_ministry(user) or can_view_pact(user, pact)


def can_manage_pdf_jobs(user) -> bool:
    """The job list, "render again" and the yearly archive: administrators and ministry staff."""
    return is_admin(user) or is_ministry(user)


def can_see_pdf_attempts(user) -> bool:
    """How many times a render was tried is IT's business: administrators only, not ministry or region staff."""
    return is_admin(user)


PREVIEWABLE = frozenset({Pact.Status.DRAFT, Pact.Status.OPEN})


def can_preview_pdf(user, pact: Pact) -> bool:
    """A draft or open pact may be previewed as a PDF marked "DỰ THẢO" by whoever may read it."""
    return pact.status in PREVIEWABLE and can_download_pdf(user, pact)


def can_manage_movements(user) -> bool:
    """The list of emulation movements (phong trào thi đua) campaigns choose from: ministry staff and administrators."""
    return is_ministry(user) or is_admin(user)
