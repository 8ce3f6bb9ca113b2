"""Two-step sign-in (TOTP, with django-otp): who must use it, enrolment, recovery codes, checks and resets.

A person turns it on from their account: an authenticator app reads a QR code (or the secret typed in), the
first code confirms it, and ten one-time recovery codes are shown once. After the password, a person with a
confirmed device is asked for a code (or a recovery code) before any other page (accounts.middleware); the
session is then verified (django-otp's ``user.is_verified()``). Ministry staff and administrators choose the
roles that must use it (``TwoFactorPolicy``): a person of such a role without a device is sent to enrol right
after the password, and sensitive actions (signing a pact) refuse a session that is not verified
(accounts.reauth). Every change is an ``AccountEvent`` of the account and a line of the security log.
"""

import base64
import enum
import io
import re

import qrcode
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.pil import PilImage

from .models import AccountEvent, Role, TwoFactorPolicy, User
from .permissions import can_change_account, can_grant_role, can_manage_people, roles_of
from .services import AccountsError, _event, _reason, _security_record

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
_STATE_ATTR = "_thidua_two_factor_need"
TOTP_CODE = re.compile(r"^[0-9]{6}$")
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")  # django-otp's StaticToken.random_token(): 5 random bytes in base32


class Need(enum.Enum):
    """What a session still needs before the person may use the portal."""

    NOTHING = "nothing"
    VERIFY = "verify"  # a confirmed device: the code after the password
    ENROL = "enrol"  # no device, and a role of the person requires one


# ---------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------


def required_roles() -> set[str]:
    """The codes of the roles whose holders must sign in with two factors."""
    return set(TwoFactorPolicy.objects.filter(required=True).values_list("role", flat=True))


def is_required_for(user: User) -> bool:
    """Whether one of the person's roles requires two-step sign-in."""
    roles = roles_of(user)
    return bool(roles) and bool(roles & required_roles())


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def is_verified(user) -> bool:
    """Whether this session was verified with a code (django-otp's OTPMiddleware sets ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def _need_without_session(user: User) -> Need:
    cached = getattr(user, _STATE_ATTR, None)
    if cached is None:
        if has_two_factor(user):
            cached = Need.VERIFY
        elif is_required_for(user):
            cached = Need.ENROL
        else:
            cached = Need.NOTHING
        setattr(user, _STATE_ATTR, cached)
    return cached


def session_need(user) -> Need:
    """What the signed-in person's session still needs: nothing, the code, or an enrolment first."""
    if not user.is_authenticated or is_verified(user):
        return Need.NOTHING
    return _need_without_session(user)


def forget_need(user: User) -> None:
    if hasattr(user, _STATE_ATTR):
        delattr(user, _STATE_ATTR)


def status_of(user: User) -> dict:
    """What a person's page and their own account page show of it."""
    device = confirmed_device(user)
    return {
        "enabled": device is not None,
        "since": device.created_at if device else None,
        "last_used": device.last_used_at if device else None,
        "recovery_codes_left": recovery_codes_left(user) if device else 0,
        "required": is_required_for(user),
    }


def policy() -> list[dict]:
    """Every role with whether it requires two-step sign-in, who changed that and when."""
    rows = {row.role: row for row in TwoFactorPolicy.objects.select_related("changed_by")}
    return [
        {
            "role": role,
            "required": bool(rows.get(role.value) and rows[role.value].required),
            "row": rows.get(role.value),
        }
        for role in Role
    ]


# ---------------------------------------------------------------------------------------------
# Enrolment: the secret, its QR code, the first code
# ---------------------------------------------------------------------------------------------


def enrolment_device(user: User) -> TOTPDevice:
    """The device being enrolled: the same secret on every visit until it is confirmed, so a QR code already
    scanned stays right. Refused when two-factor sign-in is on already."""
    if has_two_factor(user):
        raise AccountsError(_("Two-step sign-in is on already for this account."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, as an authenticator app asks for it when typed in."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a PNG QR code, inline (a data: URI the page's policy allows): no other request
    carries the secret, and no outside service ever sees it."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=4)
    code.add_data(device.config_url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def normalise_code(code: str) -> str:
    """A code as typed: spaces and hyphens dropped, lower case (recovery codes are shown in groups)."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def _new_recovery_codes(user: User) -> list[str]:
    """Replaces the person's recovery codes with new ones (the same device, so a session verified with a
    recovery code stays verified); returns them, to be shown once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    device.token_set.all().delete()
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=token) for token in codes])
    return codes


def enrol_confirm(*, user: User, device: TOTPDevice, code: str, ip: str | None = None) -> list[str]:
    """Confirms the device with its first code; returns the ten recovery codes. A wrong code changes nothing."""
    code = normalise_code(code)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if has_two_factor(user):
            raise AccountsError(_("Two-step sign-in is on already for this account."))
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not TOTP_CODE.match(code) or not device.verify_token(code):
            raise AccountsError(
                _("This code is not right. Enter the 6-digit code the app shows now (it changes every 30 seconds)."),
                field="code",
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        _event(user, AccountEvent.Action.TWO_FACTOR_ENROLLED, actor=user, ip=ip)
        _security_record("two_factor_enrolled", actor=user, account=user, ip=ip)
    forget_need(user)
    return codes


def recovery_codes_renew(*, user: User, ip: str | None = None) -> list[str]:
    """New recovery codes; the old ones no longer work."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not has_two_factor(user):
            raise AccountsError(_("Two-step sign-in is off: turn it on first."))
        codes = _new_recovery_codes(user)
        _event(user, AccountEvent.Action.RECOVERY_CODES_RENEWED, actor=user, ip=ip)
        _security_record("two_factor_recovery_codes_renewed", actor=user, account=user, ip=ip)
    return codes


# ---------------------------------------------------------------------------------------------
# The code after the password
# ---------------------------------------------------------------------------------------------


def code_is_well_formed(code: str) -> bool:
    code = normalise_code(code)
    return bool(TOTP_CODE.match(code) or RECOVERY_CODE.match(code))


def device_wait_seconds(device: Device) -> int:
    """django-otp's own throttle of a device after wrong codes (1, 2, 4… seconds): the seconds left, or 0."""
    allowed, data = device.verify_is_allowed()
    if allowed or not data or not data.get("locked_until"):
        return 0
    return max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)


def verify_wait_seconds(user: User, code: str) -> int:
    """The seconds before a code of this kind (the app's, or a recovery code) may be checked again, or 0."""
    model = TOTPDevice if TOTP_CODE.match(normalise_code(code)) else StaticDevice
    devices = model.objects.filter(user=user, confirmed=True)
    return max((device_wait_seconds(device) for device in devices), default=0)


def code_check(*, user: User, code: str, ip: str | None = None) -> Device | None:
    """The device that accepts this code (a code of the app, or a recovery code, which is then used up), or
    None. A code of the app is accepted once only, and only within its time step (django-otp)."""
    code = normalise_code(code)
    if TOTP_CODE.match(code):
        with transaction.atomic():
            for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(code):
                    return device
        return None
    if RECOVERY_CODE.match(code):
        with transaction.atomic():
            for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(code):
                    left = recovery_codes_left(user)
                    _event(user, AccountEvent.Action.RECOVERY_CODE_USED, actor=user, ip=ip, changes={"left": left})
                    _security_record("two_factor_recovery_code_used", actor=user, account=user, ip=ip, left=left)
                    return device
    return None


# ---------------------------------------------------------------------------------------------
# Turning it off, by the person or by staff; the policy
# ---------------------------------------------------------------------------------------------


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    forget_need(user)


def two_factor_disable(*, user: User, ip: str | None = None) -> None:
    """The person turns it off (their password and a code checked by the form); refused when a role of theirs
    requires it."""
    if is_required_for(user):
        raise AccountsError(
            _(
                "Two-step sign-in is required for your role: it cannot be turned off. If you lost your phone, "
                "ask ministry staff to reset it."
            )
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not has_two_factor(user):
            raise AccountsError(_("Two-step sign-in is off already."))
        _remove_devices(user)
        _event(user, AccountEvent.Action.TWO_FACTOR_DISABLED, actor=user, ip=ip)
        _security_record("two_factor_disabled", actor=user, account=user, ip=ip)


def two_factor_reset(*, actor: User, account: User, reason: str, ip: str | None = None) -> None:
    """Staff remove a person's two-factor device and recovery codes (a lost phone): the person logs in with the
    password alone and, if a role of theirs requires it, enrols a new device at once. Their sessions verified
    with the old device are no longer verified."""
    if not can_change_account(actor, account):
        raise AccountsError(_("Only an administrator can reset an administrator's two-step sign-in."))
    if account.pk == actor.pk:
        raise AccountsError(_("You cannot reset your own two-step sign-in: ask another staff member."))
    reason = _reason(reason)
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if not has_two_factor(account) and not StaticDevice.objects.filter(user=account).exists():
            raise AccountsError(_("This account has no two-step sign-in to reset."))
        _remove_devices(account)
        _event(account, AccountEvent.Action.TWO_FACTOR_RESET, actor=actor, ip=ip, reason=reason)
        _security_record("two_factor_reset", actor=actor, account=account, ip=ip, reason=reason)


def policy_set(*, actor: User, required: set[Role], ip: str | None = None) -> list[Role]:
    """Sets which roles require two-step sign-in; returns the roles changed. Only an administrator changes
    the administrators' requirement."""
    if not can_manage_people(actor):
        raise AccountsError(_("Only ministry staff and administrators set who must use two-step sign-in."))
    with transaction.atomic():
        current = {row.role: row for row in TwoFactorPolicy.objects.select_for_update()}
        changed = [
            role
            for role in Role
            if (role in required) != bool(current.get(role.value) and current[role.value].required)
        ]
        for role in changed:
            if not can_grant_role(actor, role):
                raise AccountsError(
                    _("Only an administrator can change the requirement for the role “%(role)s”.")
                    % {"role": role.label},
                    field="roles",
                )
        for role in changed:
            TwoFactorPolicy.objects.update_or_create(
                role=role.value, defaults={"required": role in required, "changed_by": actor}
            )
        if changed:
            _security_record(
                "two_factor_policy_changed",
                actor=actor,
                account=actor,
                ip=ip,
                required=sorted(role.value for role in required),
            )
    return changed
