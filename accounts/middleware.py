"""Two-factor sign-in, enforced on every page: after the password, a session that still needs the code (or an
enrolment, when the person's role requires two-factor sign-in) reaches only that step, the log-out and the
language switch. Installed right after django-otp's OTPMiddleware, which tells whether the session is verified."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .two_factor import Need, session_need

# The pages each need leaves open, by URL name (besides the one step itself).
ALWAYS_OPEN = ("accounts:logout", "set_language", "healthz", "readyz")
STEP_PAGES = {
    Need.VERIFY: ("accounts:two_factor_verify",),
    Need.ENROL: ("accounts:two_factor_enrol", "accounts:recovery_codes", "accounts:recovery_codes_download"),
}
STEP_OF = {Need.VERIFY: "accounts:two_factor_verify", Need.ENROL: "accounts:two_factor_enrol"}


def step_url(need: Need, next_url: str = "") -> str:
    """The page of the step a session needs, bringing the person back to ``next_url`` after it."""
    url = reverse(STEP_OF[need])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: dict[Need, frozenset[str]] | None = None

    def _open_paths(self) -> dict[Need, frozenset[str]]:
        if self._open is None:
            always = {reverse(name) for name in ALWAYS_OPEN}
            self._open = {
                need: frozenset(always | {reverse(name) for name in names}) for need, names in STEP_PAGES.items()
            }
        return self._open

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            need = session_need(user)
            if need is not Need.NOTHING and request.path not in self._open_paths()[need]:
                next_url = request.get_full_path() if request.method == "GET" else ""
                return redirect(step_url(need, next_url))
        return self.get_response(request)
