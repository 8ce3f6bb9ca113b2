"""Dates as Vietnamese administrative documents write them (Nghị định 30/2020/NĐ-CP, Phụ lục I).

The decree writes the day and the month in full words-and-numbers form, "ngày 19 tháng 3 năm 2018", with a
leading zero only where a number could be misread: days 1 to 9 and the months January and February
("ngày 05 tháng 01 năm 2026", "ngày 09 tháng 02 năm 2024", "ngày 30 tháng 12 năm 2025").
"""

from datetime import date, datetime

from django.utils.dateformat import format as format_date
from django.utils.timezone import template_localtime


def decree_day(day: date) -> str:
    """The day of the month as the decree writes it: "05" for 1–9, "19" otherwise."""
    return f"{day.day:02d}"


def decree_month(day: date) -> str:
    """The month as the decree writes it: "01" and "02" for January and February, "3"… "12" otherwise."""
    return f"{day.month:02d}" if day.month < 3 else str(day.month)


def long_date(day: date) -> str:
    """ "ngày 19 tháng 3 năm 2018" """
    return f"ngày {decree_day(day)} tháng {decree_month(day)} năm {day.year}"


def place_and_date(place: str, day: date) -> str:
    """The place-and-date line of a document: "Quảng Bình, ngày 19 tháng 3 năm 2018"."""
    return f"{place}, {long_date(day)}"


def long_datetime(moment: datetime) -> str:
    """A time and its day as documents write them: "09 giờ 30 phút, ngày 19 tháng 3 năm 2018".

    ``moment`` is written as it is given: convert an aware time to the reader's zone first."""
    return f"{moment:%H} giờ {moment:%M} phút, {long_date(moment.date())}"


def short_date(value: date | datetime | None, pattern: str = "d/m/Y") -> str:
    """A date (or a time) as the lists show it, as the template filter ``date`` writes it: an aware time in the
    current time zone first; "" for none. For the row writers of the long tables."""
    return format_date(template_localtime(value), pattern) if value else ""
