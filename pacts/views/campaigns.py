"""Campaign pages: the list, a campaign with its phases, targets and pacts, and its editors.

Ministry staff see and manage every campaign; the region officers of a region's head unit that
year manage that campaign; other region officers and the leaders of its member units read it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import paginate, posted, require, show_error
from regions.selectors import region_name_on, unit_name_on, year_reference_day

from .. import selectors, services
from ..audit import RequestInfo
from ..errors import PactError
from ..forms import CampaignFilterForm, CampaignForm, CampaignStartForm, PhaseFormSet, TargetFormSet
from ..models import Campaign
from ..permissions import can_create_campaigns, can_list_campaigns, can_manage_campaign
from .access import campaign_for_user


def _host_choices(campaign_region, year: int, current_host=None) -> list[tuple[int, str]]:
    """The region's members that year, by their names of that year; a host chosen earlier stays selectable."""
    choices = [(m.unit_id, m.name_on_day) for m in selectors.member_units(campaign_region, year)]
    if current_host is not None and current_host.pk not in {pk for pk, _label in choices}:
        choices.append((current_host.pk, current_host.name))
    return choices


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    require(can_list_campaigns(request.user))
    visible = selectors.campaigns_visible_to(request.user)
    form = CampaignFilterForm(request.GET, regions=selectors.regions_of_campaigns(visible))
    form.is_valid()
    campaigns = visible
    if year := form.cleaned_data.get("year"):
        campaigns = campaigns.filter(year=year)
    if region_id := form.cleaned_data.get("region"):
        campaigns = campaigns.filter(region_id=region_id)
    context = {
        "form": form,
        "page": paginate(request, selectors.campaigns_for_list(campaigns)),
        "years": selectors.years_of_campaigns(visible),
        "year": year,
        "can_create": can_create_campaigns(request.user),
        # Only where the officer's unit heads no region at all: in a year of the rotation it does not is no error.
        "obstacle": (
            selectors.drafting_obstacle(request.user, year=timezone.localdate().year)
            if not selectors.regions_for_new_campaign(request.user).exists()
            else None
        ),
    }
    return render(request, "pacts/campaign_list.html", context)


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET without a region): which region and year; step 2: the campaign itself."""
    require(can_create_campaigns(request.user))
    regions = list(selectors.regions_for_new_campaign(request.user))
    initial = {"year": timezone.localdate().year, "region": regions[0].pk if len(regions) == 1 else None}
    start = CampaignStartForm(
        request.GET if "region" in request.GET else None, user=request.user, regions=regions, initial=initial
    )
    if not (start.is_bound and start.is_valid()):
        year = getattr(start, "cleaned_data", {}).get("year")
        context = {
            "form": start,
            "has_regions": bool(regions),
            # A region officer whose unit heads no region (that year) is told why and whom to ask.
            "obstacle": selectors.drafting_obstacle(request.user, year=year) if year or not regions else None,
        }
        return render(request, "pacts/campaign_start.html", context)
    region, year = start.cleaned_data["region"], start.cleaned_data["year"]
    form = CampaignForm(
        posted(request),
        host_choices=_host_choices(region, year),
        initial={"title": f"Kế hoạch phát động phong trào thi đua năm {year}"},
    )
    if form.is_bound and form.is_valid():
        try:
            info = RequestInfo.from_request(request)
            campaign = services.campaign_create(
                region=region, year=year, actor=request.user, info=info, **form.cleaned_data
            )
        except PactError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The campaign has been created with the two usual phases."))
            return redirect("pacts:campaign_detail", pk=campaign.pk)
    context = {
        "form": form,
        "campaign": None,
        "region": region,
        "year": year,
        "region_name": region_name_on(region, year_reference_day(year)),
    }
    return render(request, "pacts/campaign_form.html", context)


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request, pk)
    host = campaign.conference_host
    context = {
        "campaign": campaign,
        "region_name": region_name_on(campaign.region, year_reference_day(campaign.year)),
        "host_name": unit_name_on(host, campaign.conference_date or year_reference_day(campaign.year)) if host else "",
        "movements": list(campaign.movements.order_by("id")),
        "phases": selectors.campaign_phases(campaign),
        "targets": list(campaign.targets.order_by("number")),
        "pacts": list(selectors.campaign_pacts(campaign)),
        "can_manage": can_manage_campaign(request.user, campaign),
        "obstacle": selectors.drafting_obstacle(request.user, campaign=campaign),
    }
    return render(request, "pacts/campaign_detail.html", context)


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request, pk, need=can_manage_campaign)
    initial = {
        "title": campaign.title,
        "theme": campaign.theme,
        "movements": list(campaign.movements.values_list("pk", flat=True)),
        "conference_date": campaign.conference_date,
        "conference_place": campaign.conference_place,
        "conference_host": campaign.conference_host_id,
        "conference_guests": campaign.conference_guests,
        "registration_deadline": campaign.registration_deadline,
        "titles": campaign.titles,
    }
    choices = _host_choices(campaign.region, campaign.year, campaign.conference_host)
    form = CampaignForm(posted(request), host_choices=choices, initial=initial)
    if form.is_bound and form.is_valid():
        fields = dict(form.cleaned_data)
        movements = fields.pop("movements")
        try:
            services.campaign_update(
                campaign=campaign,
                actor=request.user,
                info=RequestInfo.from_request(request),
                movements=movements,
                **fields,
            )
        except PactError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("pacts:campaign_detail", pk=campaign.pk)
    context = {"form": form, "campaign": campaign, "region": campaign.region, "year": campaign.year}
    context["region_name"] = region_name_on(campaign.region, year_reference_day(campaign.year))
    return render(request, "pacts/campaign_form.html", context)


@login_required
def campaign_phases(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request, pk, need=can_manage_campaign)
    initial = [
        {"name": p.name, "start": p.start, "end": p.end, "unit_kinds": p.unit_kinds}
        for p in campaign.phases.order_by("number")
    ]
    # Bound rows are compared with empty ones, so that a blank extra row is skipped whatever came before it.
    data = posted(request)
    formset = PhaseFormSet(data, initial=None if data else initial, prefix="phases")
    if formset.is_bound and formset.is_valid():
        try:
            services.campaign_set_phases(
                campaign=campaign, phases=formset.kept(), actor=request.user, info=RequestInfo.from_request(request)
            )
        except PactError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The phases have been saved."))
            return redirect("pacts:campaign_detail", pk=campaign.pk)
    return render(request, "pacts/campaign_phases.html", {"campaign": campaign, "formset": formset})


@login_required
def campaign_targets(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request, pk, need=can_manage_campaign)
    initial = [{"text": t.text, "unit_kind": t.unit_kind} for t in campaign.targets.order_by("number")]
    data = posted(request)
    formset = TargetFormSet(data, initial=None if data else initial, prefix="targets")
    if formset.is_bound and formset.is_valid():
        targets = [(row["text"], row["unit_kind"]) for row in formset.kept()]
        services.campaign_set_targets(
            campaign=campaign, targets=targets, actor=request.user, info=RequestInfo.from_request(request)
        )
        messages.success(request, _("The targets have been saved."))
        return redirect("pacts:campaign_detail", pk=campaign.pk)
    return render(request, "pacts/campaign_targets.html", {"campaign": campaign, "formset": formset})


def _set_status(request: HttpRequest, pk: int, status: str, done_message: str) -> HttpResponse:
    campaign = campaign_for_user(request, pk, need=can_manage_campaign)
    try:
        services.campaign_set_status(
            campaign=campaign, status=status, actor=request.user, info=RequestInfo.from_request(request)
        )
    except PactError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done_message)
    return redirect("pacts:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_launch(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_status(request, pk, Campaign.Status.LAUNCHED, _("The campaign has been launched."))


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_status(request, pk, Campaign.Status.CLOSED, _("The campaign has been closed."))


urlpatterns = [
    path("campaigns/", campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/phases/", campaign_phases, name="campaign_phases"),
    path("campaigns/<int:pk>/targets/", campaign_targets, name="campaign_targets"),
    path("campaigns/<int:pk>/launch/", campaign_launch, name="campaign_launch"),
    path("campaigns/<int:pk>/close/", campaign_close, name="campaign_close"),
]
