"""The domain error of the awards app: its message is shown to the user as it is."""


class AwardsError(Exception):
    """A rule of titles, registrations, scoring, votes or decisions was broken; ``str(error)`` is the message."""

    def __init__(self, message, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
