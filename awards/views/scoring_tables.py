"""Scoring tables (bảng chấm điểm thi đua): the list, a table as units read it, and the ministry's editors.

Ministry staff draft a year's table for some kinds of unit, fill in its criteria in the browser or
from a workbook, set its grades and put it in use; from then on its criteria are fixed. Everyone
else reads the tables in use. Between an import's preview and its confirmation the rows read from
the upload wait in the server-side session under a random token, as in the unit import.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import DecimalField
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core import xlsx
from core.pages import paginate, posted, require, show_error

from .. import table_excel
from ..errors import AwardsError
from ..forms.scoring_tables import (
    DEFAULT_EXTRA,
    FORMSET_ERRORS,
    MAX_EXTRA,
    THRESHOLD_FORMSET_ERRORS,
    TableFilterForm,
    TableForm,
    TableImportForm,
    content_initial,
    criteria_formset,
    thresholds_formset,
)
from ..models import Criterion, ScoringTable
from ..permissions import can_manage_scoring_table, can_manage_scoring_tables, can_view_scoring_tables
from ..selectors.scoring import (
    criteria_count,
    ranking_regions,
    table_groups,
    tables_visible_to,
    thresholds_of,
    with_maximum,
)
from ..services import scoring as scoring_services
from ..table_content import content_groups, points_text, roman
from .access import table_for_user

SESSION_KEY = "awards.table_import"
CRITERIA_PREFIX = "criteria"
GRADES_PREFIX = "grades"
POINTS = DecimalField(max_digits=9, decimal_places=2)


def _extra_rows(request: HttpRequest) -> int:
    try:
        extra = int(request.GET.get("extra", DEFAULT_EXTRA))
    except ValueError:
        extra = DEFAULT_EXTRA
    return max(1, min(extra, MAX_EXTRA))


# --- the list and a table ---------------------------------------------------------------------------


@login_required
def table_list(request: HttpRequest) -> HttpResponse:
    require(can_view_scoring_tables(request.user))
    visible = tables_visible_to(request.user)
    form = TableFilterForm(request.GET)
    form.is_valid()
    year = form.cleaned_data.get("year")
    tables = visible.filter(year=year) if year else visible
    context = {
        "form": form,
        "page": paginate(request, with_maximum(tables).order_by("-year", "name")),
        "years": list(visible.order_by("-year").values_list("year", flat=True).distinct()),
        "year": year,
        "can_manage": can_manage_scoring_tables(request.user),
    }
    return render(request, "awards/table_list.html", context)


@login_required
def table_detail(request: HttpRequest, pk: int) -> HttpResponse:
    table = table_for_user(request, pk)
    groups = table_groups(table)
    totals = dict.fromkeys(Criterion.Kind.values, Decimal("0"))
    for group in groups:
        group.roman = roman(group.number)
        for criterion in group.criteria.all():
            totals[criterion.kind] += criterion.max_points
    is_published = table.status == ScoringTable.Status.PUBLISHED
    context = {
        "table": table,
        "groups": groups,
        "maximum": totals[Criterion.Kind.STANDARD],
        "bonus_maximum": totals[Criterion.Kind.BONUS],
        "deduction_maximum": totals[Criterion.Kind.DEDUCTION],
        "thresholds": thresholds_of(table),
        "can_manage": can_manage_scoring_tables(request.user),
        "is_draft": table.status == ScoringTable.Status.DRAFT,
        "regions": ranking_regions(request.user, table) if is_published else [],
    }
    return render(request, "awards/table_detail.html", context)


# --- the table's own fields -----------------------------------------------------------------------


def _table_form_page(request: HttpRequest, table: ScoringTable | None) -> HttpResponse:
    initial = TableForm.initial_for(table) if table is not None else {"year": timezone.localdate().year}
    form = TableForm(posted(request), table=table, initial=initial)
    if form.is_bound and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            if table is None:
                saved = scoring_services.table_create(**fields)
            else:
                del fields["year"]
                saved = scoring_services.table_update(table=table, **fields)
        except AwardsError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The table “%(name)s” has been saved.") % {"name": saved.name})
            return redirect("awards:table_detail", pk=saved.pk)
    return render(request, "awards/table_form.html", {"form": form, "table": table})


@login_required
def table_create(request: HttpRequest) -> HttpResponse:
    require(can_manage_scoring_tables(request.user))
    return _table_form_page(request, None)


@login_required
def table_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _table_form_page(request, table_for_user(request, pk, need=can_manage_scoring_table))


@login_required
@require_POST
def table_publish(request: HttpRequest, pk: int) -> HttpResponse:
    table = table_for_user(request, pk, need=can_manage_scoring_table)
    try:
        scoring_services.table_publish(table=table)
    except AwardsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The table is in use: units can now score themselves on it."))
    return redirect("awards:table_detail", pk=table.pk)


# --- criteria ------------------------------------------------------------------------------------------


def _more_rows(data: QueryDict, extra: int):
    """The rows typed so far (not saved), shown again with more empty rows under them."""
    typed = criteria_formset(0)(data, prefix=CRITERIA_PREFIX, error_messages=FORMSET_ERRORS)
    if not typed.management_form.is_valid():
        return criteria_formset(extra)(prefix=CRITERIA_PREFIX, error_messages=FORMSET_ERRORS)
    return criteria_formset(extra)(initial=typed.raw_rows(), prefix=CRITERIA_PREFIX, error_messages=FORMSET_ERRORS)


@login_required
def table_content(request: HttpRequest, pk: int) -> HttpResponse:
    table = table_for_user(request, pk, need=can_manage_scoring_table)
    extra = _extra_rows(request)
    context = {"table": table, "formset": None, "extra": extra, "more": min(extra + DEFAULT_EXTRA, MAX_EXTRA)}
    if table.status != ScoringTable.Status.DRAFT:
        if request.method == "POST":
            messages.error(request, _("The table is in use: its criteria can no longer change."))
        return render(request, "awards/table_content.html", context)
    data = posted(request)
    if data is not None and "more" in data:
        context["formset"] = _more_rows(data, extra)
        return render(request, "awards/table_content.html", context)
    # Bound rows are compared with empty ones, so that a blank row is skipped whatever it held before.
    initial = None if data is not None else content_initial(table_groups(table))
    formset = criteria_formset(extra)(data, initial=initial, prefix=CRITERIA_PREFIX, error_messages=FORMSET_ERRORS)
    if formset.is_bound and formset.is_valid():
        try:
            scoring_services.table_set_content(table=table, groups=formset.groups())
        except AwardsError as error:
            formset.non_form_errors().append(error.message)
        else:
            messages.success(request, _("The criteria have been saved."))
            return redirect("awards:table_detail", pk=table.pk)
    context["formset"] = formset
    return render(request, "awards/table_content.html", context)


# --- grades --------------------------------------------------------------------------------------------


@login_required
def table_thresholds(request: HttpRequest, pk: int) -> HttpResponse:
    table = table_for_user(request, pk, need=can_manage_scoring_table)
    data = posted(request)
    initial = [{"label": t.label, "min_points": points_text(t.min_points)} for t in thresholds_of(table)]
    formset = thresholds_formset()(
        data,
        initial=None if data is not None else initial,
        prefix=GRADES_PREFIX,
        error_messages=THRESHOLD_FORMSET_ERRORS,
    )
    if formset.is_bound and formset.is_valid():
        try:
            scoring_services.table_set_thresholds(table=table, thresholds=formset.thresholds())
        except AwardsError as error:
            formset.non_form_errors().append(error.message)
        else:
            messages.success(request, _("The grades have been saved."))
            return redirect("awards:table_detail", pk=table.pk)
    context = {"table": table, "formset": formset, "is_draft": table.status == ScoringTable.Status.DRAFT}
    return render(request, "awards/table_thresholds.html", context)


# --- import from Excel --------------------------------------------------------------------------------


def _pending_import(request: HttpRequest, table: ScoringTable) -> xlsx.PendingImport | None:
    return xlsx.pending_import(request, SESSION_KEY, table_excel.SheetRow, table=table.pk)


def _refuse_in_use(request: HttpRequest, table: ScoringTable) -> HttpResponse | None:
    if table.status == ScoringTable.Status.DRAFT:
        return None
    messages.error(request, _("The table is in use: its criteria can no longer change."))
    return redirect("awards:table_detail", pk=table.pk)


@login_required
def table_import(request: HttpRequest, pk: int) -> HttpResponse:
    table = table_for_user(request, pk, need=can_manage_scoring_table)
    if refused := _refuse_in_use(request, table):
        return refused
    form = TableImportForm(posted(request), request.FILES or None)
    if form.is_bound and form.is_valid():
        xlsx.keep_pending_import(request, SESSION_KEY, form, table=table.pk)
        return redirect("awards:table_import_preview", pk=table.pk)
    context = {"table": table, "form": form, "columns": table_excel.COLUMNS}
    return render(request, "awards/table_import.html", context)


@require_GET
@login_required
def table_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    table = table_for_user(request, pk, need=can_manage_scoring_table)
    if refused := _refuse_in_use(request, table):
        return refused
    pending = _pending_import(request, table)
    if pending is None:
        messages.info(request, _("Upload a file to see its preview."))
        return redirect("awards:table_import", pk=table.pk)
    context = {
        "table": table,
        "check": table_excel.check_sheet_rows(pending.rows),
        "token": pending.token,
        "filename": pending.filename,
        "current_count": criteria_count(table),
    }
    return render(request, "awards/table_import_preview.html", context)


@login_required
@require_POST
def table_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    table = table_for_user(request, pk, need=can_manage_scoring_table)
    if refused := _refuse_in_use(request, table):
        return refused
    pending = _pending_import(request, table)
    if xlsx.confirmation_refused(request, pending):
        return redirect("awards:table_import", pk=table.pk)
    check = table_excel.check_sheet_rows(pending.rows)
    if not check.is_valid:
        messages.error(request, _("The file has rows with errors: nothing was imported."))
        return redirect("awards:table_import_preview", pk=table.pk)
    try:
        scoring_services.table_set_content(table=table, groups=content_groups(check.rows))
    except AwardsError as error:
        messages.error(request, error.message)
        return redirect("awards:table_import_preview", pk=table.pk)
    del request.session[SESSION_KEY]
    count = len(check.rows)
    messages.success(
        request,
        ngettext("%(count)s criterion has been imported.", "%(count)s criteria have been imported.", count)
        % {"count": count},
    )
    return redirect("awards:table_detail", pk=table.pk)


@require_GET
@login_required
def table_template(request: HttpRequest) -> HttpResponse:
    require(can_manage_scoring_tables(request.user))
    return xlsx.xlsx_response(table_excel.template_workbook(), "mau-bang-tieu-chi-cham-diem.xlsx")


urlpatterns = [
    path("awards/scoring/", table_list, name="table_list"),
    path("awards/scoring/new/", table_create, name="table_create"),
    path("awards/scoring/template.xlsx", table_template, name="table_template"),
    path("awards/scoring/<int:pk>/", table_detail, name="table_detail"),
    path("awards/scoring/<int:pk>/edit/", table_edit, name="table_edit"),
    path("awards/scoring/<int:pk>/criteria/", table_content, name="table_content"),
    path("awards/scoring/<int:pk>/grades/", table_thresholds, name="table_thresholds"),
    path("awards/scoring/<int:pk>/publish/", table_publish, name="table_publish"),
    path("awards/scoring/<int:pk>/import/", table_import, name="table_import"),
    path("awards/scoring/<int:pk>/import/preview/", table_import_preview, name="table_import_preview"),
    path("awards/scoring/<int:pk>/import/confirm/", table_import_confirm, name="table_import_confirm"),
]
