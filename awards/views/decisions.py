"""Award decisions (quyết định khen thưởng): the list, recording one, and what a decision awards.

Ministry staff record decisions; they and administrators read them. A decision awards registrations
of one year and title: approved ones, or, for a title proposed by the region's vote, the proposed one.
"""

from dataclasses import dataclass
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import ngettext

from core.pages import paginate, posted, require, show_error

from ..errors import AwardsError
from ..forms.decisions import DEFAULT_ISSUER, DecisionFilterForm, DecisionForm, DecisionStartForm
from ..models import AwardRegistration
from ..permissions import can_record_decisions, can_view_decisions
from ..selectors.decisions import candidates, decision_years, decisions_with_counts
from ..services.decisions import decision_record
from .access import decision_for_user

Status = AwardRegistration.Status


@dataclass
class RegionGroup:
    name: str
    rows: list[AwardRegistration]


def by_region(rows: list[AwardRegistration]) -> list[RegionGroup]:
    return [
        RegionGroup(name=name, rows=list(group))
        for (_region_id, name), group in groupby(rows, key=lambda row: (row.campaign.region_id, row.region_name_on_day))
    ]


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    require(can_view_decisions(request.user))
    form = DecisionFilterForm(request.GET)
    form.is_valid()
    decisions = decisions_with_counts()
    year = form.cleaned_data.get("year")
    if year:
        decisions = decisions.filter(signed_on__year=year)
    context = {
        "form": form,
        "page": paginate(request, decisions),
        "year": year,
        "years": decision_years(),
        "can_record": can_record_decisions(request.user),
    }
    return render(request, "awards/decision_list.html", context)


@login_required
def decision_create(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET without a title): which year and title; step 2: the registrations and the decision."""
    require(can_record_decisions(request.user))
    # Decisions usually come the year after the achievement; "choose another title" keeps the year.
    year_asked = request.GET.get("year", "")
    initial_year = int(year_asked) if year_asked.isdigit() else timezone.localdate().year - 1
    start = DecisionStartForm(request.GET if "title" in request.GET else None, initial={"year": initial_year})
    if not (start.is_bound and start.is_valid()):
        return render(request, "awards/decision_start.html", {"form": start})
    year, title = start.cleaned_data["year"], start.cleaned_data["title"]
    rows = candidates(year, title)
    form = DecisionForm(
        posted(request),
        awardable_ids=[row.pk for row in rows if row.awardable],
        initial={"issuer": title.granting_authority or DEFAULT_ISSUER},
    )
    if form.is_bound and form.is_valid():
        chosen_ids = set(form.cleaned_data["registrations"])
        try:
            decision = decision_record(
                number=form.cleaned_data["number"],
                signed_on=form.cleaned_data["signed_on"],
                issuer=form.cleaned_data["issuer"],
                summary=form.cleaned_data["summary"],
                actor=request.user,
                registrations=[row for row in rows if row.pk in chosen_ids],
            )
        except AwardsError as error:
            show_error(form, error)
        else:
            count = len(chosen_ids)
            done = ngettext(
                "Decision %(number)s has been recorded: %(count)s registration awarded.",
                "Decision %(number)s has been recorded: %(count)s registrations awarded.",
                count,
            )
            messages.success(request, done % {"number": decision.number, "count": count})
            return redirect("awards:decision_detail", pk=decision.pk)
    chosen = form.chosen_ids()
    for row in rows:
        row.checked = row.pk in chosen
    context = {
        "form": form,
        "year": year,
        "award_title": title,
        "groups": by_region(rows),
        "awardable_count": sum(1 for row in rows if row.awardable),
    }
    return render(request, "awards/decision_form.html", context)


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = decision_for_user(request, pk)
    awards = decision.awards.select_related("title").order_by("title__position", "title__name", "recipient_name")
    return render(request, "awards/decision_detail.html", {"decision": decision, "awards": list(awards)})


urlpatterns = [
    path("awards/decisions/", decision_list, name="decision_list"),
    path("awards/decisions/new/", decision_create, name="decision_create"),
    path("awards/decisions/<int:pk>/", decision_detail, name="decision_detail"),
]
