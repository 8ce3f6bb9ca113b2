"""The rules of registrations: who may register which title and when, and the way a registration goes
from draft to sent, approved, returned, proposed or not awarded."""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import nfc
from pacts.models import Campaign
from regions.models import RegionMembership, Unit

from ..errors import AwardsError
from ..models import (
    Award,
    AwardRegistration,
    AwardTitle,
    RegisteredPerson,
)
from .shares import check_chosen_from
from .titles import title_in_force

Status = AwardRegistration.Status


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _member_of(campaign: Campaign, unit: Unit) -> bool:
    return RegionMembership.objects.filter(region_id=campaign.region_id, year=campaign.year, unit=unit).exists()


def deadline_passed(campaign: Campaign, today: date) -> bool:
    """The campaign's registration deadline is over (the deadline day itself is still open)."""
    return campaign.registration_deadline is not None and today > campaign.registration_deadline


def _check_deadline(campaign: Campaign, today: date) -> None:
    deadline = campaign.registration_deadline
    if deadline_passed(campaign, today):
        raise AwardsError(
            _("Registration for %(year)s closed on %(deadline)s.")
            % {"year": campaign.year, "deadline": deadline.strftime("%d/%m/%Y")},
            field="title",
        )


def held_conflict(unit: Unit, title: AwardTitle, year: int, *, exclude_award: Award | None = None) -> str:
    """Why the unit may not have this title for this year's achievement, or ""."""
    awards = Award.objects.filter(unit=unit, year=year).select_related("title", "decision")
    if exclude_award is not None:
        awards = awards.exclude(pk=exclude_award.pk)
    excluded = set(title.excludes.values_list("pk", flat=True))
    for award in awards:
        if award.title_id == title.pk:
            return _("%(unit)s already holds “%(title)s” for %(year)s (decision %(decision)s).") % {
                "unit": award.recipient_name,
                "title": title.name,
                "year": year,
                "decision": award.decision.number,
            }
        if award.title_id in excluded:
            return _(
                "%(unit)s already holds “%(other)s” for %(year)s: “%(title)s” may not be awarded for the same "
                "achievement."
            ) % {"unit": award.recipient_name, "other": award.title.name, "title": title.name, "year": year}
    return ""


def registration_check(*, campaign: Campaign, unit: Unit, title: AwardTitle, today: date | None = None) -> None:
    """Everything the data can check before a unit registers a title; raises with the first broken rule."""
    if campaign.status == Campaign.Status.CLOSED:
        raise AwardsError(_("The %(year)s campaign is closed.") % {"year": campaign.year})
    if not _member_of(campaign, unit):
        raise AwardsError(
            _("%(unit)s is not a member of this region in %(year)s.") % {"unit": unit.name, "year": campaign.year},
            field="unit",
        )
    _check_deadline(campaign, _today(today))
    if not title.is_active or not title_in_force(title, campaign.year):
        raise AwardsError(
            _("“%(title)s” has no legal basis in force in %(year)s.") % {"title": title.name, "year": campaign.year},
            field="title",
        )
    if not title.allows_kind(unit.kind):
        raise AwardsError(
            _("“%(title)s” is not open to units of this kind (%(kind)s).")
            % {"title": title.name, "kind": unit.get_kind_display()},
            field="title",
        )
    existing = AwardRegistration.objects.filter(campaign=campaign, unit=unit, title=title).first()
    if existing is not None and existing.status != Status.WITHDRAWN:
        raise AwardsError(
            _("%(unit)s has already registered for “%(title)s” in %(year)s.")
            % {"unit": unit.name, "title": title.name, "year": campaign.year},
            field="title",
        )
    if conflict := held_conflict(unit, title, campaign.year):
        raise AwardsError(conflict, field="title")


def registration_warnings(registration: AwardRegistration) -> list[str]:
    """What the portal cannot check: the title's conditions, the vote, titles that exclude each other."""
    title = registration.title
    warnings = list(title.condition_lines())
    if title.requires_vote:
        warnings.append(
            _("Only the units the region votes up (suy tôn) at its year-end conference are proposed for this title.")
        )
    if title.chosen_from_id is not None:
        warning = _("Proposed only if the region votes the unit up (suy tôn) for “%(source)s” this year.") % {
            "source": title.chosen_from.name
        }
        if title.max_share_percent is not None:
            warning += " " + _(
                "At most %(percent)s%% of the units voted up for it in the whole sector are proposed (rounded down)."
            ) % {"percent": title.max_share_percent}
        warnings.append(warning)
    excluded = AwardRegistration.objects.filter(
        campaign_id=registration.campaign_id,
        unit_id=registration.unit_id,
        title__in=title.excludes.all(),
    ).exclude(status=Status.WITHDRAWN)
    for other in excluded.select_related("title"):
        warnings.append(
            _("The unit has also registered for “%(other)s”: only one of the two can be awarded for the same year.")
            % {"other": other.title.name}
        )
    return warnings


def _clean_people(title: AwardTitle, people: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = []
    for full_name, position in people:
        full_name, position = nfc(full_name).strip(), nfc(position).strip()
        if not full_name and not position:
            continue
        if not full_name or not position:
            raise AwardsError(_("Give both the name and the position of each person."), field="people")
        cleaned.append((full_name, position))
    if cleaned and not title.is_individual:
        raise AwardsError(
            _("“%(title)s” is awarded to the unit, not to people.") % {"title": title.name}, field="people"
        )
    return cleaned


def _set_people(registration: AwardRegistration, people: list[tuple[str, str]]) -> None:
    registration.people.all().delete()
    RegisteredPerson.objects.bulk_create(
        RegisteredPerson(registration=registration, full_name=full_name, position=position)
        for full_name, position in people
    )


def _lock_registration(registration: AwardRegistration) -> AwardRegistration:
    return (
        AwardRegistration.objects.select_for_update()
        .select_related("campaign", "unit", "title")
        .get(pk=registration.pk)
    )


def require_open(campaign: Campaign) -> None:
    if campaign.status == Campaign.Status.CLOSED:
        raise AwardsError(_("The %(year)s campaign is closed.") % {"year": campaign.year})


def _require(registration: AwardRegistration, statuses: tuple[str, ...]) -> None:
    """Refuses the step unless the registration is in one of the ``statuses`` the model allows it from."""
    if registration.status not in statuses:
        raise AwardsError(
            _("This registration is “%(status)s”: that cannot be done now.")
            % {"status": registration.get_status_display()}
        )


@transaction.atomic
def registration_create(
    *,
    campaign: Campaign,
    unit: Unit,
    title: AwardTitle,
    actor,
    people: Iterable[tuple[str, str]] = (),
    note: str = "",
    submit: bool = False,
    today: date | None = None,
    now: datetime | None = None,
) -> AwardRegistration:
    """Registers a title for a unit (a draft, or sent at once with ``submit``); a withdrawn one is taken up again."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()  # one registration at a time per campaign
    registration_check(campaign=campaign, unit=unit, title=title, today=today)
    people = _clean_people(title, people)
    registration = AwardRegistration.objects.filter(campaign=campaign, unit=unit, title=title).first()
    if registration is None:
        try:
            with transaction.atomic():
                registration = AwardRegistration.objects.create(
                    campaign=campaign, unit=unit, title=title, created_by=actor, note=nfc(note).strip()
                )
        except IntegrityError:
            raise AwardsError(
                _("%(unit)s has already registered for “%(title)s” in %(year)s.")
                % {"unit": unit.name, "title": title.name, "year": campaign.year},
                field="title",
            ) from None
    else:
        registration.status = Status.DRAFT
        registration.note = nfc(note).strip()
        registration.return_reason = ""
        registration.decided_by = registration.decided_at = registration.submitted_at = None
        registration.save()
    _set_people(registration, people)
    if submit:
        registration = registration_submit(registration=registration, actor=actor, today=today, now=now)
    return registration


@transaction.atomic
def registration_update(
    *, registration: AwardRegistration, actor, people: Iterable[tuple[str, str]], note: str = ""
) -> AwardRegistration:
    registration = _lock_registration(registration)
    _require(registration, AwardRegistration.EDITABLE_STATUSES)
    _set_people(registration, _clean_people(registration.title, people))
    registration.note = nfc(note).strip()
    registration.save(update_fields=["note", "updated_at"])
    return registration


@transaction.atomic
def registration_submit(
    *, registration: AwardRegistration, actor, today: date | None = None, now: datetime | None = None
) -> AwardRegistration:
    """Sends a draft to the region (before the deadline), or a returned one again (at any time)."""
    registration = _lock_registration(registration)
    _require(registration, AwardRegistration.EDITABLE_STATUSES)
    require_open(registration.campaign)
    if registration.status == Status.DRAFT:
        _check_deadline(registration.campaign, _today(today))
    if registration.title.is_individual and not registration.people.exists():
        raise AwardsError(
            _("Name at least one person of the unit for “%(title)s”.") % {"title": registration.title.name},
            field="people",
        )
    registration.status = Status.SUBMITTED
    registration.submitted_at = now or timezone.now()
    registration.save(update_fields=["status", "submitted_at", "updated_at"])
    return registration


@transaction.atomic
def registration_withdraw(*, registration: AwardRegistration, actor) -> AwardRegistration:
    registration = _lock_registration(registration)
    _require(registration, AwardRegistration.WITHDRAWABLE_STATUSES)
    require_open(registration.campaign)
    registration.status = Status.WITHDRAWN
    registration.save(update_fields=["status", "updated_at"])
    return registration


@transaction.atomic
def registration_approve(*, registration: AwardRegistration, actor, now: datetime | None = None) -> AwardRegistration:
    registration = _lock_registration(registration)
    _require(registration, AwardRegistration.REVIEWABLE_STATUSES)
    require_open(registration.campaign)
    registration.status = Status.APPROVED
    registration.return_reason = ""
    registration.decided_by, registration.decided_at = actor, now or timezone.now()
    registration.save(update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"])
    return registration


@transaction.atomic
def registration_return(
    *, registration: AwardRegistration, actor, reason: str, now: datetime | None = None
) -> AwardRegistration:
    reason = nfc(reason).strip()
    if not reason:
        raise AwardsError(
            _("Say why the registration is returned, so the unit knows what to complete."), field="reason"
        )
    registration = _lock_registration(registration)
    _require(registration, AwardRegistration.REVIEWABLE_STATUSES)
    require_open(registration.campaign)
    registration.status = Status.RETURNED
    registration.return_reason = reason
    registration.decided_by, registration.decided_at = actor, now or timezone.now()
    registration.save(update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"])
    return registration


@transaction.atomic
def registration_propose(*, registration: AwardRegistration, actor) -> AwardRegistration:
    """Proposes an approved registration for the award; titles decided by the region's vote go through the vote."""
    registration = _lock_registration(registration)
    _require(registration, AwardRegistration.PROPOSABLE_STATUSES)
    if not registration.is_proposable():
        raise AwardsError(_("This title is proposed by the region's vote: record the vote instead."))
    if registration.title.chosen_from_id is not None:
        AwardTitle.objects.select_for_update().filter(pk=registration.title_id).first()  # one count at a time
        check_chosen_from([registration])
    registration.status = Status.PROPOSED
    registration.save(update_fields=["status", "updated_at"])
    return registration


@transaction.atomic
def registration_not_awarded(*, registration: AwardRegistration, actor, reason: str = "") -> AwardRegistration:
    registration = _lock_registration(registration)
    _require(registration, AwardRegistration.AWARDABLE_STATUSES)
    registration.status = Status.NOT_AWARDED
    registration.outcome_note = nfc(reason).strip()
    registration.save(update_fields=["status", "outcome_note", "updated_at"])
    return registration
