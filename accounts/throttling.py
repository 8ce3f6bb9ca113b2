"""Throttles of the anonymous pages: password resets per address and per account, failed log-ins per address."""

from django.conf import settings
from django.http import HttpRequest

from core.throttle import throttle_count, throttle_wait

from .client import client_ip


def client_address(request: HttpRequest) -> str:
    """The client's address behind the configured proxies: the one helper the lockouts, signatures and audit
    events use too."""
    return client_ip(request) or "unknown"


def password_reset_wait(request: HttpRequest, email: str) -> int | None:
    """Counts one reset request; the seconds to wait when its address or the e-mail address asked is past
    its rate, else None. Keyed on the address asked, not the account found, so a throttled request for an
    unknown address is answered exactly as one for a known address."""
    retry_after = throttle_count(
        "password-reset-address", client_address(request), settings.THROTTLE_PASSWORD_RESET_PER_ADDRESS
    )
    if retry_after is not None:
        return retry_after
    # Lower-cased as the reset form finds accounts (email__iexact): the same inbox is one account however typed.
    return throttle_count("password-reset-account", email.strip().lower(), settings.THROTTLE_PASSWORD_RESET_PER_ACCOUNT)


def login_wait(request: HttpRequest) -> int | None:
    """The seconds this address must wait before it may try to log in again, when its failures are past the rate."""
    return throttle_wait("login-failures", client_address(request), settings.THROTTLE_LOGIN_FAILURES_PER_ADDRESS)


def login_failure_count(request: HttpRequest) -> None:
    throttle_count("login-failures", client_address(request), settings.THROTTLE_LOGIN_FAILURES_PER_ADDRESS)
