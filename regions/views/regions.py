"""Region pages: the list with each region's roster of a year, a region's history, create, edit, rename.

Ministry staff see and change every region; region officers and leaders read the regions their
unit is or was a member of.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import paginate, require, show_error

from .. import selectors, services, terms
from ..errors import RegionsError
from ..forms import RegionCreateForm, RegionEditForm, RegionFilterForm, RegionRenameForm
from ..models import Region, region_term_of_name
from ..permissions import can_list_regions, can_manage_regions, can_view_region, can_view_units
from ..selectors import EARLIEST_FIRST


def _region_for_user(request: HttpRequest, slug: str) -> Region:
    """The region, if this user may see it: an unknown slug gives 404, someone else's region 403."""
    region = get_object_or_404(Region, slug=slug)
    require(can_view_region(request.user, region))
    return region


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    require(can_list_regions(request.user))
    form = RegionFilterForm(request.GET)
    form.is_valid()
    visible = selectors.regions_visible_to(request.user)
    years = selectors.roster_years(visible)
    year = form.cleaned_data.get("year") or (years[0] if years else timezone.localdate().year)
    regions = visible
    search = (form.cleaned_data.get("q") or "").strip()
    if search:
        regions = regions.filter(selectors.regions_named_like(search))
    regions = selectors.with_region_names_on(regions, selectors.year_reference_day(year))
    page = paginate(request, selectors.with_roster_summary(regions, year).order_by("region_name_on_day", "pk"))
    shown_terms = {region.region_term_on_day for region in page.object_list}
    context = {
        "form": form,
        "page": page,
        "head_label": terms.head_label_of(shown_terms),
        "year": year,
        "years": years,
        "can_manage": can_manage_regions(request.user),
        "can_view_units": can_view_units(request.user),
    }
    return render(request, "regions/region_list.html", context)


@login_required
def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = _region_for_user(request, slug)
    years = selectors.region_year_summaries(region)
    context = {
        "region": region,
        "names": region.names.order_by(EARLIEST_FIRST),
        "years": years,
        "head_label": terms.head_label_of({summary["term"] for summary in years} or {region_term_of_name(region.name)}),
        "can_manage": can_manage_regions(request.user),
        "can_view_units": can_view_units(request.user),
    }
    return render(request, "regions/region_detail.html", context)


@login_required
def region_create(request: HttpRequest) -> HttpResponse:
    require(can_manage_regions(request.user))
    form = RegionCreateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            region = services.region_create(**form.cleaned_data)
        except RegionsError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The region %(name)s has been created.") % {"name": region.name})
            return redirect("regions:region_detail", slug=region.slug)
    return render(request, "regions/region_form.html", {"form": form, "region": None})


@login_required
def region_edit(request: HttpRequest, slug: str) -> HttpResponse:
    require(can_manage_regions(request.user))
    region = get_object_or_404(Region, slug=slug)
    data = request.POST if request.method == "POST" else None
    form = RegionEditForm(data, initial={"description": region.description})
    if form.is_bound and form.is_valid():
        try:
            services.region_update(region=region, **form.cleaned_data)
        except RegionsError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("regions:region_detail", slug=region.slug)
    return render(request, "regions/region_form.html", {"form": form, "region": region})


@login_required
def region_rename(request: HttpRequest, slug: str) -> HttpResponse:
    require(can_manage_regions(request.user))
    region = get_object_or_404(Region, slug=slug)
    form = RegionRenameForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.region_rename(region=region, **form.cleaned_data)
        except RegionsError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The new name has been recorded."))
            return redirect("regions:region_detail", slug=region.slug)
    context = {
        "form": form,
        "region": region,
        "current_name": region.name,
        "names": region.names.order_by(EARLIEST_FIRST),
    }
    return render(request, "regions/region_rename.html", context)


urlpatterns = [
    path("regions/", region_list, name="region_list"),
    path("regions/new/", region_create, name="region_create"),
    path("regions/<slug:slug>/", region_detail, name="region_detail"),
    path("regions/<slug:slug>/edit/", region_edit, name="region_edit"),
    path("regions/<slug:slug>/rename/", region_rename, name="region_rename"),
]
