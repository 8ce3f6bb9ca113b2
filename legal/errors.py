"""The domain error of the legal app: its message is shown to the user as it is."""

from core.errors import DomainError


class LegalError(DomainError):
    """A rule of the catalogue of legal documents was broken."""
