"""The yearly registration report: counts by title and kind of unit, by region, the list, and its .xlsx.

Ministry staff and administrators see every region; region officers see the regions where a unit they
act for is a member that year, and are refused (403) another region. Filters that cannot be read are
shown beside their field, with no figures; the export sends such a request back to the page.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from core.exports import inline_or_job
from core.pages import page_bounds, page_of_count, require

from .. import exports
from ..permissions import can_view_reports
from ..selectors import reports

# The list's page.
REPORT_PAGE_SIZE = 50
# "Print the whole list": one page of every row, up to this many (the .xlsx holds any number).
PRINT_ROWS = 10_000


@login_required
def report(request: HttpRequest) -> HttpResponse:
    require(can_view_reports(request.user))
    asked = exports.read_report_filters(request)
    whole_list = request.GET.get("print") == "all"
    context = {"form": asked.form, "asked": asked, "summary": None, "page": None, "whole_list": whole_list}
    if asked.filter is not None:
        summary = context["summary"] = reports.summary(asked.filter, titles=asked.titles, regions=asked.regions)
        context["by_region"] = asked.filter.region_ids is None or len(asked.filter.region_ids) > 1
        # The summary has counted the list's rows: the page reads its own rows only.
        page = page_of_count(request, summary.total.total, PRINT_ROWS if whole_list else REPORT_PAGE_SIZE)
        if page.paginator.count:
            page.object_list = reports.registration_page(asked.filter, summary, *page_bounds(page))
        context["page"] = page
    return render(request, "awards/report.html", context)


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    """The report as a workbook; past settings.EXPORT_INLINE_ROWS registrations, built by a worker
    (core.exports) behind a page that shows its progress."""
    require(can_view_reports(request.user))
    asked = exports.read_report_filters(request)
    if asked.filter is None:
        return redirect(f"{reverse('awards:report')}?{request.GET.urlencode()}")
    rows = reports.registrations(asked.filter).count()
    return inline_or_job(request, kind=exports.REPORT, rows=rows)


urlpatterns = [
    path("awards/reports/", report, name="report"),
    path("awards/reports/export.xlsx", report_xlsx, name="report_xlsx"),
]
