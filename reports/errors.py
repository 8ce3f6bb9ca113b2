from core.errors import DomainError


class ReportError(DomainError):
    """A report that cannot be asked for or drafted (a region without a roster that year, a year out of range)."""
