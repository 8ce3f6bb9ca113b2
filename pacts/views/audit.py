"""The audit trail of a pact: a paginated page and its .xlsx export, for those who may read it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.pages import paginate
from core.text import ascii_slug
from core.xlsx import xlsx_response
from regions.selectors import region_name_on, year_reference_day

from .. import excel, permissions, selectors
from ..models import Pact
from ..signing_forms import AuditFilterForm
from .access import pact_for_user


def _region_name(pact: Pact) -> str:
    return region_name_on(pact.campaign.region, year_reference_day(pact.campaign.year))


@require_GET
@login_required
def pact_audit(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=permissions.can_view_audit)
    form = AuditFilterForm(request.GET if "action" in request.GET else None)
    action = form.cleaned_data["action"] if form.is_valid() else ""
    context = {
        "pact": pact,
        "region_name": _region_name(pact),
        "form": form,
        "page": paginate(request, selectors.audit_events_of(pact, action=action)),
        "can_view_progress": permissions.can_view_pact(request.user, pact),
    }
    return render(request, "pacts/audit_list.html", context)


@require_GET
@login_required
def pact_audit_export(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=permissions.can_view_audit)
    events = selectors.audit_events_of(pact).iterator(chunk_size=2000)
    content = excel.audit_workbook(pact=pact, region_name=_region_name(pact), events=events)
    filename = f"nhat-ky-{ascii_slug(pact.title)[:60]}-{pact.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(content, filename)


urlpatterns = [
    path("pacts/<int:pk>/audit/", pact_audit, name="pact_audit"),
    path("pacts/<int:pk>/audit.xlsx", pact_audit_export, name="pact_audit_export"),
]
