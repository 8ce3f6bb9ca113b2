"""Links between the pages of a list, for core/_pagination.html."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, page, number) -> str:
    """The current query string with the page's parameter set to ``number``: ``page`` by default, another
    name for a second list on the same page (``core.pages.paginate_counted(..., param=...)``)."""
    query = context["request"].GET.copy()
    query[getattr(page, "param", "page")] = number
    return f"?{query.urlencode()}"
