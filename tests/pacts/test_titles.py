"""The table of signing titles (pacts/titles.py), row by row."""

import unicodedata

import pytest

from pacts.titles import Authority, head_title, own_title, signing_title

ROWS = [
    # (authority recorded, position, extra, authority printed, lines)
    ("", "Giám đốc", {}, Authority.HEAD, ("GIÁM ĐỐC",)),
    ("", "Giám đốc Sở Tư pháp", {}, Authority.HEAD, ("GIÁM ĐỐC",)),
    ("", "Giám đốc Sở Tư pháp tỉnh Quảng Bình", {}, Authority.HEAD, ("GIÁM ĐỐC",)),
    ("", "Cục trưởng", {}, Authority.HEAD, ("CỤC TRƯỞNG",)),
    ("", "Cục trưởng Cục Thi hành án dân sự tỉnh Quảng Trị", {}, Authority.HEAD, ("CỤC TRƯỞNG",)),
    ("", "Chi cục trưởng", {}, Authority.HEAD, ("CHI CỤC TRƯỞNG",)),
    ("", "Chi Cục trưởng", {}, Authority.HEAD, ("CHI CỤC TRƯỞNG",)),
    ("", "Chi cục trưởng Chi cục Thi hành án dân sự huyện Bố Trạch", {}, Authority.HEAD, ("CHI CỤC TRƯỞNG",)),
    ("", "Trưởng Thi hành án dân sự tỉnh", {}, Authority.HEAD, ("TRƯỞNG THI HÀNH ÁN DÂN SỰ TỈNH",)),
    ("", "Trưởng Phòng Thi hành án dân sự khu vực 1", {}, Authority.HEAD, ("TRƯỞNG PHÒNG",)),
    ("KT.", "Phó Giám đốc", {}, Authority.DEPUTY, ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    ("KT.", "Phó Giám đốc Sở Tư pháp", {}, Authority.DEPUTY, ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    ("KT.", "Phó Chi cục trưởng", {}, Authority.DEPUTY, ("KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG")),
    (
        "KT.",
        "Phó Trưởng Thi hành án dân sự tỉnh",
        {},
        Authority.DEPUTY,
        ("KT. TRƯỞNG THI HÀNH ÁN DÂN SỰ TỈNH", "PHÓ TRƯỞNG THI HÀNH ÁN DÂN SỰ TỈNH"),
    ),
    ("KT.", "Phó Trưởng phòng", {}, Authority.DEPUTY, ("KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG")),
    ("KT.", "Phó Chánh Văn phòng", {}, Authority.DEPUTY, ("KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG")),
    ("KT.", "Trưởng phòng phụ trách", {}, Authority.DEPUTY, ("KT. THỦ TRƯỞNG ĐƠN VỊ", "TRƯỞNG PHÒNG")),
    ("KT.", "Trưởng phòng", {"head": "Giám đốc"}, Authority.DEPUTY, ("KT. GIÁM ĐỐC", "TRƯỞNG PHÒNG")),
    ("Q.", "Quyền Cục trưởng", {}, Authority.ACTING, ("Q. CỤC TRƯỞNG",)),
    ("Q.", "Q. Giám đốc", {}, Authority.ACTING, ("Q. GIÁM ĐỐC",)),
    ("Q.", "Giám đốc", {}, Authority.ACTING, ("Q. GIÁM ĐỐC",)),
    ("", "Quyền Giám đốc Sở Tư pháp", {}, Authority.ACTING, ("Q. GIÁM ĐỐC",)),
    # The deputy in charge: KT., never "Q. PHÓ …", whatever was recorded.
    ("KT.", "Phó Cục trưởng phụ trách", {}, Authority.DEPUTY, ("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG")),
    ("Q.", "Phó Cục trưởng phụ trách", {}, Authority.DEPUTY, ("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG")),
    ("", "Phó Giám đốc phụ trách Sở", {}, Authority.DEPUTY, ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    (
        "TM.",
        "Trưởng Cụm",
        {"body": "Cụm thi đua các tỉnh Bắc Trung Bộ"},
        Authority.ON_BEHALF,
        ("TM. CỤM THI ĐUA CÁC TỈNH BẮC TRUNG BỘ", "TRƯỞNG CỤM"),
    ),
    ("TM.", "Bí thư", {"body": "Ban Chấp hành"}, Authority.ON_BEHALF, ("TM. BAN CHẤP HÀNH", "BÍ THƯ")),
    (
        "TM.",
        "Phó Chủ tịch",
        {"body": "Ủy ban nhân dân"},
        Authority.ON_BEHALF,
        ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    ),
    (
        "TL.",
        "Vụ trưởng Vụ Tổ chức cán bộ",
        {"head": "Bộ trưởng"},
        Authority.BY_ORDER,
        ("TL. BỘ TRƯỞNG", "VỤ TRƯỞNG VỤ TỔ CHỨC CÁN BỘ"),
    ),
    (
        "TL.",
        "Phó Vụ trưởng Vụ Tổ chức cán bộ",
        {"head": "Bộ trưởng"},
        Authority.BY_ORDER,
        ("TL. BỘ TRƯỞNG", "KT. VỤ TRƯỞNG VỤ TỔ CHỨC CÁN BỘ", "PHÓ VỤ TRƯỞNG"),
    ),
    ("TUQ.", "Chánh Văn phòng", {"head": "Giám đốc"}, Authority.BY_AUTHORISATION, ("TUQ. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG")),
]


@pytest.mark.parametrize(("authority", "position", "extra", "printed", "lines"), ROWS)
def test_the_table(authority, position, extra, printed, lines):
    title = signing_title(authority, position, **extra)
    assert title.lines == lines
    assert title.authority == printed
    assert str(title) == " / ".join(lines)
    assert not any(line.startswith("Q. PHÓ") for line in title.lines)


def test_positions_typed_decomposed_or_with_extra_spaces_come_out_composed():
    position = unicodedata.normalize("NFD", "  Phó   Giám đốc ")
    assert signing_title("KT.", position).lines == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")


@pytest.mark.parametrize(
    ("authority", "position", "extra", "message"),
    [
        ("TM.", "Trưởng Cụm", {}, "collective body"),
        ("TL.", "Vụ trưởng Vụ Tổ chức cán bộ", {}, "head of the body"),
        ("TUQ.", "Phó Chánh Văn phòng", {"head": "Giám đốc"}, "cannot be passed on"),
        ("", "   ", {}, "position"),
        ("XX.", "Giám đốc", {}, "XX."),
    ],
)
def test_what_the_decree_does_not_allow_is_refused(authority, position, extra, message):
    with pytest.raises(ValueError, match=message):
        signing_title(authority, position, **extra)


def test_the_head_title_and_the_own_title():
    assert head_title("Phó Cục trưởng") == "Cục trưởng"
    assert head_title("Phó Trưởng phòng") == "Trưởng phòng"
    assert own_title("Giám đốc Sở Tư pháp tỉnh Hà Tĩnh") == "Giám đốc"
    assert own_title("Phó Cục trưởng phụ trách") == "Phó Cục trưởng"
    assert own_title("Bộ trưởng Bộ Tư pháp") == "Bộ trưởng"
    assert own_title("Chánh Văn phòng Sở") == "Chánh Văn phòng"
