"""The rules of the catalogue of titles: a title, its legal bases, the titles it excludes, its years in force."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from core.text import nfc
from regions.models import UnitKind

from ..errors import AwardsError
from ..models import (
    AwardTitle,
    AwardTitleBasis,
)


@dataclass
class BasisSpec:
    document: str
    valid_from: date
    valid_to: date | None = None
    article: str = ""


TITLE_FIELDS = {
    "code",
    "name",
    "kind",
    "subject",
    "level",
    "granting_authority",
    "unit_kinds",
    "requires_vote",
    "conditions",
    "legal_basis",
    "chosen_from",
    "max_share_percent",
    "max_per_vote",
    "position",
    "is_active",
}


def _check_title(title: AwardTitle) -> None:
    if not title.name:
        raise AwardsError(_("Enter the title's name."), field="name")
    if not title.code:
        raise AwardsError(_("Enter a code for the title (letters, digits and hyphens)."), field="code")
    unknown = [kind for kind in title.unit_kinds if kind not in UnitKind.values]
    if unknown or not title.unit_kinds:
        raise AwardsError(_("Tick at least one kind of unit that may register."), field="unit_kinds")
    _check_rules(title)
    clash = AwardTitle.objects.exclude(pk=title.pk)
    if clash.filter(code=title.code).exists():
        raise AwardsError(_("Another title already uses this code."), field="code")
    if clash.filter(name__iexact=title.name).exists():
        raise AwardsError(_("Another title already has this name."), field="name")


def _check_rules(title: AwardTitle) -> None:
    """The title it is chosen from is another title decided by the vote; a share needs it; a seat limit needs a vote."""
    source = title.chosen_from
    if source is not None:
        if title.pk is not None and source.pk == title.pk:
            raise AwardsError(_("A title cannot be chosen from the units voted up for itself."), field="chosen_from")
        if not source.requires_vote:
            raise AwardsError(
                _("“%(source)s” is not proposed by the region's vote: choose a title the regions vote on.")
                % {"source": source.name},
                field="chosen_from",
            )
    if title.max_share_percent is not None:
        if source is None:
            raise AwardsError(
                _("A share needs the title whose voted-up units it is counted from."), field="max_share_percent"
            )
        if not 1 <= title.max_share_percent <= 100:
            raise AwardsError(_("Enter a share from 1 to 100 (per cent)."), field="max_share_percent")
    if title.max_per_vote is not None:
        if title.max_per_vote < 1:
            raise AwardsError(_("Enter at least 1 unit per vote, or leave it empty."), field="max_per_vote")
        if not title.requires_vote:
            raise AwardsError(
                _("Only a title proposed by the region's vote has a number of units per vote."), field="max_per_vote"
            )


def _set_bases(title: AwardTitle, bases: Iterable[BasisSpec]) -> None:
    bases = list(bases)
    if not bases:
        raise AwardsError(_("Give at least one legal basis with the day it came into force."), field="bases")
    for basis in bases:
        if not nfc(basis.document).strip():
            raise AwardsError(_("Name the legal document of each basis."), field="bases")
        if basis.valid_to is not None and basis.valid_to < basis.valid_from:
            raise AwardsError(
                _("%(document)s: the basis ends before it comes into force.") % {"document": basis.document},
                field="bases",
            )
    title.bases.all().delete()
    AwardTitleBasis.objects.bulk_create(
        AwardTitleBasis(
            title=title,
            document=nfc(basis.document).strip(),
            article=nfc(basis.article).strip(),
            valid_from=basis.valid_from,
            valid_to=basis.valid_to,
        )
        for basis in bases
    )


def _clean_title_fields(fields: dict) -> dict:
    unexpected = set(fields) - TITLE_FIELDS
    if unexpected:
        raise TypeError(", ".join(sorted(unexpected)))
    return {name: nfc(value).strip() if isinstance(value, str) else value for name, value in fields.items()}


@transaction.atomic
def title_create(*, bases: Iterable[BasisSpec], excludes: Iterable[AwardTitle] = (), **fields) -> AwardTitle:
    title = AwardTitle(**_clean_title_fields(fields))
    _check_title(title)
    title.save()
    _set_bases(title, bases)
    title.excludes.set(excludes)
    return title


@transaction.atomic
def title_update(
    *,
    title: AwardTitle,
    bases: Iterable[BasisSpec] | None = None,
    excludes: Iterable[AwardTitle] | None = None,
    **fields,
) -> AwardTitle:
    title = AwardTitle.objects.select_for_update().get(pk=title.pk)  # the caller's object keeps its values if refused
    for name, value in _clean_title_fields(fields).items():
        setattr(title, name, value)
    _check_title(title)
    title.save()
    if bases is not None:
        _set_bases(title, bases)
    if excludes is not None:
        excludes = [other for other in excludes if other.pk != title.pk]
        title.excludes.set(excludes)
    return title


def title_in_force(title: AwardTitle, year: int) -> bool:
    return any(basis.in_force_during(year) for basis in title.bases.all())
