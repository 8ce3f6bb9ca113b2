"""Signing progress: per pact (with "remind now"), per region-year campaign, and for the whole country."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.pages import page_bounds, page_of_count, paginate, require
from regions.models import FIRST_YEAR, LAST_YEAR
from regions.selectors import region_name_on, year_reference_day

from .. import permissions, selectors, services
from ..audit import RequestInfo
from ..errors import PactError
from ..models import Pact
from ..signing_forms import StatusFilterForm
from .access import campaign_for_user, pact_for_user


def _status_filter(request: HttpRequest) -> tuple[StatusFilterForm, str]:
    form = StatusFilterForm(request.GET if "status" in request.GET else None)
    return form, form.cleaned_data["status"] if form.is_valid() else ""


def _status_summary(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(value, str(label), counts.get(value, 0)) for value, label in Pact.Status.choices]


# The progress page shows this many units of each list (signed, not signed yet) at a time.
PROGRESS_PAGE_SIZE = 50


@dataclass
class ProgressPage:
    """What the page shows: the counts of the whole pact, and one page of each list."""

    total: int
    signed_count: int
    pending_count: int
    signed: list[selectors.SlotProgress]
    pending: list[selectors.SlotProgress]

    @property
    def percent(self) -> int:
        return round(100 * self.signed_count / self.total) if self.total else 0


@require_GET
@login_required
def pact_progress(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, pacts=selectors.pacts_for_progress())
    today = timezone.localdate()
    user = request.user
    # The two lists split the signatory units (a signature is a signatory unit's, one per unit), counted
    # first: each list reads its page only.
    signed_count, total = selectors.signature_counts(pact)
    pending_count = total - signed_count
    signed_page = page_of_count(request, signed_count, PROGRESS_PAGE_SIZE, param="signed_page")
    pending_page = page_of_count(request, pending_count, PROGRESS_PAGE_SIZE)
    signed = selectors.pact_signatures_in_order(pact)[slice(*page_bounds(signed_page))] if signed_count else []
    progress = ProgressPage(
        total=total,
        signed_count=signed_count,
        pending_count=pending_count,
        signed=selectors.signed_rows(list(signed)),
        pending=selectors.pending_page(pact, today, *page_bounds(pending_page)) if pending_count else [],
    )
    overdue = bool(pact.status == Pact.Status.OPEN and pact.deadline and pact.deadline < timezone.now())
    signable = pact.status == Pact.Status.OPEN and not overdue
    # The units the viewer may sign for, wherever their page is; the signing page decides again.
    mine = selectors.pending_slots_of_signer(pact, user, today) if signable else []
    shown = {row.slot.unit_id for row in progress.pending}
    context = {
        "pact": pact,
        "region_name": region_name_on(pact.campaign.region, year_reference_day(pact.campaign.year)),
        "progress": progress,
        "signed_page": signed_page,
        "pending_page": pending_page,
        "signed_offset": signed_page.start_index() - 1 if signed_page.object_list else 0,
        "overdue": overdue,
        "signable_unit_ids": {slot.unit_id for slot in mine},
        "mine_elsewhere": [slot for slot in mine if slot.unit_id not in shown],
        "show_addresses": permissions.can_see_signer_addresses(user),
        "can_remind": permissions.can_remind(user, pact),
        "can_view_audit": permissions.can_view_audit(user, pact),
        "can_view_campaign": permissions.can_view_campaign(user, pact.campaign),
    }
    return render(request, "pacts/progress_pact.html", context)


@require_POST
@login_required
def pact_remind(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=permissions.can_manage_pact)
    try:
        count = services.pact_remind(pact=pact, actor=request.user, info=RequestInfo.from_request(request))
    except PactError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "The reminder to the leaders of %(count)s unit that has not signed is queued and will be "
                "e-mailed shortly.",
                "The reminder to the leaders of %(count)s units that have not signed is queued and will be "
                "e-mailed shortly.",
                count,
            )
            % {"count": count},
        )
    return redirect("pacts:pact_progress", pk=pact.pk)


@require_GET
@login_required
def campaign_progress(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_for_user(request, campaign_pk)
    form, status = _status_filter(request)
    context = {
        "campaign": campaign,
        "year": campaign.year,
        "region_name": region_name_on(campaign.region, year_reference_day(campaign.year)),
        "form": form,
        "pacts": list(selectors.pacts_with_progress(campaign.year, campaign=campaign, status=status)),
        "counts": _status_summary(selectors.pact_status_counts(campaign.year, campaign=campaign)),
    }
    return render(request, "pacts/progress_campaign.html", context)


@require_GET
@login_required
def national_progress_now(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_national_progress(request.user))
    return redirect("pacts:national_progress", year=timezone.localdate().year)


@require_GET
@login_required
def national_progress(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    require(permissions.can_view_national_progress(request.user))
    form, status = _status_filter(request)
    context = {
        "year": year,
        "years": sorted({*selectors.campaign_years(), year}),
        "form": form,
        "page": paginate(request, selectors.pacts_with_progress(year, status=status)),
        "counts": _status_summary(selectors.pact_status_counts(year)),
    }
    return render(request, "pacts/progress_national.html", context)


urlpatterns = [
    path("pacts/<int:pk>/progress/", pact_progress, name="pact_progress"),
    path("pacts/<int:pk>/remind/", pact_remind, name="pact_remind"),
    path("campaigns/<int:campaign_pk>/progress/", campaign_progress, name="campaign_progress"),
    path("pacts/progress/", national_progress_now, name="national_progress_now"),
    path("pacts/progress/<int:year>/", national_progress, name="national_progress"),
]
