"""The catalogue of titles and forms of commendation: every role reads it, ministry staff keep it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from core.pages import posted, require, show_error

from ..errors import AwardsError
from ..forms.titles import BasisFormSet, TitleForm, basis_initial
from ..models import AwardTitle
from ..permissions import can_manage_titles, can_view_titles
from ..selectors.titles import title_shown, titles_listed
from ..services import titles as title_services

BASES_PREFIX = "bases"


@login_required
def title_list(request: HttpRequest) -> HttpResponse:
    require(can_view_titles(request.user))
    titles = titles_listed()
    context = {"titles": titles, "can_manage": can_manage_titles(request.user)}
    return render(request, "awards/title_list.html", context)


@login_required
def title_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A title with its rules and the legal basis of each: whom it goes to, the vote, whom it is chosen from."""
    require(can_view_titles(request.user))
    shown = title_shown(pk)
    context = {"award_title": shown.title, "shares": shown.shares, "can_manage": can_manage_titles(request.user)}
    return render(request, "awards/title_detail.html", context)


def _save(form: TitleForm, formset, title: AwardTitle | None) -> AwardTitle | None:
    """Creates or updates the title from valid forms; on a broken rule, shows it and returns None."""
    fields = dict(form.cleaned_data)
    excludes = list(fields.pop("excludes"))
    try:
        if title is None:
            return title_services.title_create(bases=formset.specs(), excludes=excludes, **fields)
        return title_services.title_update(title=title, bases=formset.specs(), excludes=excludes, **fields)
    except AwardsError as error:
        if error.field == "bases":
            formset.non_form_errors().append(error.message)
        else:
            show_error(form, error)
    return None


def _title_form_page(request: HttpRequest, title: AwardTitle | None) -> HttpResponse:
    data = posted(request)
    initial = TitleForm.initial_for(title) if title is not None else {"is_active": True, "position": 0}
    form = TitleForm(data, title=title, initial=initial)
    # Bound rows are compared with empty ones, so that a blank extra row is skipped whatever came before it.
    formset = BasisFormSet(data, initial=None if data or title is None else basis_initial(title), prefix=BASES_PREFIX)
    heading = title.name if title is not None else ""
    if data is not None and all([form.is_valid(), formset.is_valid()]):  # both, to show every error at once
        saved = _save(form, formset, title)
        if saved is not None:
            messages.success(request, _("The title “%(name)s” has been saved.") % {"name": saved.name})
            return redirect("awards:title_list")
    context = {"form": form, "formset": formset, "title": title, "heading": heading}
    return render(request, "awards/title_form.html", context)


@login_required
def title_create(request: HttpRequest) -> HttpResponse:
    require(can_manage_titles(request.user))
    return _title_form_page(request, None)


@login_required
def title_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_titles(request.user))
    title = get_object_or_404(AwardTitle, pk=pk)
    return _title_form_page(request, title)


urlpatterns = [
    path("awards/titles/", title_list, name="title_list"),
    path("awards/titles/new/", title_create, name="title_create"),
    path("awards/titles/<int:pk>/", title_detail, name="title_detail"),
    path("awards/titles/<int:pk>/edit/", title_edit, name="title_edit"),
]
