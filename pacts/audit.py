"""Writing the audit trail: one row per state change, in the same transaction as the change."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from .models import AuditEvent, Campaign, Pact


@dataclass(frozen=True)
class RequestInfo:
    """Where an action came from: kept with signatures and audit events."""

    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> "RequestInfo":
        from axes.helpers import get_client_ip_address

        return cls(
            ip_address=get_client_ip_address(request) or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        )


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
        detail=detail,
    )
