"""The suy tôn vote of a region's year-end conference: the titles the vote decides, with each recorded vote,
and recording one (ballots cast, the units to elect and votes for each approved candidate), for the whole
region or for one of its blocks (Khối Sở Tư pháp, Khối Thi hành án dân sự).

Whoever reads the campaign reads its votes; its reviewers (the region officers of that year's head unit,
and ministry staff) record them. ``awards.services.vote_record`` checks the counts and proposes the winner.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from core.pages import posted, require, show_error
from pacts.views.access import campaign_for_user
from regions.selectors import region_name_on, year_reference_day

from ..blocks import BY_KEY
from ..errors import AwardsError
from ..forms.votes import VoteForm, votes_field_name
from ..models import AwardTitle, Vote
from ..permissions import can_record_vote, can_view_votes
from ..selectors.votes import previous_vote, vote_candidates, vote_rows
from ..services import votes as vote_services


@login_required
def campaign_votes(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request, pk, need=can_view_votes)
    context = {
        "campaign": campaign,
        "region_name": region_name_on(campaign.region, year_reference_day(campaign.year)),
        "rows": vote_rows(campaign),
        "can_record": can_record_vote(request.user, campaign),
    }
    return render(request, "awards/vote_list.html", context)


def _initial(vote: Vote | None) -> dict:
    if vote is None:
        return {"seats": 1}
    initial = {"held_on": vote.held_on, "ballots_cast": vote.ballots_cast, "note": vote.note, "seats": vote.seats}
    initial |= {votes_field_name(count.registration_id): count.votes_for for count in vote.counts.all()}
    return initial


def _done_message(outcome, names: dict[int, str], title: AwardTitle) -> tuple[str, bool]:
    """The message after recording, and whether every seat was filled."""
    units = ", ".join(names[registration.pk] for registration in outcome.proposed_units)
    if units and not outcome.reason:
        return _("The vote has been recorded: %(units)s proposed for “%(title)s”.") % {
            "units": units,
            "title": title.name,
        }, True
    if units:
        return _("The vote has been recorded: %(units)s proposed for “%(title)s”. %(reason)s") % {
            "units": units,
            "title": title.name,
            "reason": outcome.reason,
        }, False
    return _("The vote has been recorded. %(reason)s") % {"reason": outcome.reason}, False


@login_required
def vote_record(request: HttpRequest, pk: int, title_pk: int, block_key: str = "") -> HttpResponse:
    campaign = campaign_for_user(request, pk, need=can_view_votes)
    require(can_record_vote(request.user, campaign))
    title = get_object_or_404(AwardTitle, pk=title_pk, requires_vote=True)
    block = BY_KEY.get(block_key) if block_key else None
    if block_key and block is None:
        raise Http404
    block_name = block.name if block else ""
    day = year_reference_day(campaign.year)
    candidates = list(vote_candidates(campaign, title, day, block_name))
    names = {candidate.pk: candidate.name_on_day for candidate in candidates}
    previous = previous_vote(campaign, title, block_name)
    form = VoteForm(
        posted(request), candidates=list(names.items()), max_seats=title.max_per_vote, initial=_initial(previous)
    )
    if candidates and form.is_bound and form.is_valid():
        try:
            outcome = vote_services.vote_record(
                campaign=campaign,
                title=title,
                block=block_name,
                seats=form.seats_elected(),
                held_on=form.cleaned_data["held_on"],
                ballots_cast=form.cleaned_data["ballots_cast"],
                counts=form.counts(),
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except AwardsError as error:
            show_error(form, error)
        else:
            message, complete = _done_message(outcome, names, title)
            (messages.success if complete else messages.warning)(request, message)
            return redirect("awards:campaign_votes", pk=campaign.pk)
    context = {
        "campaign": campaign,
        "region_name": region_name_on(campaign.region, day),
        "award_title": title,
        "block": block,
        "form": form,
        "has_candidates": bool(candidates),
        "previous": previous,
    }
    return render(request, "awards/vote_form.html", context)


urlpatterns = [
    path("campaigns/<int:pk>/votes/", campaign_votes, name="campaign_votes"),
    path("campaigns/<int:pk>/votes/<int:title_pk>/", vote_record, name="vote_record"),
    path("campaigns/<int:pk>/votes/<int:title_pk>/blocks/<slug:block_key>/", vote_record, name="vote_record_block"),
]
