"""Bringing leaders on board: on a unit's page, or for every unit of a region's roster at once, ministry staff
see each unit's leaders of the day and give those without an account their account (leader role, the unit),
the appointment if the leader is new, and the invitation, in one step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.client import client_ip
from accounts.reauth import reauth_is_fresh, redirect_to_reauth
from core import xlsx
from core.pages import require

from .. import leader_excel, selectors, services
from ..errors import RegionsError
from ..excel_forms import LeaderImportForm
from ..labels import unit_labels_on
from ..leader_forms import LeaderRowsFormSet, row_specs
from ..models import Unit
from ..permissions import can_manage_regions
from .rosters import _region_for


def _done_message(done: list[services.LeaderOnBoard]) -> str:
    invited = [item.account.email for item in done if item.invited]
    linked = len(done) - len(invited)
    text = ngettext(
        "%(count)s leader has been brought on board.",
        "%(count)s leaders have been brought on board.",
        len(done),
    ) % {"count": len(done)}
    if invited:
        text += " " + _("An invitation to set their own password has been sent to %(emails)s.") % {
            "emails": ", ".join(invited)
        }
    if linked:
        text += " " + ngettext(
            "%(count)s existing account of the unit has been linked to its appointment.",
            "%(count)s existing accounts of the unit have been linked to their appointments.",
            linked,
        ) % {"count": linked}
    return text


def _handle(request: HttpRequest, formset: LeaderRowsFormSet) -> list[services.LeaderOnBoard] | None:
    """Saves the filled rows, all or none; None (with the errors on the rows) when anything is refused."""
    if not formset.is_valid():
        return None
    try:
        return services.leaders_onboard(actor=request.user, rows=formset.leader_rows(), ip=client_ip(request))
    except services.LeadersNotOnBoard as error:
        formset.add_errors(error.errors)
    except RegionsError as error:
        formset.errors.append(error.message)
    return None


def _groups(units: list[tuple[Unit, str]], leaders: dict, formset: LeaderRowsFormSet) -> list[dict]:
    """The table's groups: each unit with its leaders of the day and the rows of those without an account."""
    by_unit: dict[int, list] = {}
    for form in formset.forms:
        by_unit.setdefault(form.spec.unit.pk, []).append(form)
    return [
        {"unit": unit, "label": label, "leaders": leaders.get(unit.pk, []), "forms": by_unit.get(unit.pk, [])}
        for unit, label in units
    ]


@require_http_methods(["GET", "POST"])
@login_required
def unit_leaders_onboard(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_regions(request.user))
    unit = get_object_or_404(Unit.objects.select_related("province"), pk=pk)
    if not reauth_is_fresh(request):
        return redirect_to_reauth(request)
    day = timezone.localdate()
    units = [(unit, unit_labels_on([unit], day)[unit.pk])]
    leaders = selectors.leaders_on([unit.pk], day)
    specs = row_specs(units, leaders, extra=True)
    formset = LeaderRowsFormSet(request.POST if request.method == "POST" else None, specs=specs)
    if request.method == "POST" and (done := _handle(request, formset)) is not None:
        messages.success(request, _done_message(done))
        return redirect("regions:unit_detail", pk=unit.pk)
    context = {
        "unit": unit,
        "day": day,
        "formset": formset,
        "groups": _groups(units, leaders, formset),
    }
    return render(request, "regions/leaders_onboard.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def roster_leaders_onboard(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    region = _region_for(request, slug, year, edit=True)
    if not reauth_is_fresh(request):
        return redirect_to_reauth(request)
    day = selectors.leaders_day(year, timezone.localdate())
    memberships = list(selectors.roster(region, year))
    labels = unit_labels_on([m.unit for m in memberships], day)
    units = [(m.unit, labels[m.unit_id]) for m in memberships]
    leaders = selectors.leaders_on([m.unit_id for m in memberships], day)
    specs = row_specs(units, leaders, extra=False)
    formset = LeaderRowsFormSet(request.POST if request.method == "POST" else None, specs=specs)
    if request.method == "POST" and (done := _handle(request, formset)) is not None:
        messages.success(request, _done_message(done))
        return redirect("regions:roster_detail", slug=region.slug, year=year)
    context = {
        "region": region,
        "year": year,
        "region_name": selectors.region_name_on(region, selectors.year_reference_day(year)),
        "day": day,
        "formset": formset,
        "groups": _groups(units, leaders, formset),
    }
    return render(request, "regions/leaders_onboard.html", context)


# ---------------------------------------------------------------------------------------------
# The leader import: template, upload, preview with row errors, confirmation (as the unit import)
# ---------------------------------------------------------------------------------------------

IMPORT_SESSION_KEY = "regions.leader_import"


def _staff_reauthenticated(request: HttpRequest) -> HttpResponse | None:
    require(can_manage_regions(request.user))
    return None if reauth_is_fresh(request) else redirect_to_reauth(request)


@require_http_methods(["GET", "POST"])
@login_required
def leader_import(request: HttpRequest) -> HttpResponse:
    if (refused := _staff_reauthenticated(request)) is not None:
        return refused
    form = LeaderImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if form.is_bound and form.is_valid():
        xlsx.keep_pending_import(request, IMPORT_SESSION_KEY, form)
        return redirect("regions:leader_import_preview")
    return render(request, "regions/leader_import.html", {"form": form, "columns": leader_excel.LEADER_COLUMNS})


@require_GET
@login_required
def leader_import_template(request: HttpRequest) -> HttpResponse:
    require(can_manage_regions(request.user))
    return xlsx.xlsx_response(leader_excel.leader_template(), "mau-nhap-lanh-dao.xlsx")


@require_GET
@login_required
def leader_import_preview(request: HttpRequest) -> HttpResponse:
    if (refused := _staff_reauthenticated(request)) is not None:
        return refused
    pending = xlsx.pending_import(request, IMPORT_SESSION_KEY, leader_excel.LeaderSheetRow)
    if pending is None:
        messages.info(request, _("Upload a file to see its preview."))
        return redirect("regions:leader_import")
    check = leader_excel.check_leader_rows(pending.rows)
    context = {"check": check, "token": pending.token, "filename": pending.filename}
    return render(request, "regions/leader_import_preview.html", context)


@require_POST
@login_required
def leader_import_confirm(request: HttpRequest) -> HttpResponse:
    if (refused := _staff_reauthenticated(request)) is not None:
        return refused
    pending = xlsx.pending_import(request, IMPORT_SESSION_KEY, leader_excel.LeaderSheetRow)
    if xlsx.confirmation_refused(request, pending):
        return redirect("regions:leader_import")
    check = leader_excel.check_leader_rows(pending.rows)
    if not check.is_valid:
        messages.error(request, _("The file has rows with errors: nothing was imported."))
        return redirect("regions:leader_import_preview")
    try:
        done = services.leaders_onboard(actor=request.user, rows=check.leader_rows(), ip=client_ip(request))
    except services.LeadersNotOnBoard as error:
        for key, row_error in error.errors.items():
            messages.error(request, _("Row %(row)s: %(message)s") % {"row": key, "message": row_error.message})
        messages.error(request, _("The file has rows with errors: nothing was imported."))
        return redirect("regions:leader_import_preview")
    del request.session[IMPORT_SESSION_KEY]
    messages.success(request, _done_message(done))
    return redirect("regions:unit_list")


urlpatterns = [
    path("units/leaders/import/", leader_import, name="leader_import"),
    path("units/leaders/import/template.xlsx", leader_import_template, name="leader_import_template"),
    path("units/leaders/import/preview/", leader_import_preview, name="leader_import_preview"),
    path("units/leaders/import/confirm/", leader_import_confirm, name="leader_import_confirm"),
    path("units/<int:pk>/leaders/accounts/", unit_leaders_onboard, name="unit_leaders_onboard"),
    path("regions/<slug:slug>/<int:year>/leaders/", roster_leaders_onboard, name="roster_leaders_onboard"),
]
