"""Links between the pages of a list: ``{% pagination page %}``, written in Python (a template renders each
link through its own nodes and tags: 0.5 ms a list, twice on a pact's progress); the markup is the one
core/_pagination.html wrote (tests/core/test_pagination.py renders that template and compares)."""

from functools import partial

from django import template
from django.http import QueryDict
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.html import html_format, html_join

register = template.Library()

LINK = '<li class="page-item"><a class="page-link" href="{}">{}</a></li>'
PREVIOUS = '<li class="page-item"><a class="page-link" href="{}" rel="prev">{}</a></li>'
NEXT = '<li class="page-item"><a class="page-link" href="{}" rel="next">{}</a></li>'
DISABLED = '<li class="page-item disabled"><span class="page-link">{}</span></li>'
CURRENT = '<li class="page-item active"><span class="page-link" aria-current="page">{}</span></li>'
NAV = '{}<nav aria-label="{}" class="d-print-none">\n<ul class="pagination flex-wrap">{}</ul>\n</nav>\n'


def _query_with(query: QueryDict, param: str, number) -> str:
    """``query`` (a mutable copy of the request's) with ``param`` set to ``number``, as a link's query string."""
    query[param] = number
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def page_query(context, page, number) -> str:
    """The current query string with the page's parameter set to ``number``: ``page`` by default, another
    name for a second list on the same page (``core.pages.paginate_counted(..., param=...)``)."""
    return _query_with(context["request"].GET.copy(), getattr(page, "param", "page"), number)


@register.simple_tag(takes_context=True)
def pagination(context, page, base: str = "") -> SafeString | str:
    """Which rows of how many the page shows, and the links to the other pages (``core.pages`` sets
    ``elided_range`` and ``param``): nothing for an empty list, no links for a list of one page. ``base``: the
    page's own address, for a page also shown by a form's POST to another (its links would lead there)."""
    shown = ""
    if page.paginator.count:
        figures = (("start", page.start_index()), ("end", page.end_index()), ("total", page.paginator.count))
        text = gettext("Showing %(start)s–%(end)s of %(total)s") % {
            name: render_value_in_context(value, context) for name, value in figures
        }
        shown = html_format('<p class="small text-body-secondary">{}</p>\n', text)
    if not page.has_other_pages():
        return shown

    def number_item(number) -> SafeString:
        if not isinstance(number, int):  # the ellipsis (a lazy string: comparing with it translates it)
            return html_format(DISABLED, number)
        label = render_value_in_context(number, context)
        return html_format(CURRENT, label) if number == page.number else html_format(LINK, query(number), label)

    # The request's query copied once for every link, not once a link (``page_query``'s copy).
    query_of = partial(_query_with, context["request"].GET.copy(), getattr(page, "param", "page"))

    def query(number) -> str:
        return f"{base}{query_of(number)}"

    previous, following = gettext("Previous"), gettext("Next")
    items = [
        html_format(PREVIOUS, query(page.previous_page_number()), previous)
        if page.has_previous()
        else html_format(DISABLED, previous),
        *(number_item(number) for number in page.elided_range),
        html_format(NEXT, query(page.next_page_number()), following)
        if page.has_next()
        else html_format(DISABLED, following),
    ]
    return html_format(NAV, shown, gettext("Pages"), html_join("{}", ((item,) for item in items)))
