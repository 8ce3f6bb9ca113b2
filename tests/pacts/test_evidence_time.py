"""How a time is written as evidence (pacts.templatetags.pacts_tags.evidence_time): in Asia/Ho_Chi_Minh
whatever zone it comes in, with that day's offset written +HH:MM."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from pacts.templatetags.pacts_tags import evidence_time


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (datetime(2026, 3, 13, 2, 27, 5, 999999, tzinfo=UTC), "13/03/2026 09:27:05 +07:00"),
        (datetime(2026, 12, 31, 20, 0, tzinfo=timezone(timedelta(hours=-5))), "01/01/2027 08:00:00 +07:00"),
        (datetime(2018, 3, 19, 9, 15, 2), "19/03/2018 09:15:02 +07:00"),  # noqa: DTZ001 - naive: Vietnam's time
        (datetime(1970, 6, 1, 0, 0, tzinfo=UTC), "01/06/1970 08:00:00 +08:00"),  # Saigon's offset then
        (date(2026, 3, 13), ""),
        (None, ""),
    ],
)
def test_a_time_is_written_in_vietnam_with_its_offset(value, written):
    assert evidence_time(value) == written
