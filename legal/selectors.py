"""Reads of the catalogue: the list page's search and the documents in force on a day, in the order bases cite them."""

from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from .models import KIND_ORDER, LegalDocument


def in_force_on(day: date) -> Q:
    """Documents in force on ``day``; one without a recorded start counts from its date of issue."""
    return Q(_starts__lte=day) & (Q(in_force_to__isnull=True) | Q(in_force_to__gte=day))


def with_start(queryset: QuerySet[LegalDocument]) -> QuerySet[LegalDocument]:
    return queryset.annotate(_starts=Coalesce("in_force_from", "signed_on"))


def documents_for_list(*, q: str = "", kind: str = "", in_force: date | None = None) -> QuerySet[LegalDocument]:
    documents = with_start(LegalDocument.objects.all())
    if q:
        words = q.split()
        for word in words:
            documents = documents.filter(
                Q(number__icontains=word)
                | Q(title__unaccent__icontains=word)
                | Q(issuer__unaccent__icontains=word)
                | Q(note__unaccent__icontains=word)
            )
    if kind:
        documents = documents.filter(kind=kind)
    if in_force is not None:
        documents = documents.filter(in_force_on(in_force))
    return documents.order_by("-signed_on", "number")


def in_citing_order(documents) -> list[LegalDocument]:
    """Bases are cited by legal force (law, resolution, decree, circular, decision…), then by date."""
    return sorted(documents, key=lambda d: (KIND_ORDER.get(d.kind, 99), d.signed_on, d.number))


def documents_in_force_on(day: date) -> list[LegalDocument]:
    return in_citing_order(with_start(LegalDocument.objects.all()).filter(in_force_on(day)))
