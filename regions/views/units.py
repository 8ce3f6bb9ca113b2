"""Unit pages for ministry staff: the list, a unit's history, create, edit, rename, merge, leaders."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import paginate_counted, posted, require, show_error

from .. import selectors, services
from ..errors import RegionsError
from ..forms import AppointmentForm, UnitCreateForm, UnitEditForm, UnitFilterForm, UnitMergeForm, UnitRenameForm
from ..models import Unit
from ..permissions import can_manage_regions, can_view_units
from ..selectors import EARLIEST_FIRST
from ..terms import role_label


def _unit_or_404(pk: int) -> Unit:
    return get_object_or_404(Unit.objects.select_related("province", "parent", "successor"), pk=pk)


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    require(can_view_units(request.user))
    form = UnitFilterForm(request.GET)
    filters = form.filters()
    year: int | None = filters["year"]
    day: date = selectors.year_reference_day(year) if year else timezone.localdate()
    # The whole list (thousands of units) is counted on its keys; a search leaves few rows, read in one query.
    units_found = selectors.unit_rows_of(selectors.units_for_list(day=day, **filters), year=year)
    page = paginate_counted(request, units_found, keys_first=not filters["search"])
    page.object_list = units = selectors.unit_rows_from(page.object_list)
    regions = selectors.regions_by_id_named_on({u.year_region_id for u in units if year and u.year_region_id}, day)
    for unit in units:
        unit.active_on_day = unit.is_active_on(day)
        unit.year_region = regions.get(unit.year_region_id)
        term = unit.year_region.region_term_on_day if unit.year_region else ""
        unit.year_role_label = role_label(unit.year_role, term) if unit.year_role else ""
    context = {"form": form, "page": page, "units": units, "year": year, "day": day}
    return render(request, "regions/unit_list.html", {**context, "can_manage": can_manage_regions(request.user)})


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_view_units(request.user))
    unit = _unit_or_404(pk)
    context = {
        "unit": unit,
        "names": unit.names.select_related("province").order_by(EARLIEST_FIRST),
        "children": unit.children.select_related("province").order_by("name"),
        "predecessors": unit.predecessors.order_by("name"),
        "appointments": unit.appointments.select_related("user").order_by("-start", "-pk"),
        "memberships": selectors.unit_memberships_by_year(unit),
        "today": timezone.localdate(),
        "can_manage": can_manage_regions(request.user),
    }
    return render(request, "regions/unit_detail.html", context)


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    require(can_manage_regions(request.user))
    form = UnitCreateForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            unit = services.unit_create(**form.cleaned_data)
        except RegionsError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The unit %(name)s has been created.") % {"name": unit.name})
            return redirect("regions:unit_detail", pk=unit.pk)
    return render(request, "regions/unit_form.html", {"form": form, "unit": None})


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_regions(request.user))
    unit = _unit_or_404(pk)
    initial = {
        "kind": unit.kind,
        "province": unit.province_id,
        "parent": unit.parent_id,
        "active_from": unit.active_from,
        "active_to": unit.active_to,
    }
    form = UnitEditForm(posted(request), initial=initial, unit=unit)
    if form.is_bound and form.is_valid():
        try:
            services.unit_update(unit=unit, **form.cleaned_data)
        except RegionsError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("regions:unit_detail", pk=unit.pk)
    return render(request, "regions/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_regions(request.user))
    unit = _unit_or_404(pk)
    form = UnitRenameForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            services.unit_rename(unit=unit, **form.rename_kwargs())
        except RegionsError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The new name has been recorded."))
            return redirect("regions:unit_detail", pk=unit.pk)
    context = {
        "form": form,
        "unit": unit,
        "current_name": unit.name,
        "names": unit.names.select_related("province").order_by(EARLIEST_FIRST),
    }
    return render(request, "regions/unit_rename.html", context)


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


@login_required
def unit_merge(request: HttpRequest) -> HttpResponse:
    """Searching keeps the units already ticked; only the merge button changes anything."""
    require(can_manage_regions(request.user))
    data = posted(request)
    source = data if data is not None else request.GET
    search, chosen = (source.get("q") or "").strip(), _ids(source.getlist("units"))
    if data is None or "search" in data:
        initial = {**(data.dict() if data is not None else {}), "q": search, "units": chosen}
        form = UnitMergeForm(initial=initial, search=search, chosen_ids=chosen)
    else:
        form = UnitMergeForm(data, search=search, chosen_ids=chosen)
        if form.is_valid():
            fields = {key: value for key, value in form.cleaned_data.items() if key not in ("q", "units")}
            try:
                merged = services.unit_merge(units=list(form.cleaned_data["units"]), **fields)
            except RegionsError as error:
                show_error(form, error)
            else:
                messages.success(request, _("The units have been merged into %(name)s.") % {"name": merged.name})
                return redirect("regions:unit_detail", pk=merged.pk)
    return render(request, "regions/unit_merge.html", {"form": form, "search": search})


@login_required
def appointment_create(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_regions(request.user))
    unit = _unit_or_404(pk)
    form = AppointmentForm(posted(request))
    if form.is_bound and form.is_valid():
        fields = dict(form.cleaned_data)
        user = fields.pop("username")
        try:
            services.appointment_start(unit=unit, user=user, **fields)
        except RegionsError as error:
            show_error(form, error)
        else:
            if user is None:
                messages.success(request, _("The leader has been recorded."))
            else:
                messages.success(
                    request,
                    _(
                        "The leader has been recorded. An e-mail about any pact awaiting the unit's signature "
                        "is queued and will be sent to them shortly."
                    ),
                )
            return redirect("regions:unit_detail", pk=unit.pk)
    return render(request, "regions/appointment_form.html", {"form": form, "unit": unit})


urlpatterns = [
    path("units/", unit_list, name="unit_list"),
    path("units/new/", unit_create, name="unit_create"),
    path("units/merge/", unit_merge, name="unit_merge"),
    path("units/<int:pk>/", unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", unit_edit, name="unit_edit"),
    path("units/<int:pk>/rename/", unit_rename, name="unit_rename"),
    path("units/<int:pk>/leaders/new/", appointment_create, name="appointment_create"),
]
