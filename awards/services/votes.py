"""The rules of the region's suy tôn vote: the counts it may record and the unit it proposes."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import nfc
from pacts.models import Campaign
from regions.models import RegionMembership

from ..errors import AwardsError
from ..models import (
    Award,
    AwardRegistration,
    AwardTitle,
    Vote,
    VoteCount,
)
from .registrations import require_open

Status = AwardRegistration.Status


@dataclass
class VoteOutcome:
    vote: Vote
    proposed: AwardRegistration | None
    reason: str  # why no unit was proposed, or ""


def _check_ballot(campaign: Campaign, title: AwardTitle, held_on: date, ballots_cast: int) -> None:
    """The vote may be recorded: a title the region votes on, not yet awarded, a date and ballots that fit."""
    if not title.requires_vote:
        raise AwardsError(_("“%(title)s” is not proposed by the region's vote.") % {"title": title.name})
    if ballots_cast is None or ballots_cast < 1:
        raise AwardsError(_("Enter the number of ballots cast (at least 1)."), field="ballots_cast")
    if held_on.year < campaign.year or held_on > timezone.localdate():
        raise AwardsError(
            _("The vote is held in %(year)s or later, and not after today.") % {"year": campaign.year},
            field="held_on",
        )
    if Award.objects.filter(registration__campaign=campaign, title=title).exists():
        raise AwardsError(_("A decision has already awarded this title: the vote can no longer change."))
    members = RegionMembership.objects.filter(region_id=campaign.region_id, year=campaign.year).count()
    if ballots_cast > members:
        raise AwardsError(
            _("%(ballots)s ballots cast, but the region has %(members)s member units in %(year)s.")
            % {"ballots": ballots_cast, "members": members, "year": campaign.year},
            field="ballots_cast",
        )


def _check_counts(candidates: dict[int, AwardRegistration], counts: Mapping[int, int], ballots_cast: int) -> None:
    """Every count is for a candidate, none negative, and together they fit in the ballots cast."""
    if not counts:
        raise AwardsError(_("Enter the votes of at least one candidate."), field="counts")
    for registration_id, votes_for in counts.items():
        registration = candidates.get(registration_id)
        if registration is None:
            raise AwardsError(_("Only approved registrations for this title can be voted on."), field="counts")
        if votes_for is None or votes_for < 0:
            raise AwardsError(_("Votes cannot be negative."), field="counts")
        if votes_for > ballots_cast:
            raise AwardsError(
                _("%(unit)s: %(votes)s votes for, more than the %(ballots)s ballots cast.")
                % {"unit": registration.unit.name, "votes": votes_for, "ballots": ballots_cast},
                field="counts",
            )
    if sum(counts.values()) > ballots_cast:
        raise AwardsError(
            _("%(votes)s votes in all, more than the %(ballots)s ballots cast: each ballot names one unit.")
            % {"votes": sum(counts.values()), "ballots": ballots_cast},
            field="counts",
        )


def _undo_previous_vote(campaign: Campaign, title: AwardTitle, candidates: dict[int, AwardRegistration]) -> None:
    """A vote recorded again replaces the previous one: the unit it proposed is back to approved."""
    previous = Vote.objects.select_for_update().filter(campaign=campaign, title=title).first()
    if previous is None:
        return
    AwardRegistration.objects.filter(pk=previous.proposed_id, status=Status.PROPOSED).update(status=Status.APPROVED)
    for registration in candidates.values():
        if registration.pk == previous.proposed_id:
            registration.status = Status.APPROVED
    previous.counts.all().delete()
    previous.delete()


def _no_winner_reason(counts: Mapping[int, int], ballots_cast: int) -> tuple[int, str]:
    """The leading candidate, and why it is not proposed ("" when it is)."""
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    leader_id, leader_votes = ranked[0]
    reason = ""
    if len(ranked) > 1 and ranked[1][1] == leader_votes:
        reason = _("Two candidates have the same number of votes: no unit is proposed; the region votes again.")
    elif leader_votes * 2 <= ballots_cast:
        reason = _("No candidate has more than half of the ballots cast: no unit is proposed; the region votes again.")
    return leader_id, reason


@transaction.atomic
def vote_record(
    *,
    campaign: Campaign,
    title: AwardTitle,
    held_on: date,
    ballots_cast: int,
    counts: Mapping[int, int],
    actor,
    note: str = "",
) -> VoteOutcome:
    """Records (or records again) the region's vote; proposes the leading unit when it has a majority.

    Rule: the candidate with the most votes is proposed if it has more than half of the ballots cast
    and no other candidate has as many; otherwise no one is proposed and the region votes again.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require_open(campaign)
    _check_ballot(campaign, title, held_on, ballots_cast)
    candidates = {
        registration.pk: registration
        for registration in AwardRegistration.objects.select_for_update()
        .filter(campaign=campaign, title=title, status__in=AwardRegistration.AWARDABLE_STATUSES)
        .select_related("unit")
    }
    _check_counts(candidates, counts, ballots_cast)
    _undo_previous_vote(campaign, title, candidates)
    vote = Vote.objects.create(
        campaign=campaign,
        title=title,
        held_on=held_on,
        ballots_cast=ballots_cast,
        note=nfc(note).strip(),
        recorded_by=actor,
    )
    VoteCount.objects.bulk_create(
        VoteCount(vote=vote, registration_id=registration_id, votes_for=votes_for)
        for registration_id, votes_for in counts.items()
    )
    leader_id, reason = _no_winner_reason(counts, ballots_cast)
    proposed = None
    if not reason:
        proposed = candidates[leader_id]
        proposed.status = Status.PROPOSED
        proposed.save(update_fields=["status", "updated_at"])
        vote.proposed = proposed
        vote.save(update_fields=["proposed"])
    return VoteOutcome(vote=vote, proposed=proposed, reason=reason)
