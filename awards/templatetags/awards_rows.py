"""The rows of the awards app's long tables (the ranking, the registration report), written in Python: a
template renders each cell of a row through its own nodes and filters (about 0.1 ms a row), so that the 50
rows of a page cost more than the rest of the page. The markup is the one the templates had: tests render
the former row templates (tests/awards/fixtures/*_rows_before.html) and compare."""

from decimal import Decimal

from django import template
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.html import html_format, html_join
from core.pages import row_links

register = template.Library()

BADGE = {"reviewed": "text-bg-success", "submitted": "text-bg-primary", "draft": "text-bg-warning"}
ROW = (
    '<tr data-unit="{}" data-rank="{}"><td class="text-end text-nowrap">{}</td>'
    '<th scope="row" class="fw-normal">{}</th><td><span class="badge {}">{}</span></td>{}</tr>\n'
)
UNRANKED = SafeString('<td class="text-end">—</td>' * 5 + "<td>—</td>")


def _points(value: Decimal, separator: str) -> str:
    """``value|floatformat:"-2"`` for points, which have two decimal places: "45", "45,50"; at a fifth of its cost."""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}".replace(".", separator)


def _scores(sheet, grade: str, separator: str) -> SafeString:
    return html_format(
        '<td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end">{}{}</td>'
        '<td class="text-end">{}{}</td><td class="text-end fw-bold">{}</td><td>{}</td>',
        _points(sheet.self_total, separator),
        _points(sheet.final_standard, separator),
        "+" if sheet.final_bonus else "",
        _points(sheet.final_bonus, separator),
        "−" if sheet.final_deduction else "",
        _points(sheet.final_deduction, separator),
        _points(sheet.final_total, separator),
        grade or "—",
    )


def _row(item, shared_label: str, not_started: str, separator: str) -> tuple:
    row, sheet = item.row, item.row.sheet
    if row.rank:
        rank = html_format('{} <span class="small">({})</span>', row.rank, shared_label) if item.shared else row.rank
    else:
        rank = "—"
    name = html_format('<a href="{}">{}</a>', item.url, row.unit_name) if item.url else row.unit_name
    status = sheet.status if sheet is not None else None
    label = sheet.get_status_display() if sheet is not None else not_started
    scores = _scores(sheet, row.grade, separator) if row.rank else UNRANKED
    return (row.unit_id, row.rank or "", rank, name, BADGE.get(status, "text-bg-secondary"), label, scores)


@register.simple_tag
def ranking_rows(rows) -> SafeString:
    """The <tr> of each ranked unit: rank (shared or not), name linked to its sheet, status, points, grade."""
    shared_label, not_started = gettext("shared rank"), gettext("Not started")
    separator = get_format("DECIMAL_SEPARATOR")
    return html_join(ROW, (_row(item, shared_label, not_started, separator) for item in rows))


REGISTRATION_ROW = (
    '<tr data-registration="{}"><td>{}</td><th scope="row" class="fw-normal"><a href="{}">{}</a></th><td>{}</td>'
    '<td>{}</td><td><span class="badge text-bg-light border" data-status="{}">{}</span></td><td>{}</td></tr>\n'
)


@register.simple_tag
def registration_rows(rows) -> SafeString:
    """The <tr> of each registration of the report (``reports.ReportRow``): region and unit as named that year,
    kind, title, status, the individuals named for an individual title."""
    detail_url = row_links("awards:registration_detail")
    return html_join(
        REGISTRATION_ROW,
        (
            (
                row.pk,
                row.region_name_on_day,
                detail_url(row.pk),
                row.name_on_day,
                row.get_unit_kind_display(),
                row.title_name,
                row.status,
                row.get_status_display(),
                "; ".join(row.people) if row.individual and row.people else "—",
            )
            for row in rows
        ),
    )
