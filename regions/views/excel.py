"""Excel in and out: the unit import (template, upload, preview, confirm) and the unit and roster exports.

Between the preview and the confirmation the rows read from the upload wait in the server-side
session (JSON), under a random token that the confirm form sends back: the browser never sends
rows, and the rows are checked again against the database before anything is saved. The token is
dropped on confirmation, so a second click finds nothing to import.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core import xlsx
from core.exports import inline_or_job
from core.pages import require
from core.xlsx import xlsx_response

from .. import excel, exports, selectors, services
from ..errors import RegionsError
from ..excel_forms import UnitImportForm
from ..models import Province, Region
from ..permissions import can_manage_regions, can_view_region, can_view_units

SESSION_KEY = "regions.unit_import"


def _pending_import(request: HttpRequest) -> xlsx.PendingImport | None:
    return xlsx.pending_import(request, SESSION_KEY, excel.SheetRow)


@login_required
def unit_import(request: HttpRequest) -> HttpResponse:
    require(can_manage_regions(request.user))
    form = UnitImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if form.is_bound and form.is_valid():
        xlsx.keep_pending_import(request, SESSION_KEY, form)
        return redirect("regions:unit_import_preview")
    return render(request, "regions/excel_import.html", {"form": form, "columns": excel.IMPORT_COLUMNS})


@require_GET
@login_required
def unit_import_template(request: HttpRequest) -> HttpResponse:
    require(can_manage_regions(request.user))
    provinces = Province.objects.order_by(F("valid_to").desc(nulls_first=True), "name")  # today's map first
    return xlsx_response(excel.import_template(list(provinces)), "mau-nhap-don-vi.xlsx")


@require_GET
@login_required
def unit_import_preview(request: HttpRequest) -> HttpResponse:
    require(can_manage_regions(request.user))
    pending = _pending_import(request)
    if pending is None:
        messages.info(request, _("Upload a file to see its preview."))
        return redirect("regions:unit_import")
    check = excel.check_unit_rows(pending.rows)
    context = {"check": check, "token": pending.token, "filename": pending.filename}
    return render(request, "regions/excel_preview.html", context)


@login_required
@require_POST
def unit_import_confirm(request: HttpRequest) -> HttpResponse:
    require(can_manage_regions(request.user))
    pending = _pending_import(request)
    if xlsx.confirmation_refused(request, pending):
        return redirect("regions:unit_import")
    check = excel.check_unit_rows(pending.rows)
    if not check.is_valid:
        messages.error(request, _("The file has rows with errors: nothing was imported."))
        return redirect("regions:unit_import_preview")
    del request.session[SESSION_KEY]
    try:
        units = services.units_import(rows=check.import_rows())
    except RegionsError as error:
        messages.error(request, error.message)
        return redirect("regions:unit_import")
    count = len(units)
    messages.success(
        request,
        ngettext("%(count)s unit has been imported.", "%(count)s units have been imported.", count) % {"count": count},
    )
    return redirect("regions:unit_list")


@require_GET
@login_required
def unit_export(request: HttpRequest) -> HttpResponse:
    """The unit list as a workbook, with the unit list page's filters (bad ones are left out, as there); past
    settings.EXPORT_INLINE_ROWS units, built by a worker (core.exports) behind a page that shows its progress."""
    require(can_view_units(request.user))
    filters, _year, day = exports.unit_list_filters(request.GET)
    rows = selectors.units_for_list(day=day, **filters).order_by().count()
    return inline_or_job(request, kind=exports.UNIT_LIST, rows=rows)


@require_GET
@login_required
def roster_export(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    require(can_view_region(request.user, region))
    memberships = list(selectors.roster(region, year))
    region_name, term = selectors.region_name_and_term_on(region, selectors.year_reference_day(year))
    if not memberships:
        context = {"region": region, "region_name": region_name, "year": year}
        return render(request, "regions/excel_no_roster.html", context, status=404)
    content = excel.roster_workbook(region_name=region_name, year=year, memberships=memberships, term=term)
    return xlsx_response(content, f"{region.slug}-{year}.xlsx")


urlpatterns = [
    path("units/import/", unit_import, name="unit_import"),
    path("units/import/template.xlsx", unit_import_template, name="unit_import_template"),
    path("units/import/preview/", unit_import_preview, name="unit_import_preview"),
    path("units/import/confirm/", unit_import_confirm, name="unit_import_confirm"),
    path("units/export.xlsx", unit_export, name="unit_export"),
    path("regions/<slug:slug>/<int:year>/export.xlsx", roster_export, name="roster_export"),
]
