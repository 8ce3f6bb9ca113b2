"""The registration, scoring table, score sheet, score line or decision a page is about, fetched for the person
asking: 404 if unknown, 403 if not theirs. Campaigns come from ``pacts.views.access.campaign_for_user``."""

from collections.abc import Callable

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from core.pages import require

from ..models import AwardDecision, AwardRegistration, ScoreEntry, ScoreSheet, ScoringTable
from ..permissions import (
    can_see_scoring_table,
    can_view_decision,
    can_view_registration,
    can_view_scoring_table,
    can_view_sheet,
)


def registration_for_user(
    request: HttpRequest, pk: int, *, need: Callable[..., bool] = can_view_registration
) -> AwardRegistration:
    """The registration, with what its pages show, if ``need(user, registration)`` (by default: may read it)."""
    registration = get_object_or_404(
        AwardRegistration.objects.select_related("campaign__region", "unit", "title", "decided_by", "created_by"),
        pk=pk,
    )
    require(need(request.user, registration))
    return registration


def table_for_user(
    request: HttpRequest,
    pk: int,
    *,
    need: Callable[..., bool] | None = can_view_scoring_table,
    hide_drafts: bool = True,
) -> ScoringTable:
    """The scoring table, if ``need(user, table)`` (by default: may read the tables; None: the page checks the
    person further on). A draft is not issued yet, so outside the ministry it is not found, unless the page
    turns ``hide_drafts`` off to let the service say so."""
    table = get_object_or_404(ScoringTable, pk=pk)
    if need is not None:
        require(need(request.user, table))
    if hide_drafts and not can_see_scoring_table(request.user, table):
        raise Http404
    return table


def sheet_for_user(request: HttpRequest, pk: int, *, need: Callable[..., bool] = can_view_sheet) -> ScoreSheet:
    """The score sheet, with its table and unit, if ``need(user, sheet)`` (by default: may read it)."""
    sheet = get_object_or_404(ScoreSheet.objects.select_related("table", "unit"), pk=pk)
    require(need(request.user, sheet))
    return sheet


def entry_for_user(request: HttpRequest, pk: int) -> ScoreEntry:
    """A line of a score sheet (its evidence file), for those who may read the sheet."""
    entry = get_object_or_404(ScoreEntry.objects.select_related("sheet__table", "sheet__unit"), pk=pk)
    require(can_view_sheet(request.user, entry.sheet))
    return entry


def decision_for_user(request: HttpRequest, pk: int, *, need: Callable[..., bool] = can_view_decision) -> AwardDecision:
    """The decision, with who recorded it, if ``need(user, decision)`` (by default: may read it)."""
    decision = get_object_or_404(AwardDecision.objects.select_related("recorded_by"), pk=pk)
    require(need(request.user, decision))
    return decision
