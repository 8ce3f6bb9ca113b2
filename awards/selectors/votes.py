"""Reads of the vote pages: the titles the vote decides with each recorded vote (of the region or of a block),
and a vote's candidates."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from pacts.models import Campaign
from regions.selectors import with_unit_names_on, year_reference_day

from ..blocks import BLOCKS, VoteBlock, block_by_name
from ..models import AwardRegistration, AwardTitle, Vote, VoteCount


@dataclass
class VoteSection:
    """The vote of the whole region (``block`` None) or of a block on a title: recorded (``vote``) or not yet."""

    block: VoteBlock | None
    candidate_count: int
    vote: Vote | None = None
    counts: list[VoteCount] = field(default_factory=list)
    proposed_ids: set[int] = field(default_factory=set)
    proposed_names: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.block.key if self.block else ""


@dataclass
class VoteRow:
    """A title decided by the vote: the votes that can be recorded for it, and those recorded."""

    title: AwardTitle
    sections: list[VoteSection]
    by_blocks: bool  # the region votes on it block by block (a block's vote is recorded)
    whole_region: bool  # the region votes on it as a whole (its vote is recorded)

    @property
    def candidate_count(self) -> int:
        return next((section.candidate_count for section in self.sections if section.block is None), 0)


def _section(block: VoteBlock | None, candidates: dict, title_id: int, vote: Vote | None) -> VoteSection:
    kinds = block.kinds if block else None
    count = sum(n for (title, kind), n in candidates.items() if title == title_id and (kinds is None or kind in kinds))
    section = VoteSection(block=block, candidate_count=count, vote=vote)
    if vote is not None:
        section.counts = list(vote.counts.all())
        section.proposed_ids = vote.proposed_registration_ids()
        section.proposed_names = [c.name_on_day for c in section.counts if c.registration_id in section.proposed_ids]
    return section


def vote_rows(campaign: Campaign) -> list[VoteRow]:
    """Four queries whatever the number of titles, blocks, candidates and votes."""
    day = year_reference_day(campaign.year)
    counts = with_unit_names_on(
        VoteCount.objects.order_by("-votes_for", "pk"), day, unit_path="registration__unit"
    ).select_related("registration")
    votes: dict[tuple[int, str], Vote] = {
        (vote.title_id, vote.block): vote
        for vote in Vote.objects.filter(campaign=campaign)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("counts", queryset=counts))
    }
    voted_titles = {title_id for title_id, _block in votes}
    titles = AwardTitle.objects.filter(Q(requires_vote=True) | Q(pk__in=list(voted_titles))).order_by(
        "position", "name"
    )
    candidates = {
        (row["title_id"], row["unit__kind"]): row["n"]
        for row in AwardRegistration.objects.filter(campaign=campaign, status__in=AwardRegistration.AWARDABLE_STATUSES)
        .order_by()
        .values("title_id", "unit__kind")
        .annotate(n=Count("pk"))
    }
    rows = []
    for title in titles:
        whole = votes.get((title.pk, ""))
        by_blocks = any(block for title_id, block in votes if title_id == title.pk and block)
        sections = []
        if not by_blocks:
            sections.append(_section(None, candidates, title.pk, whole))
        if whole is None:
            sections += [_section(block, candidates, title.pk, votes.get((title.pk, block.name))) for block in BLOCKS]
        # A block's vote recorded under a name no longer listed is still shown.
        known = {block.name for block in BLOCKS}
        for (title_id, name), vote in votes.items():
            if title_id == title.pk and name and name not in known:
                sections.append(_section(VoteBlock("", name, frozenset()), candidates, title.pk, vote))
        rows.append(VoteRow(title=title, sections=sections, by_blocks=by_blocks, whole_region=whole is not None))
    return rows


def vote_candidates(campaign: Campaign, title: AwardTitle, day, block: str = "") -> QuerySet[AwardRegistration]:
    """The title's approved and proposed registrations in the campaign (of the block's units), with the units'
    names on that day."""
    registrations = AwardRegistration.objects.filter(
        campaign=campaign, title=title, status__in=AwardRegistration.AWARDABLE_STATUSES
    )
    found = block_by_name(block) if block else None
    if found is not None:
        registrations = registrations.filter(unit__kind__in=found.kinds)
    return with_unit_names_on(registrations, day, unit_path="unit").order_by("name_on_day", "pk")


def previous_vote(campaign: Campaign, title: AwardTitle, block: str = "") -> Vote | None:
    return Vote.objects.filter(campaign=campaign, title=title, block=block).prefetch_related("counts").first()
