"""The suy tôn vote of a region's year-end conference: the titles the vote decides, with each recorded vote,
and recording one (ballots cast and votes for each approved candidate).

Whoever reads the campaign reads its votes; its reviewers (the region officers of that year's head unit,
and ministry staff) record them. ``awards.services.vote_record`` checks the counts and proposes the winner.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from core.pages import posted, require, show_error
from pacts.models import Campaign
from regions.selectors import region_name_on, with_unit_names_on, year_reference_day

from ..errors import AwardsError
from ..forms.votes import VoteForm, votes_field_name
from ..models import AwardRegistration, AwardTitle, Vote, VoteCount
from ..permissions import can_record_vote, can_view_votes
from ..services import votes as vote_services


@dataclass
class VoteRow:
    """A title decided by the vote, with the campaign's vote for it (None: not recorded yet)."""

    title: AwardTitle
    vote: Vote | None
    candidate_count: int
    counts: list[VoteCount] = field(default_factory=list)
    proposed_name: str = ""


def vote_rows(campaign: Campaign) -> list[VoteRow]:
    """Four queries whatever the number of titles, candidates and votes."""
    day = year_reference_day(campaign.year)
    counts = with_unit_names_on(
        VoteCount.objects.order_by("-votes_for", "pk"), day, unit_path="registration__unit"
    ).select_related("registration")
    votes = {
        vote.title_id: vote
        for vote in Vote.objects.filter(campaign=campaign)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("counts", queryset=counts))
    }
    titles = AwardTitle.objects.filter(Q(requires_vote=True) | Q(pk__in=list(votes))).order_by("position", "name")
    candidates = dict(
        AwardRegistration.objects.filter(campaign=campaign, status__in=vote_services.VOTE_CANDIDATE_STATUSES)
        .order_by()
        .values_list("title_id")
        .annotate(n=Count("pk"))
    )
    rows = []
    for title in titles:
        vote = votes.get(title.pk)
        row = VoteRow(title=title, vote=vote, candidate_count=candidates.get(title.pk, 0))
        if vote is not None:
            row.counts = list(vote.counts.all())
            row.proposed_name = next((c.name_on_day for c in row.counts if c.registration_id == vote.proposed_id), "")
        rows.append(row)
    return rows


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("region"), pk=pk)
    require(can_view_votes(request.user, campaign))
    return campaign


@login_required
def campaign_votes(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    context = {
        "campaign": campaign,
        "region_name": region_name_on(campaign.region, year_reference_day(campaign.year)),
        "rows": vote_rows(campaign),
        "can_record": can_record_vote(request.user, campaign),
    }
    return render(request, "awards/vote_list.html", context)


def _initial(vote: Vote | None) -> dict:
    if vote is None:
        return {}
    initial = {"held_on": vote.held_on, "ballots_cast": vote.ballots_cast, "note": vote.note}
    initial |= {votes_field_name(count.registration_id): count.votes_for for count in vote.counts.all()}
    return initial


@login_required
def vote_record(request: HttpRequest, pk: int, title_pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    require(can_record_vote(request.user, campaign))
    title = get_object_or_404(AwardTitle, pk=title_pk, requires_vote=True)
    day = year_reference_day(campaign.year)
    candidates = list(
        with_unit_names_on(
            AwardRegistration.objects.filter(
                campaign=campaign, title=title, status__in=vote_services.VOTE_CANDIDATE_STATUSES
            ),
            day,
            unit_path="unit",
        ).order_by("name_on_day", "pk")
    )
    names = {candidate.pk: candidate.name_on_day for candidate in candidates}
    previous = Vote.objects.filter(campaign=campaign, title=title).prefetch_related("counts").first()
    form = VoteForm(posted(request), candidates=list(names.items()), initial=_initial(previous))
    if candidates and form.is_bound and form.is_valid():
        try:
            outcome = vote_services.vote_record(
                campaign=campaign,
                title=title,
                held_on=form.cleaned_data["held_on"],
                ballots_cast=form.cleaned_data["ballots_cast"],
                counts=form.counts(),
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except AwardsError as error:
            show_error(form, error)
        else:
            if outcome.proposed is not None:
                done = _("The vote has been recorded: %(unit)s is proposed for “%(title)s”.")
                messages.success(request, done % {"unit": names[outcome.proposed.pk], "title": title.name})
            else:
                messages.warning(request, _("The vote has been recorded. %(reason)s") % {"reason": outcome.reason})
            return redirect("awards:campaign_votes", pk=campaign.pk)
    context = {
        "campaign": campaign,
        "region_name": region_name_on(campaign.region, day),
        "award_title": title,
        "form": form,
        "has_candidates": bool(candidates),
        "previous": previous,
    }
    return render(request, "awards/vote_form.html", context)


urlpatterns = [
    path("campaigns/<int:pk>/votes/", campaign_votes, name="campaign_votes"),
    path("campaigns/<int:pk>/votes/<int:title_pk>/", vote_record, name="vote_record"),
]
