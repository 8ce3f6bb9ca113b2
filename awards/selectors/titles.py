"""Reads of the catalogue of titles: the list, a title's page, and the titles a unit may register in a year."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ..models import Award, AwardRegistration, AwardTitle
from .shares import Share, share_of


@dataclass
class YearShare:
    year: int
    share: Share


@dataclass
class TitleShown:
    title: AwardTitle
    shares: list[YearShare]  # for a title with a share: the last years with units voted up or proposed


def title_shown(pk: int, *, years: int = 3) -> TitleShown:
    """The title with its bases and, for a title chosen with a share, how it stands in its latest years."""
    title = get_object_or_404(
        AwardTitle.objects.select_related("chosen_from").prefetch_related("bases", "excludes"), pk=pk
    )
    shares = []
    if title.chosen_from_id is not None and title.max_share_percent is not None:
        voted = AwardRegistration.objects.filter(
            title_id__in=[title.pk, title.chosen_from_id], status=AwardRegistration.Status.PROPOSED
        ).values_list("campaign__year", flat=True)
        awarded = Award.objects.filter(title_id__in=[title.pk, title.chosen_from_id]).values_list("year", flat=True)
        for year in sorted(set(voted) | set(awarded), reverse=True)[:years]:
            shares.append(YearShare(year=year, share=share_of(title, year)))
    return TitleShown(title=title, shares=shares)


def titles_listed() -> QuerySet[AwardTitle]:
    return AwardTitle.objects.prefetch_related("bases", "excludes").order_by("position", "name")


def titles_open_to(kind: str, year: int) -> list[AwardTitle]:
    """Active titles a unit of this kind may register in that year (in force, kind allowed)."""
    titles = AwardTitle.objects.filter(is_active=True).prefetch_related("bases")
    return [
        title for title in titles if title.allows_kind(kind) and any(b.in_force_during(year) for b in title.bases.all())
    ]
