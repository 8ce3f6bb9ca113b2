"""Signing titles: what a signature block prints above the signer's name (Nghị định 30/2020/NĐ-CP, Điều 13
and Phụ lục I, ô 7a "quyền hạn" and ô 7b "chức vụ của người ký"). The one place these rules are written;
the pact page, the signing pages, the PDF's signature blocks and its completion certificate all read them.

The table, with the lines printed in capitals (the signer's position as the appointment records it):

=============================  ==========================  ==============================================
who signs                      position recorded           lines printed
=============================  ==========================  ==============================================
the head (thủ trưởng)          Giám đốc                    GIÁM ĐỐC
                               Giám đốc Sở Tư pháp         GIÁM ĐỐC
                               Chi cục trưởng              CHI CỤC TRƯỞNG
                               Trưởng Thi hành án dân sự   TRƯỞNG THI HÀNH ÁN DÂN SỰ TỈNH
                               tỉnh
a deputy signing for the head  Phó Giám đốc                KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC
(KT., ký thay)                 Phó Trưởng Thi hành án      KT. TRƯỞNG THI HÀNH ÁN DÂN SỰ TỈNH /
                               dân sự tỉnh                 PHÓ TRƯỞNG THI HÀNH ÁN DÂN SỰ TỈNH
a formally appointed acting    Quyền Cục trưởng            Q. CỤC TRƯỞNG
head (Q., quyền)
a deputy in charge while the   Phó Cục trưởng phụ trách    KT. CỤC TRƯỞNG / PHÓ CỤC TRƯỞNG
post is vacant
the head of a collective body  Trưởng Cụm, for "Cụm thi    TM. CỤM THI ĐUA CÁC TỈNH BẮC TRUNG BỘ /
on its behalf (TM., thay mặt)  đua các tỉnh Bắc Trung Bộ"  TRƯỞNG CỤM
                               Phó Chủ tịch, for "Ủy ban   TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH /
                               nhân dân"                   PHÓ CHỦ TỊCH
the head of an office, by      Vụ trưởng Vụ Tổ chức cán    TL. BỘ TRƯỞNG / VỤ TRƯỞNG VỤ TỔ CHỨC CÁN BỘ
order of the body's head       bộ, for the Bộ trưởng
(TL., thừa lệnh)               Phó Vụ trưởng Vụ Tổ chức    TL. BỘ TRƯỞNG / KT. VỤ TRƯỞNG VỤ TỔ CHỨC CÁN
                               cán bộ                      BỘ / PHÓ VỤ TRƯỞNG
the head of an office, by      Chánh Văn phòng, for the    TUQ. GIÁM ĐỐC / CHÁNH VĂN PHÒNG
authorisation of the body's    Giám đốc
head (TUQ., thừa ủy quyền)
=============================  ==========================  ==============================================

The rules behind it:

1. "Phụ trách" and whatever follows it is dropped: it says what the signer does, not their title.
2. The signer's own title leaves out the name of their body when that is a separate name after a complete title
   ("Giám đốc Sở Tư pháp" → "GIÁM ĐỐC"; "Cục trưởng Cục Thi hành án dân sự tỉnh" → "CỤC TRƯỞNG"): the body is
   printed on the line above the title. A bare "Trưởng" is no title, so there the name stays ("TRƯỞNG THI HÀNH
   ÁN DÂN SỰ TỈNH"), shortened to its first word for a room, a board, a team, a cluster or a block ("Trưởng
   Phòng Thi hành án dân sự khu vực 1" → "TRƯỞNG PHÒNG"). Under TL. and TUQ. the signer heads an office of
   the body, not the body: their position is printed whole ("VỤ TRƯỞNG VỤ TỔ CHỨC CÁN BỘ").
3. The head's title is the deputy's title without its leading "Phó" ("PHÓ CỤC TRƯỞNG" → "CỤC TRƯỞNG"). A
   deputy whose position names no head ("Phó" missing) signs "KT. THỦ TRƯỞNG ĐƠN VỊ" unless the head's title
   is given.
4. "Q." stands only before the head's own title, for a formally appointed acting head ("Quyền Cục trưởng" →
   "Q. CỤC TRƯỞNG"). A deputy is never "Q.": a deputy put in charge while the post is vacant, whatever the
   authority recorded, signs for the head as any deputy does ("KT. CỤC TRƯỞNG / PHÓ CỤC TRƯỞNG"). Likewise a
   deputy recorded as signing "as head" signs KT.
5. TM. names the collective body (a cluster, a board, an Ủy ban) whose head signs on its behalf; a deputy of
   it adds "KT." and the head's title below.
6. TL. may be passed on to the office head's deputy (KT. under TL.); TUQ. may not (Điều 13, khoản 3): a deputy
   cannot sign TUQ.

A pact signature records the authority as "" (head), "KT." or "Q." (``PactSignature.Authority``); TM., TL.
and TUQ. are for the documents a body issues (a cluster's or the ministry's), not for a unit's own signature
on a pact, which its leader always signs for their own unit.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from core.text import nfc


class Authority(StrEnum):
    """The authority prefix of ô 7a."""

    HEAD = ""
    DEPUTY = "KT."  # ký thay
    ACTING = "Q."  # quyền
    ON_BEHALF = "TM."  # thay mặt (a collective body)
    BY_ORDER = "TL."  # thừa lệnh
    BY_AUTHORISATION = "TUQ."  # thừa ủy quyền


HEAD_IN_GENERAL = "Thủ trưởng đơn vị"
DEPUTY = re.compile(r"^phó\s+", re.IGNORECASE)
ACTING = re.compile(r"^(quyền|q\.)\s*", re.IGNORECASE)
IN_CHARGE = re.compile(r"\s+phụ\s+trách\b.*$", re.IGNORECASE)
# The words that begin a body's name after a title ("Sở Tư pháp", "Cục Thi hành án…"); capitalised, so that the
# titles' own "trưởng phòng", "Chi cục trưởng" or "Chánh Văn phòng" are never cut.
BODY_NAME = re.compile(
    r"\s+(?=(?:Sở|Cục|Chi cục|Tổng cục|Vụ|Bộ|Ủy ban|Thi hành án|Phòng|Ban|Đoàn|Cụm|Khối|Trung tâm)\b(?!\s+trưởng))"
)
# Bodies whose head's bare "Trưởng" takes the first word of the name: "Trưởng phòng", "Trưởng ban"…
SHORT_HEAD_BODIES = ("Phòng", "Ban", "Đoàn", "Cụm", "Khối")


@dataclass(frozen=True)
class SigningTitle:
    """The lines of ô 7a/7b, in capitals, and the authority they print (after rule 4)."""

    authority: Authority
    lines: tuple[str, ...]

    def __str__(self) -> str:
        return " / ".join(self.lines)


def signing_title(authority: str, position: str, *, body: str = "", head: str = "") -> SigningTitle:
    """The signing title of a signer with ``position`` signing with ``authority`` (one of ``Authority``).

    ``body`` is the collective body for TM.; ``head`` the title of the body's head for TL. and TUQ. (and, for
    KT., when the deputy's position does not name it). Raises ValueError for what the decree does not allow.
    """
    authority = Authority(authority)
    position = " ".join(nfc(position).split())
    position = IN_CHARGE.sub("", position)
    acting = ACTING.match(position)
    if acting:
        position = position[acting.end() :]
    deputy = bool(DEPUTY.match(position))
    if not position:
        raise ValueError("A signing title needs the signer's position.")
    if authority in (Authority.BY_ORDER, Authority.BY_AUTHORISATION):
        return _by_order(authority, position, head=head, deputy=deputy)
    if authority == Authority.ON_BEHALF:
        if not body.strip():
            raise ValueError("TM. names the collective body the signer signs for.")
        first = f"TM. {_upper(body)}"
        if deputy:
            return SigningTitle(authority, (first, *_deputy_lines(own_title(position), head)))
        return SigningTitle(authority, (first, _upper(own_title(position))))
    if deputy:
        return SigningTitle(Authority.DEPUTY, _deputy_lines(own_title(position), head))
    if authority == Authority.ACTING or acting:
        return SigningTitle(Authority.ACTING, (f"Q. {_upper(own_title(position))}",))
    if authority == Authority.DEPUTY:
        return SigningTitle(Authority.DEPUTY, (f"KT. {_upper(head or HEAD_IN_GENERAL)}", _upper(own_title(position))))
    return SigningTitle(Authority.HEAD, (_upper(own_title(position)),))


def own_title(position: str) -> str:
    """The signer's title without the name of their body (rule 2): "Giám đốc Sở Tư pháp" → "Giám đốc"."""
    position = IN_CHARGE.sub("", " ".join(nfc(position).split()))
    parts = BODY_NAME.split(position, maxsplit=1)
    if len(parts) == 1:
        return position
    title, name = parts
    if DEPUTY.sub("", title).lower() != "trưởng":
        return title
    first_word = name.split()[0]
    if first_word in SHORT_HEAD_BODIES:
        return f"{title} {first_word.lower()}"
    return position


def head_title(deputy_title: str) -> str:
    """The head's title from a deputy's (rule 3): "Phó Cục trưởng" → "Cục trưởng"."""
    title = DEPUTY.sub("", deputy_title, count=1)
    return title[:1].upper() + title[1:]


def _deputy_lines(title: str, head: str) -> tuple[str, str]:
    named = head_title(title) if DEPUTY.match(title) else (head or HEAD_IN_GENERAL)
    return (f"KT. {_upper(named)}", _upper(title))


def _by_order(authority: Authority, position: str, *, head: str, deputy: bool) -> SigningTitle:
    if not head.strip():
        raise ValueError(f"{authority} names the head of the body the signer signs for.")
    first = f"{authority} {_upper(head)}"
    if not deputy:
        return SigningTitle(authority, (first, _upper(position)))
    if authority == Authority.BY_AUTHORISATION:
        raise ValueError("A signature by authorisation (TUQ.) cannot be passed on to a deputy.")
    office_head = head_title(position)
    return SigningTitle(authority, (first, f"KT. {_upper(office_head)}", _upper(own_title(position))))


def _upper(text: str) -> str:
    return nfc(" ".join(text.split())).upper()
