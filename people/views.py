"""Pages of the people area, for ministry staff and administrators: the list, a person, invite, change,
deactivate and reactivate, send the invitation again."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import services, two_factor
from accounts.client import client_ip
from accounts.models import AccountEvent, Role, User
from accounts.permissions import can_change_account, can_manage_people
from accounts.reauth import reauth_is_fresh, redirect_to_reauth
from core.pages import paginate, posted, require, show_error
from core.throttle import throttle_count, throttled_response

from . import selectors
from .forms import PeopleFilterForm, PersonCreateForm, PersonForm, ReasonForm, unit_label

FIELD_LABELS = {
    "full_name": gettext_lazy("Full name"),
    "email": gettext_lazy("E-mail"),
    "position": gettext_lazy("Position"),
    "unit": gettext_lazy("Unit"),
}


def _person(request: HttpRequest, pk: int, *, change: bool = False) -> User:
    """The account for this user: 404 if there is none, 403 if they may not change it (an administrator's)."""
    require(can_manage_people(request.user))
    account = get_object_or_404(User.objects.select_related("unit", "unit__province", "invitation"), pk=pk)
    if change:
        require(can_change_account(request.user, account))
    return account


def _decorate(account: User) -> User:
    """What a row or a page shows of an account besides its fields."""
    account.role_list = selectors.roles_held(account)
    account.unit_label = unit_label(account.unit) if account.unit else ""
    invitation = getattr(account, "invitation", None)
    account.pending_invitation = invitation if invitation and invitation.accepted_at is None else None
    if account.pending_invitation:
        account.invitation_expired = invitation.expires_at < timezone.now()
    return account


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    require(can_manage_people(request.user))
    form = PeopleFilterForm(request.GET)
    today = timezone.localdate()
    page = paginate(request, selectors.people_for_list(today=today, **form.filters()))
    people = [_decorate(account) for account in page.object_list]
    for account in people:
        for appointment in account.current_appointments:
            appointment.unit_label = unit_label(appointment.unit)
    context = {"form": form, "page": page, "people": people, "today": today}
    return render(request, "people/person_list.html", context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _decorate(_person(request, pk))
    today = timezone.localdate()
    appointments = selectors.current_appointments(account, today)
    for appointment in appointments:
        appointment.unit_label = unit_label(appointment.unit)
    events = AccountEvent.objects.filter(user=account).select_related("actor")[:50]
    for event in events:
        event.role_changes = [[r.label for r in Role if r.value in codes] for codes in event.changes.get("roles", [])]
        event.field_changes = [
            (FIELD_LABELS[field], *values) for field, values in event.changes.items() if field in FIELD_LABELS
        ]
    context = {
        "account": account,
        "appointments": appointments,
        "events": events,
        "can_change": can_change_account(request.user, account),
        "can_invite": services.invitation_can_be_sent(account),
        "is_self": account.pk == request.user.pk,
        "two_factor": two_factor.status_of(account),
    }
    return render(request, "people/person_detail.html", context)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require(can_manage_people(request.user))
    if not reauth_is_fresh(request):
        return redirect_to_reauth(request)
    form = PersonCreateForm(posted(request), actor=request.user, today=timezone.localdate())
    if form.is_bound and form.is_valid():
        try:
            account = services.user_invite(actor=request.user, ip=client_ip(request), **form.cleaned_data)
        except services.AccountsError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("The account of %(name)s has been created and an invitation sent to %(email)s.")
                % {"name": account.full_name, "email": account.email},
            )
            return redirect("people:person_detail", pk=account.pk)
    context = {"form": form, "account": None, "invitation_days": settings.INVITATION_DAYS}
    return render(request, "people/person_form.html", context)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _person(request, pk, change=True)
    if not reauth_is_fresh(request):
        return redirect_to_reauth(request)
    initial = {
        "full_name": account.full_name,
        "email": account.email,
        "position": account.position,
        "unit": account.unit,
        "roles": [role.value for role in selectors.roles_held(account)],
    }
    form = PersonForm(posted(request), initial=initial, actor=request.user, account=account, today=timezone.localdate())
    if form.is_bound and form.is_valid():
        try:
            changes = services.user_update(
                actor=request.user, account=account, ip=client_ip(request), **form.cleaned_data
            )
        except services.AccountsError as error:
            show_error(form, error)
        else:
            if not changes:
                messages.info(request, _("Nothing was changed."))
            elif "email" in changes and services.invitation_can_be_sent(account) and hasattr(account, "invitation"):
                messages.success(request, _("Saved. The invitation has been sent again, to the new address."))
            else:
                messages.success(request, _("The changes have been saved."))
            return redirect("people:person_detail", pk=account.pk)
    return render(request, "people/person_form.html", {"form": form, "account": account})


def _status_change(request: HttpRequest, pk: int, *, deactivate: bool) -> HttpResponse:
    account = _person(request, pk, change=True)
    if not reauth_is_fresh(request):
        return redirect_to_reauth(request)
    form = ReasonForm(posted(request))
    if form.is_bound and form.is_valid():
        change = services.user_deactivate if deactivate else services.user_reactivate
        try:
            change(actor=request.user, account=account, reason=form.cleaned_data["reason"], ip=client_ip(request))
        except services.AccountsError as error:
            show_error(form, error)
        else:
            done = (
                _("%(name)s's account has been deactivated.")
                if deactivate
                else _("%(name)s's account is active again.")
            )
            messages.success(request, done % {"name": account.full_name})
            return redirect("people:person_detail", pk=account.pk)
    context = {
        "form": form,
        "account": _decorate(account),
        "deactivate": deactivate,
        "is_self": account.pk == request.user.pk,
    }
    return render(request, "people/person_status.html", context)


@login_required
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(request, pk, deactivate=True)


@login_required
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(request, pk, deactivate=False)


@login_required
def person_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff remove a person's two-step sign-in (a lost phone), with the reason, kept in the history."""
    account = _person(request, pk, change=True)
    if not reauth_is_fresh(request):
        return redirect_to_reauth(request)
    form = ReasonForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            two_factor.two_factor_reset(
                actor=request.user, account=account, reason=form.cleaned_data["reason"], ip=client_ip(request)
            )
        except services.AccountsError as error:
            show_error(form, error)
        else:
            messages.success(request, _("%(name)s's two-step sign-in has been reset.") % {"name": account.full_name})
            return redirect("people:person_detail", pk=account.pk)
    context = {
        "form": form,
        "account": _decorate(account),
        "two_factor": two_factor.status_of(account),
        "is_self": account.pk == request.user.pk,
    }
    return render(request, "people/person_two_factor_reset.html", context)


@login_required
@require_POST
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Sends the invitation (again): a new link, the one before dead. A few an hour per account at most."""
    account = _person(request, pk, change=True)
    retry_after = throttle_count("invitation-send", str(account.pk), settings.INVITATION_RESENDS_PER_ACCOUNT)
    if retry_after is not None:
        return throttled_response(request, retry_after)
    try:
        services.invitation_send(actor=request.user, account=account, ip=client_ip(request))
    except services.AccountsError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("A new invitation has been sent to %(email)s; the link sent before no longer works.")
            % {"email": account.email},
        )
    return redirect("people:person_detail", pk=account.pk)
