"""What the two-step sign-in tests share: a confirmed device, its codes at a given time, a verified session."""

import time

from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import Role, TwoFactorPolicy
from accounts.reauth import SESSION_KEY


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The app's code now, or ``steps_ahead`` time steps later (django-otp accepts one step of drift each way,
    and never the same step twice)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed device and its recovery codes, made through the service as the enrolment page does."""
    device = two_factor.enrolment_device(user)
    codes = two_factor.enrol_confirm(user=user, device=device, code=code_of(device))
    device.refresh_from_db()
    return device, codes


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def log_in(client, user, *, verified_with=None, reauthenticated: bool = True):
    """Logs in (password checked already); ``verified_with`` a device, as after its code."""
    english(client)
    client.force_login(user)
    session = client.session
    if reauthenticated:
        session[SESSION_KEY] = int(time.time())
    if verified_with is not None:
        session[DEVICE_ID_SESSION_KEY] = verified_with.persistent_id
    session.save()
    return client


def require_for(*roles: Role) -> None:
    for role in roles:
        TwoFactorPolicy.objects.update_or_create(role=role.value, defaults={"required": True})
