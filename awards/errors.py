"""The domain error of the awards app: its message is shown to the user as it is."""

from core.errors import DomainError


class AwardsError(DomainError):
    """A rule of titles, registrations, scoring, votes or decisions was broken; ``str(error)`` is the message."""
