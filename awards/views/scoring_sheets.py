"""Score sheets and rankings: a unit's self-scores with their evidence, the reviewers' points, the region's ranking.

A unit's leader enters and sends its sheet; the region's reviewers (officers of that year's head
unit) and ministry staff review it; whoever may see the region that year reads its ranking, on
screen or as .xlsx. Evidence files are streamed by a view that checks the reader: they are never
served from MEDIA_URL.
"""

import os
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BoundField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.pages import page_read_with_count, posted, require, row_links, show_error
from core.xlsx import xlsx_response
from regions.models import Region, Unit
from regions.selectors import (
    region_name_on,
    region_of_unit,
    unit_name_on,
    year_reference_day,
)

from .. import excel
from ..errors import AwardsError
from ..excel import RANKING_HEADINGS  # noqa: F401  (the file format, read by the tests)
from ..forms.scoring_sheets import ReviewForm, ScoresYearForm, SelfScoreForm
from ..models import Criterion, ScoreEntry, ScoreSheet, ScoringGroup, ScoringTable
from ..permissions import (
    acts_for,
    can_enter_scores,
    can_read_every_sheet,
    can_review_scores,
    can_view_ranking,
    can_view_scoring_tables,
    can_view_sheet,
)
from ..selectors.scoring import (
    TIE_RULES,
    RankingPage,
    RankingRow,
    grade_for,
    ranking_links,
    ranking_rows,
    sheet_entries,
    sheet_of,
    sheet_with_totals,
    table_maximum,
    thresholds_of,
    units_scores,
)
from ..services import scoring as scoring_services
from .access import entry_for_user, sheet_for_user, table_for_user

Status = ScoreSheet.Status
ROMAN = ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
FIELD_PREFIXES = ("points", "note", "link", "file", "clear", "reviewed", "reason")


def roman(number: int) -> str:
    """Groups are numbered I, II, III … as on the Ministry's tables."""
    text = ""
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        text += letters * count
    return text


# --- my scores -------------------------------------------------------------------------------------


@login_required
def my_scores(request: HttpRequest) -> HttpResponse:
    """Leaders: their units' sheets of the year; everyone: the rankings of the regions they may see."""
    require(can_view_scoring_tables(request.user))
    form = ScoresYearForm(request.GET or None, initial={"year": timezone.localdate().year})
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    context = {
        "form": form,
        "year": year,
        "units": units_scores(request.user, year),
        "rankings": ranking_links(request.user, year),
    }
    return render(request, "awards/my_scores.html", context)


# --- the sheet -------------------------------------------------------------------------------------


@dataclass
class CriterionRow:
    entry: ScoreEntry
    fields: dict[str, BoundField]
    file_name: str


@dataclass
class GroupBlock:
    group: ScoringGroup
    numeral: str
    maximum: Decimal = Decimal("0")
    rows: list[CriterionRow] = field(default_factory=list)


def _groups(entries: list[ScoreEntry], form=None) -> list[GroupBlock]:
    """The sheet's lines under their groups (entries come in group order), with the form's boxes of each."""
    blocks: list[GroupBlock] = []
    for entry in entries:
        group = entry.criterion.group
        if not blocks or blocks[-1].group.pk != group.pk:
            blocks.append(GroupBlock(group, roman(group.number)))
        block = blocks[-1]
        if entry.criterion.kind == Criterion.Kind.STANDARD:
            block.maximum += entry.criterion.max_points
        fields = {}
        if form is not None:
            for prefix in FIELD_PREFIXES:
                name = f"{prefix}_{entry.criterion_id}"
                if name in form.fields:
                    fields[prefix] = form[name]
        file_name = os.path.basename(entry.evidence_file.name) if entry.evidence_file else ""
        block.rows.append(CriterionRow(entry, fields, file_name))
    return blocks


def _unscored(entry: ScoreEntry) -> bool:
    return entry.criterion.kind == Criterion.Kind.STANDARD and entry.self_points is None


def _ranking_url(user, sheet: ScoreSheet) -> str:
    membership = region_of_unit(sheet.unit, sheet.table.year)
    if membership is None or not can_view_ranking(user, membership.region, sheet.table.year):
        return ""
    return reverse("awards:ranking", args=[sheet.table_id, membership.region_id])


def _render_sheet(
    request: HttpRequest, sheet: ScoreSheet, entries: list[ScoreEntry], *, mode: str, form=None
) -> HttpResponse:
    """The sheet page; ``mode`` is "self" (the unit's page) or "review" (the reviewers' page)."""
    user, table = request.user, sheet.table
    totals = sheet_with_totals(sheet)
    can_review = can_review_scores(user, sheet)
    can_enter = mode == "self" and sheet.status == Status.DRAFT and can_enter_scores(user, sheet.unit)
    bound = form is not None and form.is_bound
    context = {
        "sheet": totals,
        "table": table,
        "unit_name": unit_name_on(sheet.unit, year_reference_day(table.year)),
        "mode": mode,
        "form": form,
        "groups": _groups(entries, form),
        "refused_codes": form.codes_with_errors() if bound else [],
        "show_reviewed": sheet.status != Status.DRAFT or any(e.reviewed_points is not None for e in entries),
        "grade": grade_for(totals.final_total, thresholds_of(table)),
        "maximum": table_maximum(table),
        "can_enter": can_enter,
        # What is still empty in the saved sheet; not beside a refused form, whose boxes show what was typed.
        "unscored": [e.criterion for e in entries if _unscored(e)] if can_enter and not bound else [],
        "can_review": can_review,
        "reviewing": can_review and sheet.status == Status.SUBMITTED,
        "review_inputs": mode == "review" and form is not None,
        "files_dropped": bool(request.FILES),
        "ranking_url": _ranking_url(user, sheet),
    }
    return render(request, "awards/sheet_detail.html", context)


def _sheet_for_unit(request: HttpRequest, table: ScoringTable, unit: Unit) -> ScoreSheet | None:
    """The unit's leader opens (or starts) the sheet; others may read an existing one they may see."""
    if can_enter_scores(request.user, unit):
        return scoring_services.sheet_open(table=table, unit=unit)
    sheet = sheet_of(table, unit)
    require(sheet is not None and can_view_sheet(request.user, sheet))
    return sheet


@login_required
def sheet(request: HttpRequest, table_pk: int, unit_pk: int) -> HttpResponse:
    # The sheet is checked below (its unit's leader may start it), and the service says a draft is not in use yet.
    table = table_for_user(request, table_pk, need=None, hide_drafts=False)
    unit = get_object_or_404(Unit, pk=unit_pk)
    try:
        score_sheet = _sheet_for_unit(request, table, unit)
    except AwardsError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('awards:my_scores')}?year={table.year}")
    score_sheet.table, score_sheet.unit = table, unit
    entries = sheet_entries(score_sheet)
    form = None
    if score_sheet.status == Status.DRAFT and can_enter_scores(request.user, unit):
        form = SelfScoreForm(posted(request), request.FILES or None, entries=entries)
    elif request.method == "POST":
        require(can_enter_scores(request.user, unit))
        messages.error(request, _("The sheet has been sent for review: its self-scores can no longer change."))
        return redirect("awards:sheet", table.pk, unit.pk)
    if form is not None and form.is_bound and form.is_valid():
        try:
            scoring_services.sheet_save_self_scores(sheet=score_sheet, actor=request.user, scores=form.scores())
        except AwardsError as error:
            show_error(form, error)
        else:
            if request.POST.get("action") == "submit":
                _send_saved_sheet(request, score_sheet)
            else:
                messages.success(request, _("The self-scores have been saved."))
            return redirect("awards:sheet", table.pk, unit.pk)
    return _render_sheet(request, score_sheet, entries, mode="self", form=form)


def _send_saved_sheet(request: HttpRequest, score_sheet: ScoreSheet) -> None:
    """ "Send for review" on the sheet's form: what was typed is saved first, so a refusal (a criterion
    still empty) loses nothing; the message names every criterion still to score."""
    try:
        scoring_services.sheet_submit(sheet=score_sheet, actor=request.user)
    except AwardsError as error:
        messages.error(
            request,
            _("The self-scores have been saved, but the sheet was not sent. %(reason)s") % {"reason": error.message},
        )
    else:
        messages.success(request, _("The sheet has been sent to the region's reviewers."))


@login_required
@require_POST
def sheet_submit(request: HttpRequest, pk: int) -> HttpResponse:
    score_sheet = sheet_for_user(request, pk, need=lambda user, sheet: can_enter_scores(user, sheet.unit))
    try:
        scoring_services.sheet_submit(sheet=score_sheet, actor=request.user)
    except AwardsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The sheet has been sent to the region's reviewers."))
    return redirect("awards:sheet", score_sheet.table_id, score_sheet.unit_id)


def _show_review_error(form: ReviewForm, error: AwardsError) -> None:
    """The service names the points box ``points_<id>``; on this form it is ``reviewed_<id>``."""
    if error.field and error.field.startswith("points_"):
        error.field = "reviewed_" + error.field.removeprefix("points_")
    show_error(form, error)


@login_required
def sheet_review(request: HttpRequest, pk: int) -> HttpResponse:
    score_sheet = sheet_for_user(request, pk, need=can_review_scores)
    entries = sheet_entries(score_sheet)
    form = None
    if score_sheet.status == Status.SUBMITTED:
        form = ReviewForm(posted(request), entries=entries)
    elif request.method == "POST":
        messages.error(request, _("Only a sheet sent for review, and not yet closed, can be reviewed."))
        return redirect("awards:sheet_review", score_sheet.pk)
    if form is not None and form.is_bound and form.is_valid():
        finish = request.POST.get("action") == "finish"
        try:
            scoring_services.sheet_review(sheet=score_sheet, actor=request.user, reviews=form.reviews(), finish=finish)
        except AwardsError as error:
            _show_review_error(form, error)
        else:
            done = _("The review is closed: the final score stands.") if finish else _("The review has been saved.")
            messages.success(request, done)
            return redirect("awards:sheet_review", score_sheet.pk)
    return _render_sheet(request, score_sheet, entries, mode="review", form=form)


@login_required
@require_POST
def sheet_return(request: HttpRequest, pk: int) -> HttpResponse:
    score_sheet = sheet_for_user(request, pk, need=can_review_scores)
    try:
        scoring_services.sheet_return_to_unit(
            sheet=score_sheet, actor=request.user, reason=request.POST.get("reason", "")
        )
    except AwardsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The sheet has been sent back to the unit to correct its self-scores."))
    return redirect("awards:sheet_review", score_sheet.pk)


@login_required
@require_GET
def evidence(request: HttpRequest, entry_pk: int) -> FileResponse:
    entry = entry_for_user(request, entry_pk)
    if not entry.evidence_file:
        raise Http404
    try:
        handle = entry.evidence_file.storage.open(entry.evidence_file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(entry.evidence_file.name))


# --- the ranking -----------------------------------------------------------------------------------


@dataclass
class RankedUnit:
    row: RankingRow
    shared: bool
    url: str


def _ranking_table_and_region(request: HttpRequest, table_pk: int, region_pk: int):
    table = table_for_user(request, table_pk, need=None)  # the region's ranking is checked below
    region = get_object_or_404(Region, pk=region_pk)
    require(can_view_ranking(request.user, region, table.year))
    return table, region, region_name_on(region, year_reference_day(table.year))


def _sheet_urls(user, table: ScoringTable, rows: list[RankingRow]) -> dict[int, str]:
    """Where each unit's name links for this person: the review page for the region's reviewers, the sheet
    for those who may read it or enter it. ``can_view_sheet`` is decided once for the whole region (every
    unit here belongs to it that year), so that the page's queries do not grow with its units."""
    if not rows:
        return {}
    reviewer = can_review_scores(user, ScoreSheet(table=table, unit=Unit(pk=rows[0].unit_id)))
    reader = reviewer or can_read_every_sheet(user)
    review_url, sheet_url = row_links("awards:sheet_review"), row_links("awards:sheet", table.pk)
    urls = {}
    for row in rows:
        if row.sheet is not None and reviewer and row.sheet.status != Status.DRAFT:
            urls[row.unit_id] = review_url(row.sheet.pk)
            continue
        unit = Unit(pk=row.unit_id)
        if (row.sheet is not None and (reader or acts_for(user, unit))) or can_enter_scores(user, unit):
            urls[row.unit_id] = sheet_url(row.unit_id)
    return urls


RANKING_PAGE_SIZE = 50


@login_required
@require_GET
def ranking(request: HttpRequest, table_pk: int, region_pk: int) -> HttpResponse:
    table, region, region_name = _ranking_table_and_region(request, table_pk, region_pk)

    # The database ranks and counts the region and returns the page's rows only, in one query; past the end
    # (no row), the ranking is counted (its first row carries the counts) and its last page read.
    def read(start: int, stop: int) -> tuple[RankingPage, int]:
        ranking = ranking_rows(table, region, start, stop)
        return ranking, ranking.counts.units

    ranking, page = page_read_with_count(
        request, read, lambda: ranking_rows(table, region, 0, 0).counts.units, RANKING_PAGE_SIZE
    )
    counts, shown = ranking.counts, ranking.rows
    urls = _sheet_urls(request.user, table, [ranked.row for ranked in shown])
    context = {
        "table": table,
        "region": region,
        "region_name": region_name,
        "page": page,
        "unit_count": counts.units,
        "rows": [RankedUnit(ranked.row, ranked.shared, urls.get(ranked.row.unit_id, "")) for ranked in shown],
        "ranked_count": counts.ranked,
        "reviewed_count": counts.reviewed,
        "provisional": counts.provisional,
        "tie_rules": TIE_RULES,
    }
    return render(request, "awards/ranking.html", context)


@login_required
@require_GET
def ranking_xlsx(request: HttpRequest, table_pk: int, region_pk: int) -> FileResponse:
    table, region, region_name = _ranking_table_and_region(request, table_pk, region_pk)
    ranking = ranking_rows(table, region)
    counts, rows = ranking.counts, [ranked.row for ranked in ranking.rows]
    content = excel.ranking_workbook(table=table, region_name=region_name, rows=rows, provisional=counts.provisional)
    return xlsx_response(content, f"xep-hang-{region.slug}-{table.year}.xlsx")


urlpatterns = [
    path("awards/scores/", my_scores, name="my_scores"),
    path("awards/scores/<int:table_pk>/units/<int:unit_pk>/", sheet, name="sheet"),
    path("awards/scores/sheets/<int:pk>/submit/", sheet_submit, name="sheet_submit"),
    path("awards/scores/sheets/<int:pk>/review/", sheet_review, name="sheet_review"),
    path("awards/scores/sheets/<int:pk>/return/", sheet_return, name="sheet_return"),
    path("awards/scores/evidence/<int:entry_pk>/", evidence, name="evidence"),
    path("awards/scoring/<int:table_pk>/regions/<int:region_pk>/ranking/", ranking, name="ranking"),
    path(
        "awards/scoring/<int:table_pk>/regions/<int:region_pk>/ranking/export.xlsx", ranking_xlsx, name="ranking_xlsx"
    ),
]
