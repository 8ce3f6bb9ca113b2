"""Re-authentication ("confirm your password to continue") before sensitive actions.

A view decorated with ``reauth_required`` runs only if the user confirmed their password within
the last ``settings.REAUTH_MINUTES`` minutes; otherwise the user is sent to confirm it and brought
back. Signing a pact uses it (OWASP ASVS 5.0, 7.5.3).

It also refuses a session that still needs two-factor sign-in (a person with a device who has not entered a
code, or one whose role requires two-factor sign-in and who has no device): accounts.middleware sends such a
session to that step on every page already; this second check keeps the rule on the sensitive actions
themselves, and refuses a posted action with a clear message instead of losing it in a redirect.
"""

import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

SESSION_KEY = "reauth_at"


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = int(time.time())


def reauth_is_fresh(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(SESSION_KEY)
    if not isinstance(confirmed_at, int):
        return False
    return 0 <= time.time() - confirmed_at < settings.REAUTH_MINUTES * 60


def redirect_to_reauth(request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('accounts:confirm_password')}?{query}")


def reauth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Imported here: the two-factor rules read the accounts' services, which views import with this module.
        from .middleware import step_url
        from .two_factor import Need, session_need

        need = session_need(request.user)
        if need is not Need.NOTHING:
            if request.method == "POST":
                context = {"need": need.value, "step_url": step_url(need)}
                return render(request, "accounts/two_factor/required.html", context, status=403)
            return redirect(step_url(need, request.get_full_path()))
        if not reauth_is_fresh(request):
            return redirect_to_reauth(request)
        return view(request, *args, **kwargs)

    return wrapper
