"""The pact or campaign a page is about, fetched for the person asking: 404 if unknown, 403 if not theirs."""

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from core.pages import require

from .. import selectors
from ..models import Campaign, Pact
from ..permissions import can_view_campaign, can_view_pact


def pact_for_user(
    request: HttpRequest,
    pk: int,
    *,
    need: Callable[..., bool] = can_view_pact,
    pacts: QuerySet[Pact] | None = None,
) -> Pact:
    """The pact, with what every pact page shows (or what ``pacts`` reads), if ``need(user, pact)`` (by
    default: may read it)."""
    pact = get_object_or_404(selectors.pacts_for_detail() if pacts is None else pacts, pk=pk)
    require(need(request.user, pact))
    return pact


def campaign_for_user(request: HttpRequest, pk: int, *, need: Callable[..., bool] = can_view_campaign) -> Campaign:
    """The campaign, with its region and host, if ``need(user, campaign)`` (by default: may read it)."""
    campaign = get_object_or_404(Campaign.objects.select_related("region", "conference_host"), pk=pk)
    require(need(request.user, campaign))
    return campaign
