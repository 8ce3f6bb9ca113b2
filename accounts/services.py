"""Writes to accounts: creating users and setting their roles; invitations, changes and deactivation."""

import json
import logging

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from outbox.services import emails_enqueue

from .invitations import LinkState, invitation_message, link_state
from .models import AccountEvent, Invitation, Role, User, role_groups
from .permissions import can_change_account, can_grant_role, can_manage_people, forget_roles, holds_admin_role

security_log = logging.getLogger("thidua.security")


@transaction.atomic
def user_set_roles(*, user: User, roles: set[Role]) -> None:
    groups = role_groups()
    user.groups.remove(*[groups[r.value] for r in Role if r not in roles])
    user.groups.add(*[groups[r.value] for r in roles])
    forget_roles(user)


@transaction.atomic
def user_create_or_update(
    *,
    username: str,
    full_name: str,
    email: str,
    position: str = "",
    unit: Model | None = None,  # a regions.Unit: accounts knows no domain app, only the foreign key to it
    roles: set[Role],
    password: str | None = None,
) -> tuple[User, bool]:
    """Creates the user, or brings an existing one to these values; returns (user, created).

    The password is set only when the user is created, so running a seed twice changes nothing.
    """
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "email": email, "position": position, "unit": unit},
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    else:
        changed = False
        for field, value in {"full_name": full_name, "email": email, "position": position, "unit": unit}.items():
            if getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        if changed:
            user.save()
    user_set_roles(user=user, roles=roles)
    return user, created


# ---------------------------------------------------------------------------------------------
# The people area: invitations, changes, deactivation (each one transaction with its event)
# ---------------------------------------------------------------------------------------------


class AccountsError(DomainError):
    """A rule about accounts was broken; the message is shown as it is."""


def _security_record(event: str, *, actor: User, account: User, ip: str | None, **fields) -> None:
    """One line of the security log (logger ``thidua.security``), values JSON-quoted so no name breaks it."""
    pairs = {"event": event, "user_id": actor.pk, "username": actor.get_username(), "account_id": account.pk}
    pairs |= {**fields, "ip": ip}
    line = " ".join(f"{key}={json.dumps(value, ensure_ascii=False, default=str)}" for key, value in pairs.items())
    security_log.warning(line, extra={"security": pairs})


def _event(account: User, action: str, *, actor: User | None, ip: str | None, reason: str = "", changes=None) -> None:
    AccountEvent.objects.create(
        user=account, actor=actor, action=action, reason=reason, ip_address=ip, changes=changes or {}
    )


def _held_roles(account: User) -> set[Role]:
    return {Role(code) for code in account.groups.filter(name__in=Role.values).values_list("name", flat=True)}


def _other_active_admins(account: User) -> bool:
    admins = User.objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN.value))
    return admins.exclude(pk=account.pk).exists()


def _check_roles(*, actor: User, before: set[Role], after: set[Role]) -> None:
    for role in before ^ after:
        if not can_grant_role(actor, role):
            raise AccountsError(
                _("Only an administrator can give or take back the role “%(role)s”.") % {"role": role.label},
                field="roles",
            )


def _check_unique(*, username: str | None = None, email: str, account: User | None = None) -> None:
    others = User.objects.exclude(pk=account.pk) if account else User.objects.all()
    if username is not None and others.filter(username__iexact=username).exists():
        raise AccountsError(_("Another account already uses this username."), field="username")
    if others.filter(email__iexact=email).exists():
        raise AccountsError(_("Another account already uses this e-mail address."), field="email")


def _send_invitation(*, account: User, invitation: Invitation) -> None:
    roles = [Role(code).label for code in sorted(r.value for r in _held_roles(account))]
    emails_enqueue([invitation_message(user=account, invitation=invitation, roles=[str(r) for r in roles])])


def user_invite(
    *,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    position: str = "",
    unit: Model | None = None,  # a regions.Unit
    roles: set[Role],
    ip: str | None = None,
) -> User:
    """Creates an account with no password, and mails it a link to set one (in the same transaction)."""
    if not can_manage_people(actor):
        raise AccountsError(_("Only ministry staff and administrators create accounts."))
    email = email.strip().lower()
    if not email:
        raise AccountsError(_("Enter an e-mail address: the invitation is sent there."), field="email")
    _check_roles(actor=actor, before=set(), after=roles)
    with transaction.atomic():
        _check_unique(username=username, email=email)
        account = User(username=username, full_name=full_name, email=email, position=position, unit=unit)
        account.set_unusable_password()
        account.save()
        user_set_roles(user=account, roles=roles)
        invitation = Invitation.objects.create(user=account, invited_by=actor, sent_at=timezone.now())
        _event(account, AccountEvent.Action.INVITED, actor=actor, ip=ip, changes={"roles": [[], _codes(roles)]})
        _send_invitation(account=account, invitation=invitation)
    return account


def _codes(roles: set[Role]) -> list[str]:
    return sorted(role.value for role in roles)


def invitation_can_be_sent(account: User) -> bool:
    """An active account that has never set a password nor logged in, whether or not it was invited before."""
    invitation = getattr(account, "invitation", None)
    if invitation is not None and invitation.accepted_at is not None:
        return False
    return account.is_active and account.last_login is None and not account.has_usable_password()


def invitation_send(*, actor: User, account: User, ip: str | None = None) -> Invitation:
    """Sends the account a new link; the one sent before no longer opens (its token is signed over the old
    ``sent_at`` and ``times_sent``)."""
    if not can_change_account(actor, account):
        raise AccountsError(_("Only an administrator can invite an administrator."))
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if not invitation_can_be_sent(account):
            raise AccountsError(
                _("This account has set its password already, or is deactivated: no invitation is needed.")
            )
        if not account.email:
            raise AccountsError(_("The account has no e-mail address: add one first."), field="email")
        invitation = Invitation.objects.filter(user=account).first()
        created = invitation is None
        if created:
            invitation = Invitation.objects.create(user=account, invited_by=actor, sent_at=timezone.now())
        else:
            invitation.invited_by = actor
            invitation.sent_at = timezone.now()
            invitation.times_sent += 1
            invitation.save(update_fields=["invited_by", "sent_at", "times_sent"])
        account.invitation = invitation  # the new link is signed over this row, not one read before
        action = AccountEvent.Action.INVITED if created else AccountEvent.Action.INVITATION_RESENT
        _event(account, action, actor=actor, ip=ip)
        _send_invitation(account=account, invitation=invitation)
    return invitation


def invitation_accept(*, account: User, token: str, password: str, ip: str | None = None) -> User:
    """Sets the invited account's password through a valid link, and closes the invitation."""
    with transaction.atomic():
        account = User.objects.select_for_update(of=("self",)).select_related("invitation").get(pk=account.pk)
        state = link_state(account, token)
        if state is not LinkState.VALID:
            raise AccountsError(
                _("This invitation link has expired.")
                if state is LinkState.EXPIRED
                else _("This invitation link is no longer valid.")
            )
        try:
            password_validation.validate_password(password, account)
        except ValidationError as error:
            raise AccountsError(" ".join(error.messages), field="new_password1") from error
        account.set_password(password)
        account.save(update_fields=["password"])
        account.invitation.accepted_at = timezone.now()
        account.invitation.save(update_fields=["accepted_at"])
        _event(account, AccountEvent.Action.INVITATION_ACCEPTED, actor=account, ip=ip)
    return account


def user_update(
    *,
    actor: User,
    account: User,
    full_name: str,
    email: str,
    position: str,
    unit: Model | None,
    roles: set[Role],
    ip: str | None = None,
) -> dict:
    """Changes an account's name, position, e-mail address, unit and roles; returns what changed.

    A pending invitation is sent again to a changed address (the old link named the old address)."""
    if not can_change_account(actor, account):
        raise AccountsError(_("Only an administrator can change an administrator's account."))
    email = email.strip().lower()
    if not email:
        raise AccountsError(_("Enter an e-mail address."), field="email")
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        before = _held_roles(account)
        _check_roles(actor=actor, before=before, after=roles)
        if Role.ADMIN in before and Role.ADMIN not in roles and account.is_active and not _other_active_admins(account):
            raise AccountsError(
                _("This is the last active administrator: give the role to someone else first."), field="roles"
            )
        _check_unique(email=email, account=account)
        changes = {}
        for field, value in {"full_name": full_name, "email": email, "position": position, "unit": unit}.items():
            old = getattr(account, field)
            if old != value:
                changes[field] = [str(old) if old is not None else "", str(value) if value is not None else ""]
                setattr(account, field, value)
        if before != roles:
            changes["roles"] = [_codes(before), _codes(roles)]
            user_set_roles(user=account, roles=roles)
        if not changes:
            return changes
        account.save()
        _event(account, AccountEvent.Action.CHANGED, actor=actor, ip=ip, changes=changes)
        if "roles" in changes:
            _security_record("account_roles_changed", actor=actor, account=account, ip=ip, roles=changes["roles"])
        if "email" in changes and invitation_can_be_sent(account) and hasattr(account, "invitation"):
            invitation_send(actor=actor, account=account, ip=ip)
    return changes


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise AccountsError(_("Give the reason: it is kept in the account's history."), field="reason")
    return reason


def user_deactivate(*, actor: User, account: User, reason: str, ip: str | None = None) -> None:
    """Closes an account: it can no longer log in, and its sessions stop working. Never one's own, never the
    last active administrator's."""
    if not can_change_account(actor, account):
        raise AccountsError(_("Only an administrator can deactivate an administrator's account."))
    if account.pk == actor.pk:
        raise AccountsError(_("You cannot deactivate your own account: ask another administrator."))
    reason = _reason(reason)
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if not account.is_active:
            raise AccountsError(_("This account is deactivated already."))
        if holds_admin_role(account) and not _other_active_admins(account):
            raise AccountsError(_("This is the last active administrator: it cannot be deactivated."))
        account.is_active = False
        account.save(update_fields=["is_active"])
        _event(account, AccountEvent.Action.DEACTIVATED, actor=actor, ip=ip, reason=reason)
        _security_record("account_deactivated", actor=actor, account=account, ip=ip, reason=reason)


def user_reactivate(*, actor: User, account: User, reason: str, ip: str | None = None) -> None:
    if not can_change_account(actor, account):
        raise AccountsError(_("Only an administrator can reactivate an administrator's account."))
    reason = _reason(reason)
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if account.is_active:
            raise AccountsError(_("This account is active already."))
        account.is_active = True
        account.save(update_fields=["is_active"])
        _event(account, AccountEvent.Action.REACTIVATED, actor=actor, ip=ip, reason=reason)
        _security_record("account_reactivated", actor=actor, account=account, ip=ip, reason=reason)
