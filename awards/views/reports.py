"""The yearly registration report: counts by title and kind of unit, by region, the list, and its .xlsx.

Ministry staff and administrators see every region; region officers see the regions where a unit they
act for is a member that year, and are refused (403) another region. Filters that cannot be read are
shown beside their field, with no figures; the export sends such a request back to the page.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.exports import inline_or_job
from core.pages import paginate, paginate_counted, require
from regions.models import UnitKind
from regions.selectors import region_name_on, year_reference_day

from .. import exports
from ..forms.reports import REGISTERED, ReportFilterForm
from ..permissions import can_view_reports
from ..selectors import reports


@dataclass
class ReportRequest:
    form: ReportFilterForm
    filter: reports.ReportFilter | None  # None: the filters could not be read
    year: int
    heading: str
    applied: list[tuple[str, str]]  # (filter, value) as the printed heading states them
    query: str  # the filters, as a query string for the export link


def _read_filters(request: HttpRequest) -> ReportRequest:
    """The effective filters: the year defaults to the latest year with registrations, the status to
    "registered"; a region the user may not see is refused."""
    user = request.user
    data = request.GET.copy()
    data.pop("page", None)
    data.pop("print", None)
    if not data.get("year"):
        data["year"] = str(reports.default_year(user))
    if not data.get("status"):
        data["status"] = REGISTERED
    form = ReportFilterForm(data)
    valid = form.is_valid()
    year = form.cleaned_data.get("year") or reports.default_year(user)
    visible = reports.visible_region_ids(user, year)
    region = form.cleaned_data.get("region")
    if region is not None and visible is not None and region.pk not in visible:
        raise PermissionDenied
    choices = reports.region_choices(year, visible)
    form.set_region_choices(choices, all_label=_("All regions") if visible is None else _("All my regions"))
    if not valid:
        return ReportRequest(form, None, year, _("Award registrations"), [], "")

    names = dict(choices)
    if region is not None:
        region_label = names.get(region.pk) or region_name_on(region, year_reference_day(year))
        region_ids = (region.pk,)
    elif visible is None:
        region_label, region_ids = _("All regions"), None
    else:
        region_label = "; ".join(names[pk] for pk, _name in choices) or _("None of your units is in a region this year")
        region_ids = tuple(sorted(visible))
    title, kind = form.cleaned_data["title"], form.cleaned_data["kind"]
    applied = [
        (_("Year"), str(year)),
        (_("Region"), region_label),
        (_("Status of the registration"), form.status_label()),
    ]
    if title is not None:
        applied.append((_("Award title"), title.name))
    if kind:
        applied.append((_("Kind of unit"), str(UnitKind(kind).label)))
    report_filter = reports.ReportFilter(
        year=year,
        statuses=form.statuses(),
        region_ids=region_ids,
        title_id=title.pk if title is not None else None,
        kind=kind,
    )
    heading = _("Award registrations in %(year)s") % {"year": year}
    return ReportRequest(form, report_filter, year, heading, applied, data.urlencode())


# The list's page; its rows and their count are one query.
REPORT_PAGE_SIZE = 50
# "Print the whole list": one page of every row, up to this many (the .xlsx holds any number).
PRINT_ROWS = 10_000


@login_required
def report(request: HttpRequest) -> HttpResponse:
    require(can_view_reports(request.user))
    asked = _read_filters(request)
    whole_list = request.GET.get("print") == "all"
    context = {"form": asked.form, "asked": asked, "summary": None, "page": None, "whole_list": whole_list}
    if asked.filter is not None:
        context["summary"] = reports.summary(asked.filter)
        context["by_region"] = asked.filter.region_ids is None or len(asked.filter.region_ids) > 1
        rows = reports.registration_list(asked.filter)
        context["page"] = (
            paginate(request, rows, per_page=PRINT_ROWS)
            if whole_list
            else paginate_counted(request, rows, REPORT_PAGE_SIZE)
        )
    return render(request, "awards/report.html", context)


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    """The report as a workbook; past settings.EXPORT_INLINE_ROWS registrations, built by a worker
    (core.exports) behind a page that shows its progress."""
    require(can_view_reports(request.user))
    asked = _read_filters(request)
    if asked.filter is None:
        return redirect(f"{reverse('awards:report')}?{request.GET.urlencode()}")
    rows = reports.registrations(asked.filter).count()
    return inline_or_job(request, kind=exports.REPORT, rows=rows)


urlpatterns = [
    path("awards/reports/", report, name="report"),
    path("awards/reports/export.xlsx", report_xlsx, name="report_xlsx"),
]
