"""What the people area's tests share: an English, freshly re-authenticated client, and the link of an e-mail."""

import re
import time

from django.conf import settings

from accounts.reauth import SESSION_KEY
from outbox.models import Email

LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/[^/\s]+/)")


def as_user(client, user, *, reauthenticated: bool = True):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    if reauthenticated:
        session = client.session
        session[SESSION_KEY] = int(time.time())
        session.save()
    return client


def invitation_links(account) -> list[str]:
    """The paths of the invitation links mailed to the account, oldest first."""
    emails = Email.objects.filter(kind="accounts.invitation", reference__user=account.pk).order_by("created_at", "id")
    return [LINK.search(email.body).group(1) for email in emails]
