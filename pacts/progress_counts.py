"""Signing progress in figures, for the home pages: the open pacts a region officer looks after, and the
nation's open pacts at a glance. A fixed number of queries, whatever the number of pacts and units."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, Min, OuterRef, QuerySet

from regions.models import RegionMembership
from regions.selectors import with_region_names_on

from .models import Pact, PactSignatory, PactSignature
from .permissions import acting_unit_ids
from .selectors import pacts_with_counts


def open_pacts_of_headed_regions(user, day: date) -> QuerySet[Pact]:
    """The pacts open for signing in the regions whose head unit, in the campaign's year, is one the person
    acts for; each with ``slot_count``, ``signature_count`` and ``region_name_on_day`` (the name on ``day``),
    the nearest deadline first. One query (plus the person's units, read once per request)."""
    units = acting_unit_ids(user, day)
    if not units:
        return Pact.objects.none()
    headed = RegionMembership.objects.filter(
        region=OuterRef("campaign__region"),
        year=OuterRef("campaign__year"),
        role=RegionMembership.Role.HEAD,
        unit_id__in=units,
    )
    pacts = Pact.objects.filter(Exists(headed), status=Pact.Status.OPEN).select_related("campaign")
    pacts = with_region_names_on(pacts_with_counts(pacts), day, region_path="campaign__region")
    return pacts.order_by("deadline", "region_name_on_day", "block", "pk")


@dataclass(frozen=True)
class OpenPactsSummary:
    pacts: int
    signed: int
    slots: int
    nearest_deadline: datetime | None

    @property
    def percent(self) -> int:
        return round(100 * self.signed / self.slots) if self.slots else 0


def national_open_pacts_summary() -> OpenPactsSummary:
    """Every pact open for signing: how many, their signatures out of their signatory units, the nearest
    deadline. Three queries."""
    summary = Pact.objects.filter(status=Pact.Status.OPEN).aggregate(n=Count("pk"), nearest=Min("deadline"))
    return OpenPactsSummary(
        pacts=summary["n"],
        signed=PactSignature.objects.filter(pact__status=Pact.Status.OPEN).count(),
        slots=PactSignatory.objects.filter(pact__status=Pact.Status.OPEN).count(),
        nearest_deadline=summary["nearest"],
    )
