"""The navigation bar: each entry says which users see it, through accounts.permissions."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pacts import permissions as pact_permissions
from regions import permissions as region_permissions

from . import permissions


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    allowed: Callable[..., bool]


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home", permissions.can_view_portal),
    NavItem(_("Emulation regions"), "regions:region_list", region_permissions.can_list_regions),
    NavItem(_("Units"), "regions:unit_list", region_permissions.can_view_units),
    NavItem(_("Emulation campaigns"), "pacts:campaign_list", pact_permissions.can_list_campaigns),
    NavItem(_("Pacts to sign"), "pacts:my_pacts", pact_permissions.can_sign_pacts),
    NavItem(_("Signing progress"), "pacts:national_progress_now", pact_permissions.can_view_national_progress),
    NavItem(_("PDF jobs"), "pacts:pdf_jobs", pact_permissions.can_manage_pdf_jobs),
    NavItem(_("Data administration"), "admin:index", permissions.can_use_admin_site),
]


def items_for(user) -> list[dict]:
    return [{"label": item.label, "url": reverse(item.url_name)} for item in NAV_ITEMS if item.allowed(user)]
