"""Views of the accounts app: log-in and lockout, password confirmation, the profile, accepting an invitation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.pages import posted, show_error
from core.throttle import throttled_response

from .client import client_ip
from .forms import ConfirmPasswordForm, EmailPasswordResetForm, LoginForm, ProfileForm
from .invitations import LinkState, invited_user, link_state
from .middleware import step_url
from .models import Role
from .permissions import roles_of
from .reauth import mark_reauthenticated, reauth_required
from .services import AccountsError
from .services import invitation_accept as invitation_accept_service
from .signals import reauth_failed
from .throttling import login_failure_count, login_wait, password_reset_wait
from .two_factor import Need, session_need, status_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Past the address's ceiling of failures, no password is even checked, whatever the username.
        retry_after = login_wait(request)
        if retry_after is not None:
            return throttled_response(request, retry_after)
        return super().post(request, *args, **kwargs)

    def get_success_url(self) -> str:
        # After the password, a person with two-factor sign-in (or whose role requires it) takes that step first.
        url = super().get_success_url()
        need = session_need(self.request.user)
        return url if need is Need.NOTHING else step_url(need, url)

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        login_failure_count(self.request)
        return super().form_invalid(form)


def lockout(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """What django-axes shows a locked-out attempt: the log-in page with a neutral message.

    The same words whether or not the account exists, so the page reveals nothing.
    """
    context = {"form": LoginForm(request), "locked_out": True}
    return render(request, "accounts/login.html", context, status=429)


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return reverse("home")


@login_required
def confirm_password(request: HttpRequest) -> HttpResponse:
    form = ConfirmPasswordForm(request.POST or None, request=request)
    if request.method == "POST":
        if form.is_valid():
            mark_reauthenticated(request)
            return redirect(_safe_next(request))
        reauth_failed.send(sender=None, request=request, next_url=_safe_next(request))
    return render(request, "accounts/confirm_password.html", {"form": form, "next": _safe_next(request)})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    context = {"account": request.user, "two_factor": status_of(request.user)}
    return render(request, "accounts/profile.html", context)


@reauth_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail address has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = EmailPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: EmailPasswordResetForm) -> HttpResponse:
        retry_after = password_reset_wait(self.request, form.cleaned_data["email"])
        if retry_after is not None:
            return throttled_response(self.request, retry_after)  # before any e-mail is written
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# ---------------------------------------------------------------------------------------------
# Invitations: the link mailed to a new account, to set its own password
# ---------------------------------------------------------------------------------------------

INVITATION_SESSION_KEY = "invitation_token"
# The token leaves the address bar (and any Referer) at once, as Django's password reset does.
INVITATION_SET_PASSWORD = "set-password"  # noqa: S105 - a path segment, not a password
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _invitation_refused(request: HttpRequest, account, state: LinkState) -> HttpResponse:
    invitation = getattr(account, "invitation", None) if account else None
    context = {
        "expired": state is LinkState.EXPIRED,
        "accepted": invitation is not None and invitation.accepted_at is not None,
        "inviter": invitation.invited_by if invitation else None,
        "days": settings.INVITATION_DAYS,
    }
    gone = context["expired"] or context["accepted"]
    return render(request, "accounts/invitation_invalid.html", context, status=410 if gone else 404)


def invitation_accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    account = invited_user(uidb64)
    if token == INVITATION_SET_PASSWORD:
        token = request.session.get(INVITATION_SESSION_KEY, "")
    elif link_state(account, token) is LinkState.VALID:
        request.session[INVITATION_SESSION_KEY] = token
        return redirect("accounts:invitation_accept", uidb64=uidb64, token=INVITATION_SET_PASSWORD)
    state = link_state(account, token)
    if state is not LinkState.VALID:
        return _invitation_refused(request, account, state)
    form = SetPasswordForm(account, posted(request))
    if form.is_bound and form.is_valid():
        try:
            # The account as saved: the session is bound to its new password's hash.
            account = invitation_accept_service(
                account=account, token=token, password=form.cleaned_data["new_password1"], ip=client_ip(request)
            )
        except AccountsError as error:
            show_error(form, error)
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            login(request, account, backend=LOGIN_BACKEND)
            messages.success(request, _("Your password is saved and you are logged in."))
            return redirect("accounts:invitation_welcome")
    context = {"form": form, "account": account, "expires_at": account.invitation.expires_at}
    return render(request, "accounts/invitation_accept.html", context)


@login_required
def invitation_welcome(request: HttpRequest) -> HttpResponse:
    """What the new account may do, role by role, and whom to ask for what is missing."""
    roles = [Role(code) for code in Role.values if code in roles_of(request.user)]
    return render(request, "accounts/invitation_welcome.html", {"roles": roles, "account": request.user})
