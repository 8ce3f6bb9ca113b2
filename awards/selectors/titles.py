"""Reads of the catalogue of titles: the list, and the titles a unit may register in a year."""

from django.db.models import QuerySet

from ..models import AwardTitle


def titles_listed() -> QuerySet[AwardTitle]:
    return AwardTitle.objects.prefetch_related("bases", "excludes").order_by("position", "name")


def titles_open_to(kind: str, year: int) -> list[AwardTitle]:
    """Active titles a unit of this kind may register in that year (in force, kind allowed)."""
    titles = AwardTitle.objects.filter(is_active=True).prefetch_related("bases")
    return [
        title for title in titles if title.allows_kind(kind) and any(b.in_force_during(year) for b in title.bases.all())
    ]
