"""The rules of the region's suy tôn vote: the counts it may record and the units it proposes.

A vote is held by the whole region or by one of its blocks (``awards.blocks``), never both for one title in a
campaign; it elects ``seats`` units (at most the title's ``max_per_vote``), each ballot naming up to that many.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import nfc
from pacts.models import Campaign
from regions.models import RegionMembership

from ..blocks import block_by_name
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
    proposed_units: list[AwardRegistration] = field(default_factory=list)  # most votes first
    reason: str = ""  # why fewer units than the seats were proposed, or ""

    @property
    def proposed(self) -> AwardRegistration | None:
        """The first unit proposed (the only one of a one-seat vote)."""
        return self.proposed_units[0] if self.proposed_units else None


def _check_block(campaign: Campaign, title: AwardTitle, block: str) -> frozenset[str] | None:
    """The block's kinds of unit (None: the whole region); a region votes on a title as a whole or by blocks."""
    kinds = None
    if block:
        found = block_by_name(block)
        if found is None:
            raise AwardsError(_("“%(block)s” is not a block the region can vote by.") % {"block": block}, field="block")
        kinds = found.kinds
    others = Vote.objects.filter(campaign=campaign, title=title)
    if block and others.filter(block="").exists():
        raise AwardsError(
            _("The region has voted on “%(title)s” as a whole: record that vote again rather than a block's.")
            % {"title": title.name}
        )
    if not block and others.exclude(block="").exists():
        raise AwardsError(
            _("The region votes on “%(title)s” by blocks: record each block's vote.") % {"title": title.name}
        )
    return kinds


def _check_seats(title: AwardTitle, seats: int, candidate_count: int) -> None:
    if seats is None or seats < 1:
        raise AwardsError(_("Enter how many units the vote elects (at least 1)."), field="seats")
    if title.max_per_vote is not None and seats > title.max_per_vote:
        raise AwardsError(
            _("A vote proposes at most %(limit)s unit(s) for “%(title)s”.")
            % {"limit": title.max_per_vote, "title": title.name},
            field="seats",
        )
    if seats > candidate_count:
        raise AwardsError(
            _("The vote cannot elect %(seats)s units: there are %(count)s candidates.")
            % {"seats": seats, "count": candidate_count},
            field="seats",
        )


def _check_ballot(
    campaign: Campaign, title: AwardTitle, held_on: date, ballots_cast: int, kinds: frozenset[str] | None, block: str
) -> None:
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
    members = RegionMembership.objects.filter(region_id=campaign.region_id, year=campaign.year)
    if kinds is not None:
        members = members.filter(unit__kind__in=kinds)
    members = members.count()
    if ballots_cast > members and kinds is not None:
        raise AwardsError(
            _("%(ballots)s ballots cast, but %(block)s has %(members)s member units in %(year)s.")
            % {"ballots": ballots_cast, "block": block, "members": members, "year": campaign.year},
            field="ballots_cast",
        )
    if ballots_cast > members:
        raise AwardsError(
            _("%(ballots)s ballots cast, but the region has %(members)s member units in %(year)s.")
            % {"ballots": ballots_cast, "members": members, "year": campaign.year},
            field="ballots_cast",
        )


def _check_counts(
    candidates: dict[int, AwardRegistration], counts: Mapping[int, int], ballots_cast: int, seats: int
) -> None:
    """Every count is for a candidate, none negative, and together they fit in the ballots cast (each ballot
    names up to ``seats`` units)."""
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
    if seats == 1 and sum(counts.values()) > ballots_cast:
        raise AwardsError(
            _("%(votes)s votes in all, more than the %(ballots)s ballots cast: each ballot names one unit.")
            % {"votes": sum(counts.values()), "ballots": ballots_cast},
            field="counts",
        )
    if sum(counts.values()) > ballots_cast * seats:
        raise AwardsError(
            _(
                "%(votes)s votes in all, more than %(ballots)s ballots can give: each ballot names at most "
                "%(seats)s units."
            )
            % {"votes": sum(counts.values()), "ballots": ballots_cast, "seats": seats},
            field="counts",
        )


def _undo_previous_vote(
    campaign: Campaign, title: AwardTitle, block: str, candidates: dict[int, AwardRegistration]
) -> None:
    """A vote recorded again replaces the previous one: the units it proposed are back to approved."""
    previous = (
        Vote.objects.select_for_update()
        .filter(campaign=campaign, title=title, block=block)
        .prefetch_related("counts")
        .first()
    )
    if previous is None:
        return
    proposed_ids = previous.proposed_registration_ids()
    AwardRegistration.objects.filter(pk__in=proposed_ids, status=Status.PROPOSED).update(status=Status.APPROVED)
    for registration in candidates.values():
        if registration.pk in proposed_ids:
            registration.status = Status.APPROVED
    previous.counts.all().delete()
    previous.delete()


def elected(counts: Mapping[int, int], ballots_cast: int, seats: int) -> tuple[list[int], str]:
    """The candidates the vote proposes, most votes first, and why fewer than ``seats`` ("" when all are filled).

    Rule: candidates are ranked by their votes; each of the first ``seats`` is proposed if it has more than half of
    the ballots cast, unless the last seat is tied with a candidate after it: the tied candidates are then not
    proposed, and the region votes again for the seats left.
    """
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    majority = [(registration_id, votes) for registration_id, votes in ranked if votes * 2 > ballots_cast]
    chosen = majority[:seats]
    tied = False
    if len(ranked) > len(chosen) and chosen and ranked[len(chosen)][1] == chosen[-1][1]:
        tied_votes = chosen[-1][1]
        chosen = [item for item in chosen if item[1] != tied_votes]
        tied = True
    ids = [registration_id for registration_id, _votes in chosen]
    if len(ids) == seats:
        return ids, ""
    if tied and seats == 1:
        return ids, _("Two candidates have the same number of votes: no unit is proposed; the region votes again.")
    if tied:
        return ids, _(
            "Candidates tie for the last seat: %(proposed)s of %(seats)s units proposed; the region votes again "
            "for the seats left."
        ) % {"proposed": len(ids), "seats": seats}
    if seats == 1:
        return ids, _(
            "No candidate has more than half of the ballots cast: no unit is proposed; the region votes again."
        )
    return ids, _(
        "Only %(proposed)s of %(seats)s units have more than half of the ballots cast; the region votes again for "
        "the seats left."
    ) % {"proposed": len(ids), "seats": seats}


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
    block: str = "",
    seats: int = 1,
) -> VoteOutcome:
    """Records (or records again) the vote of the region or of one of its blocks; proposes the units elected
    (``elected``). The candidates are the title's approved registrations of the block's units."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require_open(campaign)
    block = nfc(block or "").strip()
    kinds = _check_block(campaign, title, block)
    _check_ballot(campaign, title, held_on, ballots_cast, kinds, block)
    candidates = AwardRegistration.objects.select_for_update().filter(
        campaign=campaign, title=title, status__in=AwardRegistration.AWARDABLE_STATUSES
    )
    if kinds is not None:
        candidates = candidates.filter(unit__kind__in=kinds)
    candidates = {registration.pk: registration for registration in candidates.select_related("unit")}
    _check_seats(title, seats, len(candidates))
    _check_counts(candidates, counts, ballots_cast, seats)
    _undo_previous_vote(campaign, title, block, candidates)
    proposed_ids, reason = elected(counts, ballots_cast, seats)
    vote = Vote.objects.create(
        campaign=campaign,
        title=title,
        block=block,
        seats=seats,
        held_on=held_on,
        ballots_cast=ballots_cast,
        note=nfc(note).strip(),
        proposed=candidates[proposed_ids[0]] if proposed_ids else None,
        recorded_by=actor,
    )
    VoteCount.objects.bulk_create(
        VoteCount(
            vote=vote,
            registration_id=registration_id,
            votes_for=votes_for,
            proposed=registration_id in proposed_ids,
        )
        for registration_id, votes_for in counts.items()
    )
    proposed = [candidates[registration_id] for registration_id in proposed_ids]
    for registration in proposed:
        registration.status = Status.PROPOSED
        registration.save(update_fields=["status", "updated_at"])
    return VoteOutcome(vote=vote, proposed_units=proposed, reason=reason)
