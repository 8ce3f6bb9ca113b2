"""Reads of the vote pages: the titles the vote decides with each recorded vote, and a title's candidates."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from pacts.models import Campaign
from regions.selectors import with_unit_names_on, year_reference_day

from ..models import AwardRegistration, AwardTitle, Vote, VoteCount


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
        AwardRegistration.objects.filter(campaign=campaign, status__in=AwardRegistration.AWARDABLE_STATUSES)
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


def vote_candidates(campaign: Campaign, title: AwardTitle, day) -> QuerySet[AwardRegistration]:
    """The title's approved and proposed registrations in the campaign, with the units' names on that day."""
    return with_unit_names_on(
        AwardRegistration.objects.filter(
            campaign=campaign, title=title, status__in=AwardRegistration.AWARDABLE_STATUSES
        ),
        day,
        unit_path="unit",
    ).order_by("name_on_day", "pk")


def previous_vote(campaign: Campaign, title: AwardTitle) -> Vote | None:
    return Vote.objects.filter(campaign=campaign, title=title).prefetch_related("counts").first()
