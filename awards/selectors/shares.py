"""Reads of the titles chosen from the units voted up for another title: who was voted up, and a year's share
(rules and rounding: ``awards.services.shares``)."""

from dataclasses import dataclass

from ..models import Award, AwardRegistration, AwardTitle

Status = AwardRegistration.Status


@dataclass(frozen=True)
class Share:
    """How many units a title may go to in a year, out of how many voted up, and how many it already has."""

    base: int  # units voted up for the title it is chosen from
    allowed: int
    taken: int

    @property
    def left(self) -> int:
        return max(self.allowed - self.taken, 0)


def _count(title_id: int, year: int, *, exclude_ids=()) -> int:
    """Units holding (awarded) or proposed for the title in the year, each once."""
    awarded = set(Award.objects.filter(title_id=title_id, year=year).values_list("unit_id", flat=True))
    proposed = set(
        AwardRegistration.objects.filter(title_id=title_id, campaign__year=year, status=Status.PROPOSED)
        .exclude(pk__in=list(exclude_ids))
        .values_list("unit_id", flat=True)
    )
    return len(awarded | proposed)


def voted_up(title: AwardTitle, unit_id: int, year: int) -> bool:
    """The unit was voted up for ``title`` in ``year``: its registration proposed by the vote, or awarded."""
    if Award.objects.filter(title=title, unit_id=unit_id, year=year).exists():
        return True
    return AwardRegistration.objects.filter(
        title=title, unit_id=unit_id, campaign__year=year, status=Status.PROPOSED
    ).exists()


def share_of(title: AwardTitle, year: int, *, exclude_ids=()) -> Share | None:
    """The title's share for the year (None: the title has no share)."""
    if title.chosen_from_id is None or title.max_share_percent is None:
        return None
    base = _count(title.chosen_from_id, year)
    return Share(
        base=base,
        allowed=base * title.max_share_percent // 100,
        taken=_count(title.pk, year, exclude_ids=exclude_ids),
    )
