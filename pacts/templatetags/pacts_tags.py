"""Template filters of the pacts app: evidence times with their offset."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template

register = template.Library()

EVIDENCE_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@register.filter
def evidence_time(value: datetime | None) -> str:
    """An aware time as evidence: "19/03/2018 09:15:02 +07:00", always in Asia/Ho_Chi_Minh."""
    if not isinstance(value, datetime):
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=EVIDENCE_ZONE)
    local = value.astimezone(EVIDENCE_ZONE)
    offset = local.strftime("%z")
    return f"{local:%d/%m/%Y %H:%M:%S} {offset[:3]}:{offset[3:]}"
