"""The domain error of the pacts app: its message is shown to the user as it is."""

from core.errors import DomainError


class PactError(DomainError):
    """A rule of campaigns, pacts or signing was broken; ``str(error)`` is the message for the user."""
