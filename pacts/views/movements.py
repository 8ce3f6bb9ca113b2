"""The list of emulation movements (phong trào thi đua) campaigns choose from, for ministry staff and
administrators: the list with its search, create, edit, and delete a movement no campaign uses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.pages import paginate, posted, require, show_error

from .. import movements as service
from ..audit import RequestInfo
from ..errors import PactError
from ..forms import MovementFilterForm, MovementForm
from ..models import Movement
from ..permissions import can_manage_movements


@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    require(can_manage_movements(request.user))
    form = MovementFilterForm(request.GET)
    page = paginate(request, service.movements_for_list(q=form.query()))
    return render(request, "pacts/movement_list.html", {"form": form, "page": page})


@login_required
def movement_create(request: HttpRequest) -> HttpResponse:
    require(can_manage_movements(request.user))
    form = MovementForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            service.movement_create(**form.cleaned_data)
        except PactError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The movement is in the list: campaigns can now choose it."))
            return redirect("pacts:movement_list")
    return render(request, "pacts/movement_form.html", {"form": form, "movement": None})


@login_required
def movement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_movements(request.user))
    movement = get_object_or_404(Movement, pk=pk)
    initial = {name: getattr(movement, name) for name in service.FIELDS}
    form = MovementForm(posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            service.movement_update(
                movement=movement, actor=request.user, info=RequestInfo.from_request(request), **form.cleaned_data
            )
        except PactError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("pacts:movement_list")
    context = {"form": form, "movement": movement, "campaign_count": service.campaign_count(movement)}
    return render(request, "pacts/movement_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def movement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_movements(request.user))
    movement = get_object_or_404(Movement, pk=pk)
    refusal = service.delete_refusal(movement)
    if request.method == "POST" and not refusal:
        try:
            service.movement_delete(movement=movement)
        except PactError as error:  # a campaign chose it meanwhile
            refusal = error.message
        else:
            messages.success(request, _("The movement has been deleted."))
            return redirect("pacts:movement_list")
    return render(request, "pacts/movement_delete.html", {"movement": movement, "refusal": refusal})


urlpatterns = [
    path("movements/", movement_list, name="movement_list"),
    path("movements/new/", movement_create, name="movement_create"),
    path("movements/<int:pk>/edit/", movement_edit, name="movement_edit"),
    path("movements/<int:pk>/delete/", movement_delete, name="movement_delete"),
]
