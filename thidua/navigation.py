"""The navigation bar: each entry says which users see it, through the permissions of accounts and each app."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import permissions
from accounts.two_factor import Need, session_need
from awards import permissions as award_permissions
from legal import permissions as legal_permissions
from pacts import permissions as pact_permissions
from regions import permissions as region_permissions
from reports import permissions as report_permissions

from .progress import can_follow_region_progress


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    allowed: Callable[..., bool]


@dataclass(frozen=True)
class NavGroup:
    """A drop-down menu of the bar; shown when the user may open at least one of its entries, as a plain
    link when they may open only one (a menu of one entry is one click too many)."""

    label: str | Promise
    items: tuple[NavItem, ...]


# The bar must fit on one line at 1366 px, in Vietnamese and in English, for every role (tests/e2e/
# test_navbar_fits.py): the daily work stays in plain links, the lists kept by ministry staff go under
# "Catalogues", the accounts and support tools under "Administration".
NAV_ITEMS: list[NavItem | NavGroup] = [
    NavItem(_("Home"), "home", permissions.can_view_portal),
    NavItem(_("Dashboard"), "reports:dashboard", report_permissions.can_view_dashboards),
    # The page's own title is "Emulation campaigns"; the menu says it in one word where it can ("Kế hoạch thi đua").
    NavItem(pgettext_lazy("menu", "Campaigns"), "pacts:campaign_list", pact_permissions.can_list_campaigns),
    NavItem(_("Pacts to sign"), "pacts:my_pacts", pact_permissions.can_sign_pacts),
    NavItem(_("Signing progress"), "pacts:national_progress_now", pact_permissions.can_view_national_progress),
    NavItem(_("Signing progress"), "signing_progress", can_follow_region_progress),
    NavGroup(
        _("Awards"),
        (
            NavItem(_("Award registrations"), "awards:my_registrations", award_permissions.can_list_registrations),
            NavItem(_("Scoring and ranking"), "awards:my_scores", award_permissions.can_view_scoring_tables),
            NavItem(_("Award report"), "awards:report", award_permissions.can_view_reports),
            NavItem(_("Year-end and mid-year reports"), "reports:report_list", report_permissions.can_request_reports),
            NavItem(_("Award decisions"), "awards:decision_list", award_permissions.can_view_decisions),
            NavItem(_("Scoring tables"), "awards:table_list", award_permissions.can_manage_scoring_tables),
            NavItem(_("Award titles"), "awards:title_list", award_permissions.can_view_titles),
        ),
    ),
    NavGroup(
        _("Catalogues"),
        (
            NavItem(_("Emulation regions"), "regions:region_list", region_permissions.can_list_regions),
            NavItem(_("Units"), "regions:unit_list", region_permissions.can_view_units),
            NavItem(_("Legal documents"), "legal:document_list", legal_permissions.can_manage_legal_documents),
            NavItem(_("Emulation movements"), "pacts:movement_list", pact_permissions.can_manage_movements),
        ),
    ),
    NavGroup(
        # Not Django's own "Administration" ("Quản trị website" in its catalogue): the portal's menu word.
        pgettext_lazy("menu", "Administration"),
        (
            NavItem(_("Users"), "people:person_list", permissions.can_manage_people),
            NavItem(_("PDF jobs"), "pacts:pdf_jobs", pact_permissions.can_manage_pdf_jobs),
            NavItem(_("Data administration"), "admin:index", permissions.can_use_admin_site),
        ),
    ),
]


def _link(item: NavItem) -> dict:
    return {"label": item.label, "url": reverse(item.url_name)}


def items_for(user) -> list[dict]:
    """The bar's entries for this user: links, and groups ({"label", "children"}) of links. None while the
    session still needs its two-step sign-in, which leaves only that step open."""
    if session_need(user) is not Need.NOTHING:
        return []
    entries = []
    for entry in NAV_ITEMS:
        if isinstance(entry, NavGroup):
            children = [_link(item) for item in entry.items if item.allowed(user)]
            if len(children) == 1:
                entries.append(children[0])
            elif children:
                entries.append({"label": entry.label, "children": children})
        elif entry.allowed(user):
            entries.append(_link(entry))
    return entries
