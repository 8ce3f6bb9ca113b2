"""Template filters of the pacts app: evidence times with their offset, and signing titles."""

import functools
from datetime import datetime
from zoneinfo import ZoneInfo

from django import template

from ..models import Pact
from ..titles import signing_title as table_title

register = template.Library()

EVIDENCE_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@register.filter
def evidence_time(value: datetime | None) -> str:
    """An aware time as evidence: "19/03/2018 09:15:02 +07:00", always in Asia/Ho_Chi_Minh."""
    if not isinstance(value, datetime):
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=EVIDENCE_ZONE)
    stamp = value.astimezone(EVIDENCE_ZONE).strftime("%d/%m/%Y %H:%M:%S %z")  # one strftime: 50 a page
    return f"{stamp[:-2]}:{stamp[-2:]}"


@register.simple_tag
def signing_title(pact: Pact, authority: str, position: str) -> str:
    """How a signature on ``pact`` is titled, as its PDF prints it: the lines of pacts/titles.py's table
    ("KT. CỤC TRƯỞNG / PHÓ CỤC TRƯỞNG") for a pact in the Decree 30 format; the authority recorded before the
    position ("Q. Phó Cục trưởng phụ trách") for a pact opened under the original format."""
    if pact is not None and pact.text_format == Pact.TextFormat.ORIGINAL:
        return f"{authority} {position}".strip()
    return _decree_title(authority or "", position or "")


@functools.lru_cache(maxsize=1024)
def _decree_title(authority: str, position: str) -> str:
    """The table's title for an authority and a position (the same for every signer of that position: a
    progress page titles fifty signatures with a handful of positions)."""
    try:
        return str(table_title(authority, position))
    except ValueError:
        return f"{authority} {position}".strip()
