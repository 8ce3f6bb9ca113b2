"""Invitation links: one-time, time-limited links with which a new account sets its own password.

A link is ``/accounts/invitation/<uid>/<token>/``; the token is Django's password-reset token, salted for
invitations and signed over the account's password, last log-in, e-mail address and its invitation's
``sent_at`` and ``times_sent``. So the link dies once used (the password is set), once the person logs in,
when their e-mail address changes and when the invitation is sent again; and it expires
``settings.INVITATION_DAYS`` after it was sent. Nothing about a link is stored but the invitation's row.
"""

import enum

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from outbox.services import Message

from .models import Invitation, User

EMAIL_KIND = "accounts.invitation"


class LinkState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"  # forged, used, replaced by a newer invitation, or the account changed


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        invitation = user.invitation
        sent = invitation.sent_at.replace(microsecond=0).timestamp()
        state = f"{sent}:{invitation.times_sent}:{invitation.accepted_at is not None}:{user.is_active}"
        return super()._make_hash_value(user, timestamp) + state

    def link_state(self, user: User, token: str) -> LinkState:
        """Whether the token is one this account's current invitation mailed, and still within its days."""
        ts_b36, _dash, _hash = token.partition("-")
        try:
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return LinkState.INVALID
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return LinkState.INVALID
        if self._num_seconds(self._now()) - timestamp > settings.INVITATION_DAYS * 24 * 60 * 60:
            return LinkState.EXPIRED
        return LinkState.VALID

    def check_token(self, user: User, token: str) -> bool:
        return bool(user and token) and self.link_state(user, token) is LinkState.VALID


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:invitation_accept", args=[uid, invitation_tokens.make_token(user)])


def invited_user(uidb64: str) -> User | None:
    """The account a link names, with its invitation, or None."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return None
    return User.objects.select_related("invitation", "invitation__invited_by").filter(pk=pk).first()


def link_state(user: User | None, token: str) -> LinkState:
    if user is None or not hasattr(user, "invitation") or not token:
        return LinkState.INVALID
    return invitation_tokens.link_state(user, token)


def invitation_message(*, user: User, invitation: Invitation, roles: list[str]) -> Message:
    """The e-mail that carries the link, in the portal's language, marked secret (erased once sent)."""
    context = {
        "user": user,
        "inviter": invitation.invited_by,
        "roles": roles,
        "url": settings.SITE_URL + invitation_path(user),
        "expires_at": timezone.localtime(invitation.expires_at),
        "days": settings.INVITATION_DAYS,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    return Message(to=user.email, subject=subject, body=body, kind=EMAIL_KIND, reference={"user": user.pk}, secret=True)
