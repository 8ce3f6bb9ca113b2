"""Titles chosen from the units voted up for another title, and their share of them.

Cờ thi đua của Chính phủ is chosen among the units the clusters voted up as leaders that meet the ministry
flag's standard (Law 2022 Art. 25(1)), at most 20% of them (Decree 91/2017 Art. 11(1); letter 5007/BNV-TĐKT):
in the catalogue, ``chosen_from`` is Cờ thi đua ngành Tư pháp and ``max_share_percent`` 20.

- *Voted up* for a title in a year: the region's vote proposed the unit's registration (still awaiting the
  decision), or a decision awarded the unit that title for that year.
- *Taken*: the year's registrations of the title proposed, and its awards of that year.
- *Allowed*: the share of the voted-up units, rounded down ("không quá" 20%: 2 of 10, 1 of 9, none of 4).
"""

from django.utils.translation import gettext as _

from ..errors import AwardsError
from ..models import AwardRegistration
from ..selectors.shares import share_of, voted_up


def check_chosen_from(registrations: list[AwardRegistration]) -> None:
    """Each registration of a title chosen from voted-up units is for such a unit, and together they keep to the
    title's share of its year; raises with the first broken rule. The registrations are not yet proposed or awarded
    (they are counted as added); call it with the title's row locked, so two proposals are not counted apart."""
    added: dict[tuple[int, int], list[AwardRegistration]] = {}
    for registration in registrations:
        title, year = registration.title, registration.campaign.year
        if title.chosen_from_id is None:
            continue
        if not voted_up(title.chosen_from, registration.unit_id, year):
            raise AwardsError(
                _(
                    "%(unit)s was not voted up (suy tôn) for “%(source)s” in %(year)s: “%(title)s” is chosen only "
                    "among the units the regions voted up for it."
                )
                % {"unit": registration.unit.name, "source": title.chosen_from.name, "year": year, "title": title.name},
                field="registrations",
            )
        added.setdefault((title.pk, year), []).append(registration)
    for group in added.values():
        title, year = group[0].title, group[0].campaign.year
        share = share_of(title, year, exclude_ids=[registration.pk for registration in group])
        if share is None or share.taken + len(group) <= share.allowed:
            continue
        raise AwardsError(
            _(
                "“%(title)s” %(year)s: at most %(percent)s%% of the %(base)s units voted up for “%(source)s”, "
                "that is %(allowed)s unit(s); %(taken)s already proposed or awarded, so %(adding)s more would "
                "exceed the limit."
            )
            % {
                "title": title.name,
                "year": year,
                "percent": title.max_share_percent,
                "base": share.base,
                "source": title.chosen_from.name,
                "allowed": share.allowed,
                "taken": share.taken,
                "adding": len(group),
            },
            field="registrations",
        )
