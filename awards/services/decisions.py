"""The rules of award decisions: what a decision may award, and the awards it records."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import nfc
from regions.models import Unit
from regions.selectors import unit_name_on

from ..errors import AwardsError
from ..models import (
    Award,
    AwardDecision,
    AwardRegistration,
    AwardTitle,
)
from .registrations import held_conflict
from .shares import check_chosen_from

Status = AwardRegistration.Status


@dataclass
class HistoricalAward:
    """An award given without a registration in the portal (earlier years, or another route)."""

    unit: Unit
    title: AwardTitle
    year: int
    people: str = ""


def _people_text(registration: AwardRegistration) -> str:
    return "\n".join(f"{person.full_name}, {person.position}" for person in registration.people.all())


def _award(*, decision: AwardDecision, unit: Unit, title: AwardTitle, year: int, registration=None, people="") -> Award:
    if conflict := held_conflict(unit, title, year):
        raise AwardsError(conflict, field="registrations")
    try:
        with transaction.atomic():
            return Award.objects.create(
                decision=decision,
                unit=unit,
                title=title,
                year=year,
                registration=registration,
                recipient_name=unit_name_on(unit, decision.signed_on),
                people=people,
            )
    except IntegrityError:
        raise AwardsError(
            _("%(unit)s already holds “%(title)s” for %(year)s.")
            % {"unit": unit.name, "title": title.name, "year": year},
            field="registrations",
        ) from None


def _check_decision(*, number: str, signed_on: date, issuer: str) -> None:
    """The decision itself: a number, an issuer, a date not in the future, not recorded before."""
    if not number:
        raise AwardsError(_("Enter the decision's number and symbol."), field="number")
    if not issuer:
        raise AwardsError(_("Enter who issued the decision."), field="issuer")
    if signed_on > timezone.localdate():
        raise AwardsError(_("The decision's date cannot be in the future."), field="signed_on")
    if AwardDecision.objects.filter(number__iexact=number, signed_on=signed_on).exists():
        raise AwardsError(
            _("Decision %(number)s of %(day)s is already recorded.")
            % {"number": number, "day": signed_on.strftime("%d/%m/%Y")},
            field="number",
        )


def _locked(registrations: Iterable[AwardRegistration]) -> list[AwardRegistration]:
    """The registrations read again under lock, always in the same order (no deadlock between two decisions)."""
    return list(
        AwardRegistration.objects.select_for_update()
        .filter(pk__in=[registration.pk for registration in registrations])
        .select_related("campaign", "unit", "title")
        .order_by("pk")
    )


def _check_awardable(locked: list[AwardRegistration]) -> None:
    """Each registration is approved, or proposed by the vote where the title needs one."""
    for registration in locked:
        if not registration.awaits_decision():
            raise AwardsError(
                _("%(unit)s, “%(title)s”: only an approved or proposed registration can be awarded.")
                % {"unit": registration.unit.name, "title": registration.title.name},
                field="registrations",
            )
        if not registration.is_awardable():
            raise AwardsError(
                _("%(unit)s was not proposed by the region's vote for “%(title)s”.")
                % {"unit": registration.unit.name, "title": registration.title.name},
                field="registrations",
            )


def _check_years(signed_on: date, years: list[int]) -> None:
    """A decision awards achievements of its own year or earlier."""
    if signed_on.year < max(years):
        raise AwardsError(
            _("A decision of %(day)s cannot award an achievement of %(year)s.")
            % {"day": signed_on.strftime("%d/%m/%Y"), "year": max(years)},
            field="signed_on",
        )


@transaction.atomic
def decision_record(
    *,
    number: str,
    signed_on: date,
    issuer: str,
    actor,
    registrations: Iterable[AwardRegistration] = (),
    historical: Iterable[HistoricalAward] = (),
    summary: str = "",
) -> AwardDecision:
    """Records a decision and what it awards: registrations (approved, or proposed where the title needs
    the region's vote) become "awarded"; each award keeps the recipient's name as of the decision's date."""
    number, issuer = nfc(number).strip(), nfc(issuer).strip()
    _check_decision(number=number, signed_on=signed_on, issuer=issuer)
    locked = _locked(registrations)
    historical = list(historical)
    if not locked and not historical:
        raise AwardsError(_("Choose at least one registration that the decision awards."), field="registrations")
    _check_awardable(locked)
    shared = sorted({registration.title_id for registration in locked if registration.title.chosen_from_id})
    if shared:
        list(AwardTitle.objects.select_for_update().filter(pk__in=shared).order_by("pk"))  # one count at a time
        check_chosen_from(locked)
    _check_years(
        signed_on, [registration.campaign.year for registration in locked] + [item.year for item in historical]
    )
    decision = AwardDecision.objects.create(
        number=number, signed_on=signed_on, issuer=issuer, summary=nfc(summary).strip(), recorded_by=actor
    )
    for registration in locked:
        _award(
            decision=decision,
            unit=registration.unit,
            title=registration.title,
            year=registration.campaign.year,
            registration=registration,
            people=_people_text(registration),
        )
        registration.status = Status.AWARDED
        registration.save(update_fields=["status", "updated_at"])
    for item in historical:
        _award(decision=decision, unit=item.unit, title=item.title, year=item.year, people=nfc(item.people).strip())
    return decision
