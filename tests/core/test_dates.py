"""Dates as Decree 30/2020 writes them: a leading zero only for days 1–9 and for January and February."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from core.dates import decree_day, decree_month, long_date, long_datetime, place_and_date

DAYS = {
    1: "01", 2: "02", 3: "03", 4: "04", 5: "05", 6: "06", 7: "07", 8: "08", 9: "09", 10: "10",
    11: "11", 12: "12", 13: "13", 14: "14", 15: "15", 16: "16", 17: "17", 18: "18", 19: "19", 20: "20",
    21: "21", 22: "22", 23: "23", 24: "24", 25: "25", 26: "26", 27: "27", 28: "28", 29: "29", 30: "30", 31: "31",
}  # fmt: skip
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MONTHS = {1: "01", 2: "02", 3: "3", 4: "4", 5: "5", 6: "6", 7: "7", 8: "8", 9: "9", 10: "10", 11: "11", 12: "12"}


@pytest.mark.parametrize(("day", "written"), sorted(DAYS.items()))
def test_every_day_of_the_month(day, written):
    assert decree_day(date(2026, 1, day)) == written
    assert long_date(date(2025, 12, day)) == f"ngày {written} tháng 12 năm 2025"


@pytest.mark.parametrize(("month", "written"), sorted(MONTHS.items()))
def test_every_month_of_the_year(month, written):
    assert decree_month(date(2018, month, 19)) == written
    assert long_date(date(2018, month, 19)) == f"ngày 19 tháng {written} năm 2018"


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (date(2018, 3, 19), "ngày 19 tháng 3 năm 2018"),
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2024, 2, 9), "ngày 09 tháng 02 năm 2024"),
        (date(2025, 12, 30), "ngày 30 tháng 12 năm 2025"),
        (date(2020, 10, 1), "ngày 01 tháng 10 năm 2020"),
        (date(2024, 2, 29), "ngày 29 tháng 02 năm 2024"),
    ],
)
def test_whole_dates(day, written):
    assert long_date(day) == written


def test_the_place_and_date_line():
    assert place_and_date("Quảng Bình", date(2018, 3, 19)) == "Quảng Bình, ngày 19 tháng 3 năm 2018"


def test_a_time_and_its_day():
    assert long_datetime(datetime(2026, 3, 27, 9, 5, tzinfo=VIETNAM)) == "09 giờ 05 phút, ngày 27 tháng 3 năm 2026"
    assert long_datetime(datetime(2026, 1, 2, 17, 30, tzinfo=VIETNAM)) == "17 giờ 30 phút, ngày 02 tháng 01 năm 2026"


def _render(source: str, **context) -> str:
    return Template("{% load decree_dates %}" + source).render(Context(context))


def test_the_template_filters_write_words_in_vietnamese_and_numbers_otherwise(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    moment = datetime(2026, 3, 26, 19, 30, tzinfo=ZoneInfo("UTC"))  # 02:30 on the 27th in Vietnam
    with translation.override("vi"):
        assert _render("{{ d|long_date }}", d=date(2018, 3, 19)) == "ngày 19 tháng 3 năm 2018"
        assert _render("{{ m|long_datetime }}", m=moment) == "02 giờ 30 phút, ngày 27 tháng 3 năm 2026"
        assert _render("{{ m|long_date }}", m=moment) == "ngày 27 tháng 3 năm 2026"
        assert _render("{{ m|long_date }}|{{ m|long_datetime }}", m=None) == "|"
    with translation.override("en"):
        assert _render("{{ d|long_date }}", d=date(2018, 3, 19)) == "19/03/2018"
        assert _render("{{ m|long_datetime }}", m=moment) == "02:30 27/03/2026"
