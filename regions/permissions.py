"""Who may see and change regions, units, leaders and rosters (roles come from accounts.permissions)."""

from accounts.permissions import is_leader, is_ministry, is_region_officer


def can_manage_regions(user) -> bool:
    """Ministry staff create and edit regions, units, leaders and rosters."""
    return is_ministry(user)


def can_view_units(user) -> bool:
    return is_ministry(user)


def can_view_region(user, region) -> bool:
    """Ministry staff see every region; region officers and leaders see the regions their unit belongs to."""
    if is_ministry(user):
        return True
    if not (is_region_officer(user) or is_leader(user)) or user.unit_id is None:
        return False
    return region.memberships.filter(unit_id=user.unit_id).exists()


def can_list_regions(user) -> bool:
    return is_ministry(user) or is_region_officer(user) or is_leader(user)


def can_edit_roster(user, region) -> bool:
    """Only ministry staff change a region's yearly rosters; its officers and leaders read them."""
    return can_manage_regions(user)
