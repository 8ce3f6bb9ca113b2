"""Award registrations (đăng ký thi đua): a leader's registrations by year, registering a title, one
registration with the actions its status allows, and a campaign's registrations for its reviewers.

A unit's leader registers, edits, sends and withdraws; the region officers of that year's head unit
and ministry staff approve or return; ministry staff propose a title not decided by a vote, or record
that it was not awarded. The services enforce every rule (the statuses each step needs are the model's);
these pages ask the same rules to show what the person may do.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.pages import paginate, posted, require, show_error
from pacts.models import Campaign
from pacts.permissions import can_view_campaign
from pacts.selectors import campaigns_visible_to, years_of_campaigns
from pacts.views.access import campaign_for_user
from regions.models import Unit
from regions.selectors import region_name_on, unit_name_on, year_reference_day

from ..errors import AwardsError
from ..forms.registrations import (
    BulkApproveForm,
    CampaignRegistrationFilterForm,
    MyRegistrationsForm,
    NotAwardedForm,
    PeopleFormSet,
    RegistrationEditForm,
    RegistrationForm,
    ReturnForm,
    people_initial,
)
from ..models import AwardRegistration
from ..permissions import (
    can_edit_registration,
    can_follow_registrations,
    can_list_registrations,
    can_propose_registration,
    can_record_not_awarded,
    can_register,
    can_register_for_units,
    can_review_registrations,
    can_view_votes,
)
from ..selectors.registrations import (
    campaigns_to_review,
    filtered_for_list,
    is_member,
    registrations_seen_by,
    status_counts,
    submitted_in,
    titles_of,
    titles_taken,
    units_of_year,
)
from ..selectors.titles import titles_open_to
from ..services import registrations as registration_services
from .access import registration_for_user

PEOPLE_PREFIX = "people"


def _show_error(form, formset, error: AwardsError) -> None:
    if error.field == "people":
        formset.non_form_errors().append(error.message)
    else:
        show_error(form, error)


# --- a leader's registrations ----------------------------------------------------------------------


def _units_with_actions(user, year: int):
    """The units of the year, each with whether its deadline has passed and whether the person may register."""
    today = timezone.localdate()
    rows = units_of_year(user, year)
    for row in rows:
        row.deadline_passed = row.campaign is not None and registration_services.deadline_passed(row.campaign, today)
        row.may_register = can_register(user, row.unit)
    return rows


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(can_list_registrations(user))
    this_year = timezone.localdate().year
    form = MyRegistrationsForm(request.GET if "year" in request.GET else {"year": this_year})
    form.is_valid()
    year = form.cleaned_data.get("year") or this_year
    registers = can_register_for_units(user)
    context = {
        "form": form,
        "year": year,
        "years": years_of_campaigns(campaigns_visible_to(user)),
        "units": _units_with_actions(user, year) if registers else [],
        "is_leader": registers,
        "campaigns": list(campaigns_to_review(user, year)) if can_follow_registrations(user) else None,
    }
    return render(request, "awards/registration_list.html", context)


# --- registering a title ---------------------------------------------------------------------------


def _int_param(request: HttpRequest, name: str) -> int:
    value = request.GET.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


@login_required
def registration_create(request: HttpRequest) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("region"), pk=_int_param(request, "campaign"))
    unit = get_object_or_404(Unit, pk=_int_param(request, "unit"))
    require(can_register(request.user, unit))
    if not is_member(campaign, unit):
        raise Http404
    taken = titles_taken(campaign, unit)
    titles = [title for title in titles_open_to(unit.kind, campaign.year) if title.pk not in taken]
    data = posted(request)
    form = RegistrationForm(data, titles=titles)
    formset = PeopleFormSet(data, prefix=PEOPLE_PREFIX)
    if data is not None and all([form.is_valid(), formset.is_valid()]):
        title, send = form.cleaned_data["title"], form.cleaned_data["send"]
        try:
            registration = registration_services.registration_create(
                campaign=campaign,
                unit=unit,
                title=title,
                actor=request.user,
                people=formset.people(),
                note=form.cleaned_data["note"],
                submit=send,
            )
        except AwardsError as error:
            _show_error(form, formset, error)
        else:
            if send:
                done = _("“%(title)s” has been registered and sent to the region.")
            else:
                done = _("“%(title)s” has been saved as a draft: send it to the region before the deadline.")
            messages.success(request, done % {"title": title.name})
            return redirect("awards:registration_detail", pk=registration.pk)
    day = year_reference_day(campaign.year)
    context = {
        "form": form,
        "formset": formset,
        "campaign": campaign,
        "unit": unit,
        "unit_name": unit_name_on(unit, day),
        "region_name": region_name_on(campaign.region, day),
        "deadline_passed": registration_services.deadline_passed(campaign, timezone.localdate()),
        "has_titles": bool(titles),
    }
    return render(request, "awards/registration_form.html", context)


# --- one registration ------------------------------------------------------------------------------


def _detail_page(
    request: HttpRequest,
    registration: AwardRegistration,
    *,
    return_form: ReturnForm | None = None,
    not_awarded_form: NotAwardedForm | None = None,
) -> HttpResponse:
    user, campaign = request.user, registration.campaign
    day = year_reference_day(campaign.year)
    can_edit = can_edit_registration(user, registration)
    context = {
        "registration": registration,
        "campaign": campaign,
        "unit_name": unit_name_on(registration.unit, day),
        "region_name": region_name_on(campaign.region, day),
        "people": list(registration.people.all()),
        "warnings": registration_services.registration_warnings(registration),
        "can_view_campaign": can_view_campaign(user, campaign),
        "can_view_votes": registration.title.requires_vote and can_view_votes(user, campaign),
        "show_edit": can_edit and registration.is_editable(),
        "show_withdraw": can_edit and registration.is_withdrawable(),
        "show_review": registration.is_reviewable() and can_review_registrations(user, campaign),
        "show_propose": can_propose_registration(user) and registration.is_proposable(),
        "show_not_awarded": can_record_not_awarded(user) and registration.awaits_decision(),
        "return_form": return_form or ReturnForm(),
        "not_awarded_form": not_awarded_form or NotAwardedForm(),
    }
    context["has_actions"] = any(
        context[name] for name in ("show_edit", "show_withdraw", "show_review", "show_propose", "show_not_awarded")
    )
    return render(request, "awards/registration_detail.html", context)


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, registration_for_user(request, pk))


@login_required
def registration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    registration = registration_for_user(request, pk)
    require(can_edit_registration(request.user, registration))
    if not registration.is_editable():
        messages.error(
            request,
            _("This registration is “%(status)s”: it can no longer be changed.")
            % {"status": registration.get_status_display()},
        )
        return redirect("awards:registration_detail", pk=registration.pk)
    data = posted(request)
    form = RegistrationEditForm(data, initial={"note": registration.note})
    # Bound rows are compared with empty ones, so that a blank extra row is skipped whatever came before it.
    formset = PeopleFormSet(
        data, initial=None if data is not None else people_initial(registration), prefix=PEOPLE_PREFIX
    )
    if data is not None and all([form.is_valid(), formset.is_valid()]):
        try:
            registration_services.registration_update(
                registration=registration, actor=request.user, people=formset.people(), note=form.cleaned_data["note"]
            )
        except AwardsError as error:
            _show_error(form, formset, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("awards:registration_detail", pk=registration.pk)
    day = year_reference_day(registration.campaign.year)
    context = {
        "form": form,
        "formset": formset,
        "registration": registration,
        "unit_name": unit_name_on(registration.unit, day),
    }
    return render(request, "awards/registration_edit.html", context)


def _act(request: HttpRequest, registration: AwardRegistration, action, done: str) -> HttpResponse:
    """Runs a service on the registration; its refusal becomes the message shown back on the page."""
    try:
        action()
    except AwardsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("awards:registration_detail", pk=registration.pk)


def _one_step(service, allowed, done) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST that runs one service on the registration, for whom ``allowed(user, registration)`` lets."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        registration = registration_for_user(request, pk)
        require(allowed(request.user, registration))
        return _act(request, registration, lambda: service(registration=registration, actor=request.user), done)

    return view


registration_submit = _one_step(
    registration_services.registration_submit,
    can_edit_registration,
    gettext_lazy("The registration has been sent to the region."),
)
registration_withdraw = _one_step(
    registration_services.registration_withdraw,
    can_edit_registration,
    gettext_lazy("The registration has been withdrawn."),
)
registration_approve = _one_step(
    registration_services.registration_approve,
    lambda user, registration: can_review_registrations(user, registration.campaign),
    gettext_lazy("The registration has been approved."),
)


@login_required
@require_POST
def registration_return(request: HttpRequest, pk: int) -> HttpResponse:
    registration = registration_for_user(request, pk)
    require(can_review_registrations(request.user, registration.campaign))
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, registration, return_form=form)
    return _act(
        request,
        registration,
        lambda: registration_services.registration_return(
            registration=registration, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The registration has been returned to the unit."),
    )


registration_propose = _one_step(
    registration_services.registration_propose,
    lambda user, registration: can_propose_registration(user),
    gettext_lazy("The registration has been proposed for the award."),
)


@login_required
@require_POST
def registration_not_awarded(request: HttpRequest, pk: int) -> HttpResponse:
    registration = registration_for_user(request, pk)
    require(can_record_not_awarded(request.user))
    form = NotAwardedForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, registration, not_awarded_form=form)
    return _act(
        request,
        registration,
        lambda: registration_services.registration_not_awarded(
            registration=registration, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The registration has been recorded as not awarded."),
    )


# --- a campaign's registrations --------------------------------------------------------------------


@login_required
def campaign_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request, pk)
    registrations = registrations_seen_by(request.user, campaign)
    form = CampaignRegistrationFilterForm(request.GET, titles=list(titles_of(registrations)))
    form.is_valid()
    status, title = form.cleaned_data.get("status"), form.cleaned_data.get("title")
    shown = filtered_for_list(registrations, campaign.year, status=status, title=title)
    day = year_reference_day(campaign.year)
    context = {
        "campaign": campaign,
        "region_name": region_name_on(campaign.region, day),
        "form": form,
        "counts": status_counts(registrations),
        "status": status,
        "page": paginate(request, shown),
        "can_review": can_review_registrations(request.user, campaign),
    }
    return render(request, "awards/campaign_registrations.html", context)


@login_required
@require_POST
def campaign_registrations_approve(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request, pk)
    require(can_review_registrations(request.user, campaign))
    back = reverse("awards:campaign_registrations", args=[campaign.pk])
    if request.GET:
        back = f"{back}?{request.GET.urlencode()}"
    submitted = submitted_in(campaign)
    form = BulkApproveForm(request.POST, submitted_ids=list(submitted.values_list("pk", flat=True)))
    if not form.is_valid():
        for error in form.errors.get("registrations", []):
            messages.error(request, error)
        return redirect(back)
    approved = 0
    for registration in submitted.filter(pk__in=form.cleaned_data["registrations"]).select_related("unit"):
        try:
            registration_services.registration_approve(registration=registration, actor=request.user)
        except AwardsError as error:
            messages.error(request, f"{registration.unit.name}: {error.message}")
        else:
            approved += 1
    if approved:
        done = ngettext(
            "%(count)s registration has been approved.", "%(count)s registrations have been approved.", approved
        )
        messages.success(request, done % {"count": approved})
    return redirect(back)


urlpatterns = [
    path("awards/registrations/", my_registrations, name="my_registrations"),
    path("awards/registrations/new/", registration_create, name="registration_create"),
    path("awards/registrations/<int:pk>/", registration_detail, name="registration_detail"),
    path("awards/registrations/<int:pk>/edit/", registration_edit, name="registration_edit"),
    path("awards/registrations/<int:pk>/submit/", registration_submit, name="registration_submit"),
    path("awards/registrations/<int:pk>/withdraw/", registration_withdraw, name="registration_withdraw"),
    path("awards/registrations/<int:pk>/approve/", registration_approve, name="registration_approve"),
    path("awards/registrations/<int:pk>/return/", registration_return, name="registration_return"),
    path("awards/registrations/<int:pk>/propose/", registration_propose, name="registration_propose"),
    path("awards/registrations/<int:pk>/not-awarded/", registration_not_awarded, name="registration_not_awarded"),
    path("campaigns/<int:pk>/registrations/", campaign_registrations, name="campaign_registrations"),
    path(
        "campaigns/<int:pk>/registrations/approve/",
        campaign_registrations_approve,
        name="campaign_registrations_approve",
    ),
]
