"""The yearly registration report's filters, as its page and its workbook read them, and the workbook: built
in the request or, past core.exports' bound, by a worker."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils.translation import gettext as _

from core.exports import register
from regions.models import UnitKind
from regions.selectors import region_name_on, year_reference_day

from . import excel
from .forms.reports import REGISTERED, ReportFilterForm
from .models import AwardTitle
from .permissions import can_view_reports
from .selectors import reports

REPORT = "awards.report"


@dataclass
class ReportRequest:
    form: ReportFilterForm
    filter: reports.ReportFilter | None  # None: the filters could not be read
    year: int
    heading: str
    applied: list[tuple[str, str]]  # (filter, value) as the printed heading states them
    query: str  # the filters, as a query string for the export link
    titles: list[AwardTitle]  # the catalogue, in its order: the title filter's choices and the summary's rows
    regions: list[tuple[int, str]]  # the region filter's choices: the regions of that year, named as then


def read_report_filters(request) -> ReportRequest:
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
    titles = reports.titles_in_order()
    form.set_title_choices(titles)
    valid = form.is_valid()
    year = form.cleaned_data.get("year") or reports.default_year(user)
    visible = reports.visible_region_ids(user, year)
    region = form.cleaned_data.get("region")
    if region is not None and visible is not None and region.pk not in visible:
        raise PermissionDenied
    choices = reports.region_choices(year, visible)
    form.set_region_choices(choices, all_label=_("All regions") if visible is None else _("All my regions"))
    if not valid:
        return ReportRequest(form, None, year, _("Award registrations"), [], "", titles, choices)

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
    return ReportRequest(form, report_filter, year, heading, applied, data.urlencode(), titles, choices)


@register(REPORT)
def report_workbook(query: QueryDict, user) -> tuple[bytes, str]:
    """The report's filters are read again as the page reads them, for the person who asked (a region they
    may no longer see is refused)."""
    if not can_view_reports(user):
        raise PermissionDenied
    asked = read_report_filters(SimpleNamespace(GET=query, user=user))
    if asked.filter is None:
        raise ValueError("the report's filters cannot be read")
    content = excel.report_workbook(
        heading=asked.heading,
        applied=asked.applied,
        summary=reports.summary(asked.filter, titles=asked.titles, regions=asked.regions),
        registrations=reports.registration_list(asked.filter, with_people=False).iterator(chunk_size=2000),
        people=reports.people_by_registration(asked.filter),
    )
    return content, f"dang-ky-thi-dua-{asked.year}.xlsx"
