"""Pages of two-step sign-in: its state on the person's account, enrolment, recovery codes, the code after the
password, turning it off, and the policy per role (ministry staff and administrators)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.pages import posted, require, show_error
from core.throttle import throttle_count, throttle_wait, throttled_response

from . import two_factor
from .client import client_ip
from .models import User
from .permissions import can_manage_people
from .reauth import reauth_is_fresh, reauth_required, redirect_to_reauth
from .services import AccountsError, _security_record
from .two_factor import Need, session_need
from .two_factor_forms import CodeForm, DisableForm, EnrolForm, PolicyForm
from .views import _safe_next

NEW_CODES_SESSION_KEY = "two_factor_new_codes"
THROTTLE_SCOPE = "two-factor-failures"


def _wait_before_code(request: HttpRequest) -> HttpResponse | None:
    """The 429 page when this account's wrong codes are past their rate, else None."""
    retry_after = throttle_wait(THROTTLE_SCOPE, str(request.user.pk), settings.THROTTLE_TWO_FACTOR_FAILURES_PER_ACCOUNT)
    return throttled_response(request, retry_after) if retry_after is not None else None


def _count_wrong_code(request: HttpRequest, event: str) -> None:
    throttle_count(THROTTLE_SCOPE, str(request.user.pk), settings.THROTTLE_TWO_FACTOR_FAILURES_PER_ACCOUNT)
    _security_record(event, actor=request.user, account=request.user, ip=client_ip(request))


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes: wait %(seconds)d second and try again.",
        "Too many wrong codes: wait %(seconds)d seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


def _verified(request: HttpRequest, device) -> None:
    """The session is verified with this device, under a new session key (as a log-in gives one)."""
    request.session.cycle_key()
    otp_login(request, device)
    two_factor.forget_need(request.user)


@require_GET
@login_required
def two_factor_home(request: HttpRequest) -> HttpResponse:
    context = {"status": two_factor.status_of(request.user)}
    return render(request, "accounts/two_factor/status.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = _safe_next(request)
    if two_factor.has_two_factor(user):
        messages.info(request, _("Two-step sign-in is on already for your account."))
        return redirect("accounts:two_factor")
    forced = session_need(user) is Need.ENROL
    # Turning it on by choice, in a session opened earlier, needs the password again; right after the password
    # (a role that requires it) it does not.
    if not forced and not reauth_is_fresh(request):
        return redirect_to_reauth(request)
    device = two_factor.enrolment_device(user)
    form = EnrolForm(posted(request))
    if form.is_bound:
        throttled = _wait_before_code(request)
        if throttled is not None:
            return throttled
        if form.is_valid():
            wait = two_factor.device_wait_seconds(device)
            if wait:
                form.add_error("code", _wait_message(wait))
            else:
                try:
                    codes = two_factor.enrol_confirm(
                        user=user, device=device, code=form.cleaned_data["code"], ip=client_ip(request)
                    )
                except AccountsError as error:
                    _count_wrong_code(request, "two_factor_enrol_code_refused")
                    show_error(form, error)
                else:
                    device.refresh_from_db()
                    _verified(request, device)
                    request.session[NEW_CODES_SESSION_KEY] = codes
                    messages.success(request, _("Two-step sign-in is on. Keep your recovery codes now."))
                    return redirect(f"{reverse('accounts:recovery_codes')}?{urlencode({'next': next_url})}")
    context = {
        "form": form,
        "next": next_url,
        "forced": forced,
        "qr": two_factor.qr_data_uri(device),
        "secret": two_factor.secret_text(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "username": user.get_username(),
    }
    return render(request, "accounts/two_factor/enrol.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once: kept in the session until the person says they are saved."""
    codes = request.session.get(NEW_CODES_SESSION_KEY)
    if request.method == "POST":
        request.session.pop(NEW_CODES_SESSION_KEY, None)
        if codes:
            messages.success(request, _("Two-step sign-in is ready."))
        return redirect(_safe_next(request))
    if not codes:
        messages.info(request, _("Recovery codes are shown only once. If you have lost them, make new ones."))
        return redirect("accounts:two_factor")
    context = {"codes": codes, "next": _safe_next(request), "username": request.user.get_username()}
    return render(request, "accounts/two_factor/recovery_codes.html", context)


@never_cache
@require_GET
@login_required
def recovery_codes_download(request: HttpRequest) -> HttpResponse:
    codes = request.session.get(NEW_CODES_SESSION_KEY)
    if not codes:
        messages.info(request, _("Recovery codes are shown only once. If you have lost them, make new ones."))
        return redirect("accounts:two_factor")
    lines = [
        _("Recovery codes of %(username)s, %(issuer)s")
        % {"username": request.user.get_username(), "issuer": settings.OTP_TOTP_ISSUER},
        _("Each code works once, in place of the OTP code, when you cannot use your phone."),
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\r\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="recovery-codes-{request.user.pk}.txt"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@reauth_required
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    if not two_factor.has_two_factor(request.user):
        messages.info(request, _("Two-step sign-in is off: turn it on first."))
        return redirect("accounts:two_factor")
    if request.method == "POST":
        codes = two_factor.recovery_codes_renew(user=request.user, ip=client_ip(request))
        request.session[NEW_CODES_SESSION_KEY] = codes
        messages.success(request, _("New recovery codes are made; the old ones no longer work."))
        return redirect("accounts:recovery_codes")
    context = {"left": two_factor.recovery_codes_left(request.user)}
    return render(request, "accounts/two_factor/renew.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the log-in: a code of the app, or a recovery code (then used up)."""
    next_url = _safe_next(request)
    if session_need(request.user) is not Need.VERIFY:
        return redirect(next_url)
    form = CodeForm(posted(request))
    if form.is_bound:
        throttled = _wait_before_code(request)
        if throttled is not None:
            return throttled
        if form.is_valid():
            code = form.cleaned_data["code"]
            wait = two_factor.verify_wait_seconds(request.user, code)
            if wait:
                form.add_error("code", _wait_message(wait))
            else:
                device = two_factor.code_check(user=request.user, code=code, ip=client_ip(request))
                if device is not None:
                    _verified(request, device)
                    if isinstance(device, StaticDevice):
                        left = two_factor.recovery_codes_left(request.user)
                        messages.warning(
                            request,
                            ngettext(
                                "You logged in with a recovery code, which no longer works. %(left)d code is left: "
                                "make new ones from your account if your phone is lost.",
                                "You logged in with a recovery code, which no longer works. %(left)d codes are left: "
                                "make new ones from your account if your phone is lost.",
                                left,
                            )
                            % {"left": left},
                        )
                    return redirect(next_url)
                _count_wrong_code(request, "two_factor_code_refused")
                form.add_error(
                    "code", _("This code is not right, or was used already. Enter the code the app shows now.")
                )
    return render(request, "accounts/two_factor/verify.html", {"form": form, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not two_factor.has_two_factor(user):
        messages.info(request, _("Two-step sign-in is off already."))
        return redirect("accounts:two_factor")
    required = two_factor.is_required_for(user)
    form = DisableForm(None if required else posted(request), request=request)
    if form.is_bound:
        throttled = _wait_before_code(request)
        if throttled is not None:
            return throttled
        if form.is_valid():
            code = form.cleaned_data["code"]
            wait = two_factor.verify_wait_seconds(user, code)
            if wait:
                form.add_error("code", _wait_message(wait))
            elif two_factor.code_check(user=user, code=code, ip=client_ip(request)) is None:
                _count_wrong_code(request, "two_factor_disable_code_refused")
                form.add_error(
                    "code", _("This code is not right, or was used already. Enter the code the app shows now.")
                )
            else:
                try:
                    two_factor.two_factor_disable(user=user, ip=client_ip(request))
                except AccountsError as error:
                    show_error(form, error)
                else:
                    messages.success(request, _("Two-step sign-in is off. You log in with your password alone."))
                    return redirect("accounts:two_factor")
    return render(request, "accounts/two_factor/disable.html", {"form": form, "required": required})


def _people_without_two_factor() -> dict[str, int]:
    """For each role, how many of its active holders have not turned two-step sign-in on."""
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    counts = {}
    for row in two_factor.policy():
        holders = User.objects.filter(is_active=True, groups__name=row["role"].value)
        counts[row["role"].value] = holders.filter(~Exists(enrolled)).distinct().count()
    return counts


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def two_factor_policy(request: HttpRequest) -> HttpResponse:
    """Which roles must use two-step sign-in: ministry staff and administrators, after their password."""
    require(can_manage_people(request.user))
    if not reauth_is_fresh(request):
        return redirect_to_reauth(request)
    rows = two_factor.policy()
    initial = {"roles": [row["role"].value for row in rows if row["required"]]}
    form = PolicyForm(posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            changed = two_factor.policy_set(
                actor=request.user, required=form.cleaned_data["roles"], ip=client_ip(request)
            )
        except AccountsError as error:
            show_error(form, error)
        else:
            if changed:
                messages.success(request, _("Saved. The people concerned are asked at their next page."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("accounts:two_factor_policy")
    without = _people_without_two_factor()
    for row in rows:
        row["without"] = without[row["role"].value]
    return render(request, "accounts/two_factor/policy.html", {"form": form, "rows": rows})
