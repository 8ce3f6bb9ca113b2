"""Writing the audit trail: one row per state change, in the same transaction as the change; and the security
log, where what does not belong to a pact's trail goes (an attempt by someone who is no party to it)."""

import json
import logging
import unicodedata
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from accounts.client import client_ip

from .models import AuditEvent, Campaign, Pact

security_log = logging.getLogger("thidua.security")

USER_AGENT_LENGTH = 300
DETAIL_LENGTH = 2000
# Control characters (Cc) and invisible format characters (Cf: right-to-left overrides, zero-width marks):
# kept in a record, they forge line breaks in an export or reorder what a reader sees.
_HIDDEN = frozenset({"Cc", "Cf"})


def bounded_text(value: str, limit: int, *, keep_lines: bool = False) -> str:
    """Client-supplied text as the record keeps it: without control or invisible format characters (line
    breaks and tabs kept when ``keep_lines``), and at most ``limit`` characters."""
    kept = "\n\t" if keep_lines else ""
    cleaned = "".join(c for c in value if c in kept or unicodedata.category(c) not in _HIDDEN)
    return cleaned[:limit]


@dataclass(frozen=True)
class RequestInfo:
    """Where an action came from: kept with signatures and audit events. The user agent is whatever the client
    sent, so it is kept bounded and without control characters, however the RequestInfo was made."""

    ip_address: str | None = None
    user_agent: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "user_agent", bounded_text(self.user_agent or "", USER_AGENT_LENGTH).strip())

    @classmethod
    def from_request(cls, request: HttpRequest) -> "RequestInfo":
        # Read a little more than is kept, so that a huge header costs nothing to clean.
        user_agent = request.META.get("HTTP_USER_AGENT", "")[: USER_AGENT_LENGTH * 4]
        return cls(ip_address=client_ip(request), user_agent=user_agent)


SYSTEM = RequestInfo()


def audit_record(
    *,
    action: str,
    info: RequestInfo = SYSTEM,
    pact: Pact | None = None,
    campaign: Campaign | None = None,
    actor=None,
    unit=None,
    unit_name: str = "",
    detail: str = "",
) -> AuditEvent:
    actor_name = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_name = actor.full_name or actor.get_username()
    else:
        actor = None
    return AuditEvent.objects.create(
        action=action,
        pact=pact,
        campaign=campaign or (pact.campaign if pact else None),
        actor=actor,
        actor_name=actor_name,
        unit=unit,
        unit_name=unit_name or (unit.name if unit else ""),
        at=timezone.now(),
        ip_address=info.ip_address,
        user_agent=info.user_agent,
        detail=bounded_text(detail, DETAIL_LENGTH, keep_lines=True),
    )


def security_record(event: str, *, user, info: RequestInfo, **fields) -> None:
    """One line of the security log (logger ``thidua.security``): ``key=value`` pairs, values JSON-quoted so a
    name or a reason cannot break the line; the same pairs in ``record.security`` for a structured handler."""
    authenticated = getattr(user, "is_authenticated", False)
    pairs = {
        "event": event,
        "user_id": user.pk if authenticated else None,
        "username": user.get_username() if authenticated else "",
        **fields,
        "ip": info.ip_address,
    }
    line = " ".join(f"{key}={json.dumps(value, ensure_ascii=False, default=str)}" for key, value in pairs.items())
    security_log.warning(line, extra={"security": pairs})
