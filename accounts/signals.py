"""Hooks of the accounts app. ``reauth_failed`` is sent when a password confirmation fails, with
the page the person was on its way to (pacts audits a failed confirmation before signing)."""

from django.dispatch import Signal

reauth_failed = Signal()  # sender=None, request=<HttpRequest>, next_url=<str>
