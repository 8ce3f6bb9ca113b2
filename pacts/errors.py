"""The domain error of the pacts app: its message is shown to the user as it is."""


class PactError(Exception):
    """A rule of campaigns, pacts or signing was broken; ``str(error)`` is the message for the user."""

    def __init__(self, message, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
