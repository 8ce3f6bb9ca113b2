"""The yearly roster of a region: read by its officers and leaders, edited and copied forward by ministry staff."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pages import page_bounds, page_of_count

from .. import permissions, selectors, services, terms
from ..errors import RegionsError
from ..labels import labelled_choices
from ..models import FIRST_YEAR, LAST_YEAR, Region, RegionMembership, Unit
from ..roster_forms import (
    CopyForwardForm,
    CopyTargetForm,
    MembershipAddForm,
    MembershipRoleForm,
    RosterOrderForm,
    UnitSearchForm,
)

# The add-a-unit select stays light on a country-scale data set; a search narrows it further.
MAX_UNIT_CHOICES = 500


def _region_for(request: HttpRequest, slug: str, year: int, *, edit: bool = False) -> Region:
    """The region, if the user may read (or, with ``edit``, change) its rosters: 404 if unknown, 403 if not allowed."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    region = get_object_or_404(Region, slug=slug)
    allowed = permissions.can_edit_roster if edit else permissions.can_view_region
    if not allowed(request.user, region):
        raise PermissionDenied
    return region


def _role_in_year(membership: RegionMembership, year: int) -> str:
    """ "Trưởng khu vực" in 2018, "Trưởng cụm" in 2026: the role as the region was called that year."""
    term = selectors.region_term_on(membership.region, selectors.year_reference_day(year))
    return str(terms.role_label(membership.role, term))


def _membership_for(region: Region, year: int, unit_id: int) -> RegionMembership:
    memberships = selectors.roster(region, year).select_related("region")
    return get_object_or_404(memberships, unit_id=unit_id)


# The roster page and its editor show this many members at a time (the .xlsx export holds them all).
ROSTER_PAGE_SIZE = 50


def _roster_page_context(request: HttpRequest, region: Region, year: int) -> dict:
    """The roster page: its figures from aggregate queries, the head and deputies, and one page of members,
    so that a region of 672 units costs what the page shows."""
    years = selectors.region_years(region)
    earlier = [y for y in years if y < year]
    later = [y for y in years if y > year]
    region_name, term = selectors.region_name_and_term_on(region, selectors.year_reference_day(year))
    unit_count, province_count, by_kind = selectors.roster_counts(region, year)
    # The counts have numbered the members: the page reads its own rows only, in rotation order (an index).
    page = page_of_count(request, unit_count, ROSTER_PAGE_SIZE)
    leading = []
    if unit_count:
        page.object_list, leading = selectors.roster_page(region, year, *page_bounds(page))
    labels = {role: terms.role_label(role, term) for role in RegionMembership.Role.values}
    for membership in page.object_list:
        membership.role_label = labels[membership.role]
    return {
        "region": region,
        "year": year,
        "region_name": region_name,
        "term": term,
        "head_label": labels[RegionMembership.Role.HEAD],
        "deputy_label": labels[RegionMembership.Role.DEPUTY],
        "deputies_label": terms.deputies_label(term),
        "page": page,
        "memberships": page.object_list,
        "head": next((m for m in leading if m.role == RegionMembership.Role.HEAD), None),
        "deputies": [m for m in leading if m.role == RegionMembership.Role.DEPUTY],
        "unit_count": unit_count,
        "province_count": province_count,
        "kind_counts": [(kind.label, by_kind[kind.value]) for kind in Unit.Kind if by_kind.get(kind.value)],
        "years": years,
        "previous_year": earlier[-1] if earlier else None,
        "next_year": later[0] if later else None,
        "year_links": sorted({*years, year}),
        "copy_from_year": earlier[-1] if earlier else None,
        "can_edit": permissions.can_edit_roster(request.user, region),
        "can_view_units": permissions.can_view_units(request.user),
    }


@require_GET
@login_required
def roster_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    region = _region_for(request, slug, year)
    return render(request, "regions/roster_detail.html", _roster_page_context(request, region, year))


def _unit_candidates(year: int, search: str) -> tuple[list[tuple[int, str]], bool]:
    """The units that may join a roster that year (name as of that year), and whether the list was cut short."""
    units = selectors.units_free_in_year(year, search=search).values_list("pk", "name_on_day")
    candidates = list(units[: MAX_UNIT_CHOICES + 1])
    # Labelled with province and dates: the 2025 roster may offer two namesakes (one ended on 30/06/2025).
    labelled = labelled_choices(candidates[:MAX_UNIT_CHOICES], selectors.year_reference_day(year))
    return labelled, len(candidates) > MAX_UNIT_CHOICES


def _render_editor(
    request: HttpRequest,
    region: Region,
    year: int,
    *,
    add_form: MembershipAddForm | None = None,
    search: str = "",
    row_error: tuple[int, str] | None = None,
) -> HttpResponse:
    search_form = UnitSearchForm(request.GET if "q" in request.GET else None)
    if search_form.is_valid():
        search = search_form.cleaned_data["q"]
    candidates, truncated = _unit_candidates(year, search)
    add_form = add_form or MembershipAddForm(initial={"q": search})
    add_form.offer(candidates)
    context = _roster_page_context(request, region, year)
    add_form.fields["role"].choices = terms.role_choices(context["term"])
    context |= {
        "search_form": search_form,
        "search": search,
        "add_form": add_form,
        "candidate_count": len(candidates),
        "candidates_truncated": truncated,
        "max_choices": MAX_UNIT_CHOICES,
        "roles": terms.role_choices(context["term"]),
        "error_unit_id": row_error[0] if row_error else None,
        "row_error": row_error[1] if row_error else "",
    }
    return render(request, "regions/roster_edit.html", context)


@require_GET
@login_required
def roster_edit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    region = _region_for(request, slug, year, edit=True)
    return _render_editor(request, region, year)


@require_POST
@login_required
def roster_add(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    region = _region_for(request, slug, year, edit=True)
    form = MembershipAddForm(request.POST)
    if form.is_valid():
        try:
            membership = services.membership_add(
                region=region, unit=form.cleaned_data["unit"], year=year, role=form.cleaned_data["role"]
            )
        except RegionsError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            name = selectors.unit_name_on(membership.unit, selectors.year_reference_day(year))
            messages.success(
                request,
                _("%(unit)s has been added to the %(year)s roster as %(role)s.")
                % {"unit": name, "year": year, "role": _role_in_year(membership, year).lower()},
            )
            return redirect("regions:roster_edit", slug=region.slug, year=year)
    return _render_editor(request, region, year, add_form=form, search=form.cleaned_data.get("q", ""))


@require_POST
@login_required
def roster_set_role(request: HttpRequest, slug: str, year: int, unit_id: int) -> HttpResponse:
    region = _region_for(request, slug, year, edit=True)
    membership = _membership_for(region, year, unit_id)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        return _render_editor(request, region, year, row_error=(unit_id, form.errors["role"][0]))
    try:
        services.membership_set_role(membership=membership, role=form.cleaned_data["role"])
    except RegionsError as error:
        return _render_editor(request, region, year, row_error=(unit_id, error.message))
    messages.success(
        request,
        _("%(unit)s is now %(role)s.")
        % {"unit": membership.name_on_day, "role": _role_in_year(membership, year).lower()},
    )
    return redirect(_editor_url(request, region, year))


def _editor_url(request: HttpRequest, region: Region, year: int) -> str:
    """The roster's editor again, on the page of members the person was on."""
    url = reverse("regions:roster_edit", args=[region.slug, year])
    page = request.GET.get("page", "")
    return f"{url}?page={page}" if page.isdigit() else url


@require_http_methods(["GET", "POST"])
@login_required
def roster_remove(request: HttpRequest, slug: str, year: int, unit_id: int) -> HttpResponse:
    region = _region_for(request, slug, year, edit=True)
    membership = _membership_for(region, year, unit_id)
    if request.method == "POST":
        services.membership_remove(membership=membership)
        messages.success(
            request,
            _("%(unit)s has been removed from the %(year)s roster.") % {"unit": membership.name_on_day, "year": year},
        )
        return redirect("regions:roster_edit", slug=region.slug, year=year)
    context = {
        "region": region,
        "year": year,
        "region_name": selectors.region_name_on(region, selectors.year_reference_day(year)),
        "membership": membership,
    }
    return render(request, "regions/roster_remove.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def roster_order(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    region = _region_for(request, slug, year, edit=True)
    memberships = selectors.roster_rows(region, year)
    form = RosterOrderForm(request.POST if request.method == "POST" else None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        try:
            services.roster_reorder(region=region, year=year, unit_ids=form.ordered_unit_ids())
        except RegionsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The rotation order has been saved."))
            return redirect("regions:roster_detail", slug=region.slug, year=year)
    region_name, term = selectors.region_name_and_term_on(region, selectors.year_reference_day(year))
    context = {"region": region, "year": year, "region_name": region_name, "term": term, "form": form}
    return render(request, "regions/roster_order.html", context)


def _proposal_context(region: Region, from_year: int, to_year: int) -> dict:
    """What copying ``from_year`` into ``to_year`` would give, with every unit named as of its year."""
    proposal = services.roster_propose(region=region, from_year=from_year, to_year=to_year)
    ids = [u.pk for u in proposal.units] + [u.pk for u, _reason in proposal.dropped]
    new_names = selectors.unit_names_on(ids, selectors.year_reference_day(to_year))
    old_names = selectors.unit_names_on(ids, selectors.year_reference_day(from_year))
    return {
        "proposal": proposal,
        "to_term": selectors.region_term_on(region, selectors.year_reference_day(to_year)),
        "new_units": [(u, new_names[u.pk]) for u in proposal.units],
        "dropped": [
            (u, new_names[u.pk] if u.is_active_on(date(to_year, 1, 1)) else old_names[u.pk], reason)
            for u, reason in proposal.dropped
        ],
        "unit_choices": labelled_choices(
            [(u.pk, new_names[u.pk]) for u in proposal.units], selectors.year_reference_day(to_year)
        ),
    }


def _render_copy(request: HttpRequest, context: dict, **extra) -> HttpResponse:
    return render(request, "regions/roster_copy.html", context | extra)


def _copy_confirm(request: HttpRequest, region: Region, year: int, to_year: int, context: dict) -> HttpResponse:
    """Step 2: creates the new year with the head and deputies the user confirmed, or says why not."""
    form = CopyForwardForm(request.POST, units=context["unit_choices"], term=context["to_term"])
    if form.is_valid():
        try:
            created = services.roster_copy_forward(
                region=region,
                from_year=year,
                to_year=to_year,
                head=form.cleaned_data["head"],
                deputies=list(form.cleaned_data["deputies"]),
            )
        except RegionsError as error:
            form.add_error(error.field if error.field in ("head", "deputies") else None, error.message)
        else:
            messages.success(
                request,
                _("The %(year)s roster has been created with %(count)s units.")
                % {"year": to_year, "count": len(created)},
            )
            return redirect("regions:roster_detail", slug=region.slug, year=to_year)
    return _render_copy(request, context, form=form, to_year=to_year)


@require_http_methods(["GET", "POST"])
@login_required
def roster_copy(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Step 1 (GET): the proposed roster of the new year; step 2 (POST): its creation."""
    region = _region_for(request, slug, year, edit=True)
    if request.method == "POST":
        target = CopyTargetForm(request.POST, from_year=year)
    else:
        target = CopyTargetForm(request.GET if "to_year" in request.GET else {"to_year": year + 1}, from_year=year)
    context = {
        "region": region,
        "year": year,
        "region_name": selectors.region_name_on(region, selectors.year_reference_day(year)),
        "target": target,
    }
    if not target.is_valid():
        return _render_copy(request, context)
    to_year = target.cleaned_data["to_year"]
    if request.method == "GET" and to_year in selectors.region_years(region):
        # Said before the user confirms anything; the service refuses it again on POST.
        target.add_error("to_year", _("%(year)s already has a roster; edit it instead.") % {"year": to_year})
        return _render_copy(request, context, existing_year=to_year)
    try:
        context |= _proposal_context(region, year, to_year)
    except RegionsError as error:
        target.add_error(None, error.message)
        return _render_copy(request, context)
    if request.method == "POST":
        return _copy_confirm(request, region, year, to_year, context)
    proposal = context["proposal"]
    initial = {
        "to_year": to_year,
        "head": proposal.proposed_head.pk if proposal.proposed_head else None,
        "deputies": [d.pk for d in proposal.deputies],
    }
    return _render_copy(
        request,
        context,
        form=CopyForwardForm(initial=initial, units=context["unit_choices"], term=context["to_term"]),
        to_year=to_year,
    )


@login_required
@require_GET
def roster_year(request: HttpRequest, slug: str) -> HttpResponse:
    """The "open the roster of year…" form of a region's page: any year, even one without a roster yet."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        messages.error(
            request, _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
        return redirect("regions:region_detail", slug=slug)
    return redirect("regions:roster_detail", slug=slug, year=year)


urlpatterns = [
    path("regions/<slug:slug>/roster/", roster_year, name="roster_year"),
    path("regions/<slug:slug>/<int:year>/", roster_detail, name="roster_detail"),
    path("regions/<slug:slug>/<int:year>/edit/", roster_edit, name="roster_edit"),
    path("regions/<slug:slug>/<int:year>/units/add/", roster_add, name="roster_add"),
    path("regions/<slug:slug>/<int:year>/units/<int:unit_id>/role/", roster_set_role, name="roster_set_role"),
    path("regions/<slug:slug>/<int:year>/units/<int:unit_id>/remove/", roster_remove, name="roster_remove"),
    path("regions/<slug:slug>/<int:year>/order/", roster_order, name="roster_order"),
    path("regions/<slug:slug>/<int:year>/copy/", roster_copy, name="roster_copy"),
]
