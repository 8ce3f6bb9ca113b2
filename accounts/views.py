"""Views of the accounts app: log-in and lockout, password confirmation, the profile."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.throttle import throttled_response

from .forms import ConfirmPasswordForm, EmailPasswordResetForm, LoginForm, ProfileForm
from .reauth import mark_reauthenticated, reauth_required
from .signals import reauth_failed
from .throttling import login_failure_count, login_wait, password_reset_wait


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
    return render(request, "accounts/profile.html", {"account": request.user})


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
