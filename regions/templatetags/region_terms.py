"""Template filters that name a region's roles with the term of the date shown (khu vực, cụm or khối thi đua).

{% load region_terms %}
{{ m.role|role_label:term }}                       the term already known to the view
{{ campaign.region|region_head_label:campaign.year }} the term of a year (or a date)
{{ pact.campaign.region|region_whole_label:pact.campaign.year }}
"""

from django import template

from .. import selectors, terms

register = template.Library()


@register.filter
def role_label(role: str, term: str):
    return terms.role_label(role, term)


@register.filter
def whole_label(term: str):
    return terms.whole_label(term)


def _term_of(region, when) -> str:
    if region is None or when in (None, ""):
        return ""
    return selectors.region_term_on(region, terms.day_of(when))


@register.filter
def region_term(region, when) -> str:
    """The region's term ("khu_vuc", "cum", "khoi") on a date or in a year."""
    return _term_of(region, when)


@register.filter
def region_head_label(region, when):
    return terms.role_label("head", _term_of(region, when))


@register.filter
def region_deputy_label(region, when):
    return terms.role_label("deputy", _term_of(region, when))


@register.filter
def region_whole_label(region, when):
    return terms.whole_label(_term_of(region, when))


@register.filter
def name_starts(names) -> list:
    """A name history with each entry's start as a page shows it: "19/03/2018", or, for a first name whose day is
    not known, "unknown date (before 01/01/2025)" (the day the next name took effect), never a made-up day."""
    from django.utils.translation import gettext as _

    entries = list(names)
    shown = []
    for index, entry in enumerate(entries):
        if entry.valid_from is not None:
            start = entry.valid_from.strftime("%d/%m/%Y")
        else:
            following = next((e.valid_from for e in entries[index + 1 :] if e.valid_from is not None), None)
            start = (
                _("unknown date (before %(day)s)") % {"day": following.strftime("%d/%m/%Y")}
                if following
                else _("unknown date")
            )
        shown.append((entry, start))
    return shown


@register.filter
def term_label(term: str):
    """ "khu vực thi đua", "cụm thi đua" or "khối thi đua" as the choice names it."""
    from ..models import RegionTerm

    return RegionTerm(term).label if term in RegionTerm.values else ""
