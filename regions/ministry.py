"""Which department of the Ministry of Justice ran emulation and commendation (thi đua, khen thưởng), by date.

Vụ Thi đua - Khen thưởng was set up by Quyết định số 1153/QĐ-BTP of 28/04/2006; Quyết định số 1186/QĐ-BTP of
28/06/2023 gave the function to Vụ Tổ chức cán bộ (its functions since include "thi đua, khen thưởng của Bộ,
ngành Tư pháp"). Pages and documents that name the ministry's body ask for the one of their own date.
Sources: moj.gov.vn (hoat-dong-cua-cac-don-vi-thuoc-bo.aspx?ItemID=102; co-cau-to-chuc.aspx?ItemID=6).
"""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class MinistryBody:
    name: str  # as a document names it: "Vụ Tổ chức cán bộ"
    valid_from: date | None  # None: before the first record
    valid_to: date | None
    basis: str

    @property
    def full_name(self) -> str:
        """ "Vụ Tổ chức cán bộ, Bộ Tư pháp": the unit a ministry account belongs to."""
        return f"{self.name}, Bộ Tư pháp"

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


TCCB_DAY = date(2023, 6, 28)

EMULATION_BODIES: tuple[MinistryBody, ...] = (
    MinistryBody(
        "Vụ Thi đua - Khen thưởng",
        date(2006, 4, 28),
        TCCB_DAY - timedelta(days=1),
        "Quyết định số 1153/QĐ-BTP ngày 28/4/2006 của Bộ trưởng Bộ Tư pháp",
    ),
    MinistryBody(
        "Vụ Tổ chức cán bộ",
        TCCB_DAY,
        None,
        "Quyết định số 1186/QĐ-BTP ngày 28/6/2023 của Bộ trưởng Bộ Tư pháp",
    ),
)


def emulation_body_on(day: date) -> MinistryBody:
    """The ministry department in charge of emulation and commendation on that day (the first one before 2006)."""
    for body in EMULATION_BODIES:
        if body.is_valid_on(day):
            return body
    return EMULATION_BODIES[0]
