"""The domain error of the regions app: its message is shown to the user as it is."""

from core.errors import DomainError


class RegionsError(DomainError):
    """A rule of regions, units or rosters was broken; ``str(error)`` is a Vietnamese-ready message."""
