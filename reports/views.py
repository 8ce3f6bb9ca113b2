"""The dashboards (country, region, unit), their .xlsx, and the year-end and mid-year reports: ask, follow,
download, generate again. Thin: the figures come from reports.selectors, the rules from reports.jobs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exports import inline_or_job
from core.pages import paginate, require, show_error
from core.years import FIRST_YEAR, LAST_YEAR
from regions.models import Region, RegionMembership
from regions.selectors import region_name_on, with_region_names_on, year_reference_day

from . import exports, permissions, scopes
from .errors import ReportError
from .figures import NUDGE_LABELS, figures
from .forms import NATIONAL, DashboardChoiceForm, ReportRequestForm
from .jobs import WAITING, report_job_create, report_job_is_stalled
from .models import ReportJob
from .selectors import NUDGE_REASONS, Scope, dashboard, nudge_total


def _region_choices(user, year: int) -> list[tuple[str, str]]:
    """The regions with a roster that year that the user may see, by their names of that year."""
    regions = Region.objects.filter(pk__in=RegionMembership.objects.filter(year=year).values("region_id"))
    if not permissions.sees_country(user):
        regions = regions.filter(pk__in=permissions.officer_region_ids(user, year))
    named = with_region_names_on(regions, year_reference_day(year)).order_by("region_name_on_day", "pk")
    return list(named.values_list("slug", "region_name_on_day"))


# --- the dashboards ------------------------------------------------------------------------------


@require_GET
@login_required
def dashboard_start(request: HttpRequest) -> HttpResponse:
    """The menu's "Dashboard": the current year of what the user follows; with ?year=&region=, that one."""
    user = request.user
    require(permissions.can_view_dashboards(user))
    country = permissions.sees_country(user)
    year = timezone.localdate().year
    if "year" in request.GET:
        asked = _choice_year(request.GET.get("year"), year)
        form = DashboardChoiceForm(request.GET, regions=_region_choices(user, asked), country=country)
        if form.is_valid():
            slug, year = form.cleaned_data["region"], form.cleaned_data["year"]
            if slug:
                return redirect("reports:region_dashboard", year=year, slug=slug)
            return redirect("reports:country_dashboard", year=year)
        return render(request, "reports/choose.html", {"form": form}, status=400)
    if country:
        return redirect("reports:country_dashboard", year=year)
    regions = _region_choices(user, year)
    if regions:
        return redirect("reports:region_dashboard", year=year, slug=regions[0][0])
    units = sorted(permissions.leader_unit_ids(user))
    if units:
        return redirect("reports:unit_dashboard", year=year, unit_pk=units[0])
    messages.info(request, _("Your unit is in no region this year, so there is no dashboard to show yet."))
    return redirect("home")


def _choice_year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


def _board(request: HttpRequest, scope: Scope, heading: str, kind: str, xlsx_url: str, **context) -> HttpResponse:
    board = dashboard(scope)
    found = figures(board)
    user = request.user
    form = DashboardChoiceForm(
        initial={"year": scope.year, "region": context.get("region_slug", "")},
        regions=_region_choices(user, scope.year),
        country=permissions.sees_country(user),
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "figures": found,
            "heading": heading,
            "kind": kind,
            "xlsx_url": xlsx_url,
            "form": form if kind != "unit" else None,
            "nudge_lists": [
                (reason, NUDGE_LABELS[reason], board.nudges.lists[reason], board.nudges.counts[reason])
                for reason in NUDGE_REASONS
            ],
            "can_request_reports": permissions.can_request_reports(user) and kind != "unit",
            **context,
        },
    )


def _xlsx(request: HttpRequest, scope: Scope, **target) -> HttpResponse:
    """The dashboard's workbook: one figure's table (``?figure=``) in the request; all of them with the lists of
    units to nudge (a row a unit: thousands for the country) in the request or, past core.exports' bound, by a
    worker for the person who asked."""
    query = QueryDict(mutable=True)  # the address's scope and the figure asked for, nothing else of the query
    for key, value in target.items():
        query[key] = str(value)
    figure = request.GET.get("figure", "")
    if figure:
        query["figure"] = figure
    rows = 0 if figure else nudge_total(scope)
    return inline_or_job(request, kind=exports.FIGURES, rows=rows, query=query)


@require_GET
@login_required
def country_dashboard(request: HttpRequest, year: int) -> HttpResponse:
    scope = scopes.country_scope(request.user, year)
    heading = _("The year %(year)s at a glance: whole country") % {"year": year}
    return _board(request, scope, heading, "country", reverse("reports:country_xlsx", args=[year]))


@require_GET
@login_required
def country_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    return _xlsx(request, scopes.country_scope(request.user, year), year=year)


@require_GET
@login_required
def region_dashboard(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    scope, region, name = scopes.region_scope(request.user, year, slug)
    heading = _("The year %(year)s at a glance: %(region)s") % {"year": year, "region": name}
    xlsx_url = reverse("reports:region_xlsx", args=[year, slug])
    return _board(request, scope, heading, "region", xlsx_url, region=region, region_slug=slug)


@require_GET
@login_required
def region_xlsx(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    scope, _region, _name = scopes.region_scope(request.user, year, slug)
    return _xlsx(request, scope, year=year, region=slug)


@require_GET
@login_required
def unit_dashboard(request: HttpRequest, year: int, unit_pk: int) -> HttpResponse:
    scope, unit, name = scopes.unit_scope(request.user, year, unit_pk)
    heading = _("The year %(year)s at a glance: %(unit)s") % {"year": year, "unit": name}
    xlsx_url = reverse("reports:unit_xlsx", args=[year, unit_pk])
    return _board(request, scope, heading, "unit", xlsx_url, unit=unit)


@require_GET
@login_required
def unit_xlsx(request: HttpRequest, year: int, unit_pk: int) -> HttpResponse:
    scope, _unit, _name = scopes.unit_scope(request.user, year, unit_pk)
    return _xlsx(request, scope, year=year, unit=unit_pk)


# --- the reports ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(permissions.can_request_reports(user))
    year = _choice_year(request.POST.get("year") or request.GET.get("year"), timezone.localdate().year)
    form = ReportRequestForm(
        request.POST or None,
        initial={"year": year},
        regions=_region_choices(user, year),
        national=permissions.sees_country(user),
    )
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["region"]
        region = None if slug == NATIONAL else get_object_or_404(Region, slug=slug)
        year = form.cleaned_data["year"]
        require(permissions.can_request_report(user, region, year))
        try:
            job = report_job_create(region=region, year=year, kind=form.cleaned_data["kind"], requested_by=user)
        except ReportError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The report is being drafted: it can be downloaded below when it is ready."))
            return redirect("reports:report_detail", pk=job.pk)
    page = paginate(request, _jobs_visible_to(user))
    return render(request, "reports/report_list.html", {"form": form, "page": page}, status=400 if form.errors else 200)


def _jobs_visible_to(user):
    jobs = ReportJob.objects.select_related("region").order_by("-created_at", "-pk")
    if permissions.sees_country(user):
        return jobs
    mine = RegionMembership.objects.filter(
        region=OuterRef("region"), year=OuterRef("year"), unit_id__in=permissions.acting_unit_ids(user)
    )
    return jobs.filter(Exists(mine))


def _job(request: HttpRequest, pk: int) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("region"), pk=pk)
    require(permissions.can_view_report_job(request.user, job))
    return job


def job_state(job: ReportJob, *, show_error: bool) -> dict:
    stalled = report_job_is_stalled(job)
    state = {
        "status": "stalled" if stalled else job.status,
        "status_label": _("Stalled") if stalled else job.get_status_display(),
        "version": job.version,
        "docx_url": reverse("reports:report_download", args=[job.pk, "docx"])
        if job.status == ReportJob.Status.READY
        else None,
        "pdf_url": reverse("reports:report_download", args=[job.pk, "pdf"])
        if job.status == ReportJob.Status.READY
        else None,
    }
    if show_error:
        state["last_error"] = job.last_error
        state["attempts"] = job.attempts
    return state


@require_GET
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    day = year_reference_day(job.year)
    context = {
        "job": job,
        "scope_name": region_name_on(job.region, day) if job.region else _("Whole country"),
        "state": job_state(job, show_error=permissions.can_see_report_errors(request.user)),
        "waiting": job.status in WAITING,
        "versions": ReportJob.objects.filter(region=job.region, year=job.year, kind=job.kind).order_by("-version"),
    }
    return render(request, "reports/report_detail.html", context)


@never_cache
@require_GET
@login_required
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job(request, pk)
    return JsonResponse(job_state(job, show_error=permissions.can_see_report_errors(request.user)))


@require_GET
@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    job = _job(request, pk)
    if job.status != ReportJob.Status.READY or fmt not in ("docx", "pdf"):
        raise Http404
    stored = job.docx if fmt == "docx" else job.pdf
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404(_("The file is missing from the server: generate the report again.")) from error
    content_type = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if fmt == "docx"
        else "application/pdf"
    )
    filename = stored.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private"
    return response


@require_POST
@login_required
def report_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        again = report_job_create(region=job.region, year=job.year, kind=job.kind, requested_by=request.user)
    except ReportError as error:
        messages.error(request, error.message)
        return redirect("reports:report_detail", pk=job.pk)
    if again.pk == job.pk or again.version < job.version:
        messages.info(request, _("This report is already being drafted: it can be downloaded when it is ready."))
    else:
        messages.success(
            request,
            _("Version %(version)s of the report is being drafted; earlier versions stay.")
            % {"version": again.version},
        )
    return redirect("reports:report_detail", pk=again.pk)
