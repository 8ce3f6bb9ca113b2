"""The list of emulation movements (phong trào thi đua) that campaigns choose from: its read for the list page,
and its writes (create, edit, delete an unused one) with their checks.

A movement's name is no part of a pact's signed text: ``pacts.canonical`` writes the pact's own fields (typed or
drafted from the campaign's title, targets and phases by ``pacts.draft_content``) and nothing there reads
``Campaign.movements``. A rename therefore changes nothing signed and is allowed, also for a movement whose
campaigns have pacts opened or signed; what it changes is the name the campaigns' pages show, so each campaign
that uses the movement gets a line in its audit trail saying from what to what. A movement a campaign uses is
never deleted (the campaign would silently lose it).
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.text import nfc

from .audit import SYSTEM, RequestInfo, audit_record
from .errors import PactError
from .models import AuditEvent, Movement

FIELDS = ("name", "short_name")
NAME_LENGTH = 500
SHORT_NAME_LENGTH = 150  # Movement.short_name's column


# --- reads ---------------------------------------------------------------------------------------


def movements_for_list(*, q: str = "") -> QuerySet[Movement]:
    """The movements matching every word of ``q`` (in the name or the short name, with or without marks),
    each with ``campaign_count``, the number of campaigns using it; in the order campaigns' forms list them."""
    movements = Movement.objects.annotate(campaign_count=Count("campaigns"))
    for word in q.split():
        movements = movements.filter(Q(name__unaccent__icontains=word) | Q(short_name__unaccent__icontains=word))
    return movements.order_by("id")


def campaign_count(movement: Movement) -> int:
    return movement.campaigns.count()


# --- writes --------------------------------------------------------------------------------------


def _one_line(value: str) -> str:
    """A name as it is kept: NFC, on one line, single spaces."""
    return " ".join(nfc(value).split())


def _check(movement: Movement) -> None:
    if not movement.name:
        raise PactError(_("Enter the movement's name."), field="name")
    if len(movement.name) > NAME_LENGTH:
        raise PactError(
            _("Shorten the movement's name to %(limit_value)s characters (it has %(show_value)s).")
            % {"limit_value": NAME_LENGTH, "show_value": len(movement.name)},
            field="name",
        )
    if len(movement.short_name) > SHORT_NAME_LENGTH:
        raise PactError(
            _("Shorten the short name to %(limit_value)s characters (it has %(show_value)s).")
            % {"limit_value": SHORT_NAME_LENGTH, "show_value": len(movement.short_name)},
            field="short_name",
        )
    others = Movement.objects.exclude(pk=movement.pk) if movement.pk else Movement.objects.all()
    if others.filter(name__iexact=movement.name).exists():
        raise PactError(_("The list already has a movement with this name."), field="name")
    if movement.short_name and others.filter(short_name__iexact=movement.short_name).exists():
        raise PactError(_("The list already has a movement with this short name."), field="short_name")


def _save(movement: Movement) -> Movement:
    _check(movement)
    try:
        with transaction.atomic():
            movement.save()
    except IntegrityError as error:  # two people saving the same name at once
        raise PactError(_("The list already has a movement with this name."), field="name") from error
    return movement


@transaction.atomic
def movement_create(*, name: str, short_name: str = "") -> Movement:
    return _save(Movement(name=_one_line(name), short_name=_one_line(short_name)))


@transaction.atomic
def movement_update(*, movement: Movement, actor, info: RequestInfo = SYSTEM, **fields) -> Movement:
    """Changes a movement's name or short name; a new name is written in the audit trail of every campaign
    that uses the movement (their pages show it)."""
    for name in fields:
        if name not in FIELDS:
            raise TypeError(name)
    movement = Movement.objects.select_for_update().get(pk=movement.pk)
    old_name = movement.name
    for name, value in fields.items():
        setattr(movement, name, _one_line(value))
    _save(movement)
    if movement.name != old_name:
        # The trail's detail is a record, written in the language of the records (as the pacts' texts are).
        detail = f"Phong trào thi đua “{old_name}” đổi tên thành “{movement.name}”."
        for campaign in movement.campaigns.order_by("id"):
            audit_record(action=AuditEvent.Action.EDITED, campaign=campaign, actor=actor, info=info, detail=detail)
    return movement


def delete_refusal(movement: Movement) -> str:
    """Why the movement cannot be deleted (campaigns use it), or ""."""
    count = campaign_count(movement)
    if not count:
        return ""
    return ngettext(
        "This movement is used by %(count)s campaign: it cannot be deleted. Correct its name if it is wrong.",
        "This movement is used by %(count)s campaigns: it cannot be deleted. Correct its name if it is wrong.",
        count,
    ) % {"count": count}


@transaction.atomic
def movement_delete(*, movement: Movement) -> None:
    """Deletes a movement no campaign uses. The row is locked before the check: a campaign saved with it at the
    same moment either commits first (and the check sees it) or waits and then fails on the missing row; no
    campaign loses a movement silently."""
    movement = Movement.objects.select_for_update().get(pk=movement.pk)
    if reason := delete_refusal(movement):
        raise PactError(reason)
    movement.delete()
