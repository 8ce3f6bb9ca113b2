"""The yearly registration report's workbook, built in the request or, past core.exports' bound, by a worker."""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.http import QueryDict

from core.exports import register

from . import excel
from .permissions import can_view_reports
from .selectors import reports

REPORT = "awards.report"


@register(REPORT)
def report_workbook(query: QueryDict, user) -> tuple[bytes, str]:
    """The report's filters are read again as the page reads them, for the person who asked (a region they
    may no longer see is refused)."""
    from .views.reports import _read_filters

    if not can_view_reports(user):
        raise PermissionDenied
    asked = _read_filters(SimpleNamespace(GET=query, user=user))
    if asked.filter is None:
        raise ValueError("the report's filters cannot be read")
    content = excel.report_workbook(
        heading=asked.heading,
        applied=asked.applied,
        summary=reports.summary(asked.filter),
        registrations=reports.registration_list(asked.filter, with_people=False).iterator(chunk_size=2000),
        people=reports.people_by_registration(asked.filter),
    )
    return content, f"dang-ky-thi-dua-{asked.year}.xlsx"
