"""Template filters for dates written in words for a person (pages, e-mails), as core/dates.py writes them.

In Vietnamese the decree's long form ("ngày 19 tháng 3 năm 2018", "09 giờ 30 phút, ngày 19 tháng 3 năm 2018");
in another language the portal's numeric form (19/03/2018, 09:30 19/03/2018), since the words are Vietnamese.
Numbers in tables and form fields stay numeric: use Django's ``date`` filter there.
"""

from datetime import date, datetime

from django import template
from django.utils import timezone, translation

from core import dates

register = template.Library()


def _vietnamese() -> bool:
    return (translation.get_language() or "vi").split("-")[0] == "vi"


@register.filter
def long_date(value: date | datetime | None) -> str:
    """ "ngày 19 tháng 3 năm 2018" (an aware time is taken on its day in the portal's zone)."""
    if not isinstance(value, date):
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return dates.long_date(value) if _vietnamese() else f"{value:%d/%m/%Y}"


@register.filter
def long_datetime(value: datetime | None) -> str:
    """ "09 giờ 30 phút, ngày 19 tháng 3 năm 2018", in the portal's zone."""
    if not isinstance(value, datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dates.long_datetime(value) if _vietnamese() else f"{value:%H:%M %d/%m/%Y}"
