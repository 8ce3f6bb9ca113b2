"""The base of every app's domain error: its message is shown to the user as it is."""


class DomainError(Exception):
    """A rule of the domain was broken; ``str(error)`` is the message for the user, ``field`` the input it concerns."""

    def __init__(self, message, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
