"""The dashboards' workbooks (the whole country, a region, a unit): every figure's table and the lists of units
to nudge, built in the request or, past core.exports' bound (the country's lists run to thousands of rows), by
a worker for the person who asked."""

from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from core.exports import register

from . import scopes
from .figures import figures
from .selectors import dashboard
from .xlsx import figures_workbook

FIGURES = "reports.figures"


def _number(query: QueryDict, key: str) -> int:
    try:
        return int(query.get(key, ""))
    except ValueError:
        raise Http404 from None


@register(FIGURES)
def dashboard_workbook(query: QueryDict, user) -> tuple[bytes, str]:
    """The figures of the dashboard the query names (``year``, with ``region`` a slug or ``unit`` an id; all of
    the country without), for a person who may still see it; ``figure``: that figure's table alone."""
    year = _number(query, "year")
    if query.get("unit"):
        unit_pk = _number(query, "unit")
        scope, _unit, name = scopes.unit_scope(user, year, unit_pk)
        title = _("Figures of %(year)s: %(unit)s") % {"year": year, "unit": name}
        stem = f"so-lieu-{year}-don-vi-{unit_pk}"
    elif query.get("region"):
        scope, _region, name = scopes.region_scope(user, year, query["region"])
        title = _("Figures of %(year)s: %(region)s") % {"year": year, "region": name}
        stem = f"so-lieu-{year}-{query['region']}"
    else:
        scope = scopes.country_scope(user, year)
        title, stem = _("Figures of %(year)s: whole country") % {"year": year}, f"so-lieu-{year}-toan-quoc"
    code = query.get("figure", "")
    board = dashboard(scope, nudge_limit=None if not code else 0)
    found = figures(board, with_charts=False)
    if code:
        found = [figure for figure in found if figure.code == code]
        if not found:
            raise Http404
    content = figures_workbook(title, found, None if code else board.nudges)
    return content, f"{stem}{'-' + code if code else ''}.xlsx"
