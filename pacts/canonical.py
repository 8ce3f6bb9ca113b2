"""The pact's canonical text, the one that is signed, hashed and printed, and its SHA-256.

The text is written in the format the pact was opened under (``Pact.text_format``), and keeps it: a pact
signed under the original format gives the very text, and so the SHA-256, its signers signed, however the
format of new pacts changes. Only ever add a format; never change what an existing one writes
(tests/pacts/test_original_format.py holds the original to a recorded pact, byte for byte).

- ORIGINAL (1): "Đồng Hới, ngày 19 tháng 03 năm 2018", the month with a leading zero.
- DECREE_30 (2): the date as Nghị định 30/2020/NĐ-CP writes it (core.dates): "…, ngày 19 tháng 3 năm 2018".
"""

import hashlib
from datetime import date

from core.dates import place_and_date
from core.text import nfc
from regions.selectors import region_name_on

from .models import Pact


def pact_canonical_text(pact: Pact) -> str:
    """The pact's whole text as it is signed and printed, normalised to NFC."""
    signed_on = pact.signed_on
    region_name = region_name_on(pact.campaign.region, signed_on)
    lines = [
        f"{region_name} - {pact.block}" if pact.block else region_name,
        pact.number,
        date_line(pact.place, signed_on, pact.text_format),
        "",
        pact.title,
        "",
        pact.bases,
        "",
        "CÁC BÊN GIAO ƯỚC",
        pact.parties,
        *[f"{n}. {s.unit_name}" for n, s in enumerate(pact.signatories.order_by("order"), start=1)],
        "",
        "NỘI DUNG GIAO ƯỚC",
        *[f"{c.number}. {c.text}" for c in pact.clauses.order_by("number")],
        "",
        "CHỈ TIÊU",
        pact.targets,
        "",
        "TỔ CHỨC THỰC HIỆN",
        pact.implementation,
    ]
    text = "\n".join(line.rstrip() for line in "\n".join(lines).replace("\r\n", "\n").split("\n"))
    return nfc(text).strip() + "\n"


def date_line(place: str, day: date, text_format: int) -> str:
    """The place-and-date line of the text in its format."""
    if text_format == Pact.TextFormat.ORIGINAL:
        return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    return place_and_date(place, day)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
