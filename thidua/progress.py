"""The region officer's "Signing progress" in the menu: the progress page of their region's campaign.

Ministry staff and administrators have the national page (pacts:national_progress_now); a region officer
follows the campaigns of the regions their unit is in, so the menu leads to the newest of those: straight
to its progress page when there is one campaign that year, to the year's campaigns when there are several.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import is_region_officer
from core.pages import require
from pacts.permissions import can_view_national_progress
from pacts.selectors import campaigns_visible_to


def can_follow_region_progress(user) -> bool:
    """The menu entry of region officers; those who see the national page have that one instead."""
    return is_region_officer(user) and not can_view_national_progress(user)


@require_GET
@login_required
def region_progress(request: HttpRequest) -> HttpResponse:
    user = request.user
    if can_view_national_progress(user):
        return redirect("pacts:national_progress_now")
    require(is_region_officer(user))
    newest = list(campaigns_visible_to(user).order_by("-year", "pk").values_list("pk", "year")[:2])
    if not newest:
        messages.info(request, _("No campaign of your region has been started yet, so there is no signing to follow."))
        return redirect("pacts:campaign_list")
    (pk, year), *others = newest
    if others and others[0][1] == year:
        return redirect(f"{reverse('pacts:campaign_list')}?year={year}")
    return redirect("pacts:campaign_progress", campaign_pk=pk)
