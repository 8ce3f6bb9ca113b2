"""What pages call a region and its head on a date: "khu vực thi đua" (Trưởng khu vực) until the region is renamed
"cụm thi đua" (Trưởng cụm), or a "khối thi đua" (Trưởng khối). The term belongs to each of the region's names
(``RegionName.term``); pages ask for the term of the date they show and take their labels from here.
"""

from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import RegionMembership, RegionTerm

Role = RegionMembership.Role

_ROLE_LABELS: dict[tuple[str, str], Promise] = {
    (RegionTerm.KHU_VUC, Role.HEAD): _("Head of region"),
    (RegionTerm.KHU_VUC, Role.DEPUTY): _("Deputy head of region"),
    (RegionTerm.CUM, Role.HEAD): _("Head of cluster"),
    (RegionTerm.CUM, Role.DEPUTY): _("Deputy head of cluster"),
    (RegionTerm.KHOI, Role.HEAD): _("Head of block"),
    (RegionTerm.KHOI, Role.DEPUTY): _("Deputy head of block"),
}

_DEPUTIES: dict[str, Promise] = {
    RegionTerm.KHU_VUC: _("Deputy heads of region"),
    RegionTerm.CUM: _("Deputy heads of cluster"),
    RegionTerm.KHOI: _("Deputy heads of block"),
}

_WHOLE: dict[str, Promise] = {
    RegionTerm.KHU_VUC: _("Whole region"),
    RegionTerm.CUM: _("Whole cluster"),
    RegionTerm.KHOI: _("Whole block"),
}

_NOUN: dict[str, Promise] = {
    RegionTerm.KHU_VUC: _("region"),
    RegionTerm.CUM: _("cluster"),
    RegionTerm.KHOI: _("block"),
}


def _term(term: str) -> str:
    return term if term in RegionTerm.values else RegionTerm.KHU_VUC


def role_label(role: str, term: str) -> Promise | str:
    """ "Trưởng khu vực" / "Trưởng cụm" / "Trưởng khối" (and the deputies); a member is a member under any term."""
    if role == Role.MEMBER:
        return Role.MEMBER.label
    return _ROLE_LABELS.get((_term(term), role), Role(role).label if role in Role.values else role)


def role_choices(term: str) -> list[tuple[str, Promise | str]]:
    """The membership roles as a form offers them, named with the term of the roster's year."""
    return [(value, role_label(value, term)) for value in Role.values]


def deputies_label(term: str) -> Promise:
    return _DEPUTIES[_term(term)]


def head_label_of(terms: set[str]) -> Promise | str:
    """A column of heads over rows named with one term ("Trưởng cụm") or with several (a region's years)."""
    terms = {_term(term) for term in terms} or {RegionTerm.KHU_VUC}
    if len(terms) == 1:
        return role_label(Role.HEAD, terms.pop())
    return _("Head of region or cluster")


def whole_label(term: str) -> Promise:
    """What a pact of every member unit is called: "Toàn khu vực", "Toàn cụm", "Toàn khối"."""
    return _WHOLE[_term(term)]


def term_noun(term: str) -> Promise:
    """The bare noun, lower case, for a sentence: "khu vực", "cụm", "khối"."""
    return _NOUN[_term(term)]


def day_of(value: date | int) -> date:
    """A date shown on a page, or a year (whose records show the names of its last day)."""
    from .selectors import year_reference_day

    return year_reference_day(value) if isinstance(value, int) else value
