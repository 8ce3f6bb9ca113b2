"""The pact's canonical text, the one that is signed, hashed and printed, and its SHA-256."""

import hashlib

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
        f"{pact.place}, ngày {signed_on:%d} tháng {signed_on:%m} năm {signed_on:%Y}",
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


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
