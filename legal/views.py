"""The catalogue of legal documents for ministry staff and administrators: the list, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from core.pages import paginate, posted, require, show_error

from . import selectors, services
from .errors import LegalError
from .forms import DocumentFilterForm, DocumentForm
from .models import LegalDocument
from .permissions import can_manage_legal_documents


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    require(can_manage_legal_documents(request.user))
    form = DocumentFilterForm(request.GET)
    filters = form.filters()
    page = paginate(request, selectors.documents_for_list(**filters))
    return render(request, "legal/document_list.html", {"form": form, "page": page, "in_force": filters["in_force"]})


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    require(can_manage_legal_documents(request.user))
    form = DocumentForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            document = services.legal_document_create(**form.cleaned_data)
        except LegalError as error:
            show_error(form, error)
        else:
            messages.success(request, _("%(citation)s is in the catalogue.") % {"citation": document.citation})
            return redirect("legal:document_list")
    return render(request, "legal/document_form.html", {"form": form, "document": None})


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_legal_documents(request.user))
    document = get_object_or_404(LegalDocument, pk=pk)
    initial = {name: getattr(document, name) for name in services.FIELDS}
    form = DocumentForm(posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.legal_document_update(document=document, **form.cleaned_data)
        except LegalError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("legal:document_list")
    context = {"form": form, "document": document, "locked": services.change_refusal(document)}
    return render(request, "legal/document_form.html", context)


urlpatterns = [
    path("", document_list, name="document_list"),
    path("new/", document_create, name="document_create"),
    path("<int:pk>/edit/", document_edit, name="document_edit"),
]
