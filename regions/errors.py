"""The domain error of the regions app: its message is shown to the user as it is."""


class RegionsError(Exception):
    """A rule of regions, units or rosters was broken; ``str(error)`` is a Vietnamese-ready message."""

    def __init__(self, message, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
