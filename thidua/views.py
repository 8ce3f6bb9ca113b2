"""Project-wide views: the home dashboard, liveness (/healthz) and readiness (/readyz)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health
from .dashboard import dashboard_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"dashboard": dashboard_for(request.user)})


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. It touches no dependency, so an outage elsewhere never makes a
    supervisor restart a process that is itself fine."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: each dependency's state; 503 only when this node cannot serve pages (the broker
    being down leaves it "degraded", 200)."""
    status, checks = health.readiness()
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "error" else 200)
