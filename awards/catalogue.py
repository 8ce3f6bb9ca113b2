"""The titles and forms of commendation the portal starts with, their legal bases and the rules drawn from them.

Loaded by a migration (so every installation has them) and again by the demo and by tests after a
database flush; ministry staff edit them afterwards. The in-force dates of the Law 2003 (as amended)
and of the Law 2022 (No. 06/2022/QH15, from 01/01/2024) are the Laws' own; the Justice circulars' are approximate
(TT 05/2018/TT-BTP from 22/07/2018, TT 11/2023/TT-BTP from 01/01/2024) and should be checked; TT 14/2025/TT-BTP
(Kỷ niệm chương "Vì sự nghiệp Tư pháp") is in force from 15/09/2025.

Each title's ``legal_basis`` cites only what was read in a public source (see ``RULES``); where the article could
not be checked the document is cited without it. The Government flag (Law 2022 Art. 25(1)) is chosen among the
units the clusters voted up as leaders that meet the ministry flag's standard, at most 20% of them (Decree
91/2017 Art. 11(1); Ministry of Home Affairs letter 5007/BNV-TĐKT of 05/09/2023): it is proposed for units voted up
for Cờ thi đua ngành Tư pháp, and nothing read forbids a unit both flags, so they do not exclude each other.
Bằng khen goes to collectives and to individuals: the individual form is a title of its own, whose
registrations name the people (name and position), like every individual title.
"""

from datetime import date

LAW_2003 = (
    "Luật Thi đua, khen thưởng năm 2003 (sửa đổi, bổ sung năm 2005, 2009, 2013)",
    date(2004, 1, 1),
    date(2023, 12, 31),
)
LAW_2022 = ("Luật Thi đua, khen thưởng số 06/2022/QH15", date(2024, 1, 1), None)
TT_2018 = ("Thông tư 05/2018/TT-BTP", date(2018, 7, 22), date(2023, 12, 31))
TT_2023 = ("Thông tư 11/2023/TT-BTP", date(2024, 1, 1), None)
TT_2025_KNC = ("Thông tư 14/2025/TT-BTP", date(2025, 9, 15), None)

PROVINCIAL = ["so_tu_phap", "cuc_thads", "thads_tinh"]
THADS = ["cuc_thads", "chi_cuc_thads", "thads_tinh", "phong_thads_khu_vuc"]
ALL_LOCAL = ["so_tu_phap", *THADS]

# code, name, kind, subject, level, granting authority, unit kinds, requires vote, conditions,
# bases as (document, article of the 2003 law or "", article of the 2022 law), extra circulars.
TITLES = [
    (
        "co-thi-dua-chinh-phu",
        "Cờ thi đua của Chính phủ",
        "title",
        "collective",
        "government",
        "Thủ tướng Chính phủ",
        PROVINCIAL,
        False,
        "Tiêu biểu xuất sắc trong số các tập thể dẫn đầu phong trào thi đua của cụm, khối thi đua "
        "do bộ, ngành tổ chức.",
        "Điều 25",
        [],
    ),
    (
        "co-thi-dua-nganh-tu-phap",
        "Cờ thi đua ngành Tư pháp",
        "title",
        "collective",
        "ministry",
        "Bộ trưởng Bộ Tư pháp",
        ALL_LOCAL,
        True,
        "Dẫn đầu phong trào thi đua của khu vực (cụm, khối) thi đua.\n"
        "Được khu vực (cụm, khối) thi đua suy tôn tại hội nghị tổng kết.",
        "Điều 26",
        [TT_2018, TT_2023],
    ),
    (
        "tap-the-lao-dong-xuat-sac",
        "Tập thể lao động xuất sắc",
        "title",
        "collective",
        "ministry",
        "Bộ trưởng Bộ Tư pháp",
        THADS,
        False,
        "Hoàn thành xuất sắc nhiệm vụ trong năm; 100% cá nhân hoàn thành nhiệm vụ, ít nhất 70% đạt "
        '"Lao động tiên tiến".\nCó cá nhân đạt "Chiến sĩ thi đua cơ sở"; không có cá nhân bị kỷ luật từ '
        "cảnh cáo trở lên.",
        "Điều 27",
        [TT_2018, TT_2023],
    ),
    (
        "tap-the-lao-dong-tien-tien",
        "Tập thể lao động tiên tiến",
        "title",
        "collective",
        "grassroots",
        "Thủ trưởng cơ quan, đơn vị",
        THADS,
        False,
        'Hoàn thành tốt nhiệm vụ; ít nhất 70% cá nhân đạt "Lao động tiên tiến".\n'
        "Không có cá nhân bị kỷ luật từ cảnh cáo trở lên; nội bộ đoàn kết.",
        "Điều 28",
        [TT_2018, TT_2023],
    ),
    (
        "bang-khen-thu-tuong",
        "Bằng khen của Thủ tướng Chính phủ",
        "form",
        "collective",
        "government",
        "Thủ tướng Chính phủ",
        ALL_LOCAL,
        False,
        "",
        "",
        [],
    ),
    (
        "bang-khen-bo-truong",
        "Bằng khen của Bộ trưởng Bộ Tư pháp",
        "form",
        "collective",
        "ministry",
        "Bộ trưởng Bộ Tư pháp",
        ALL_LOCAL,
        False,
        "",
        "",
        [TT_2018, TT_2023],
    ),
    (
        "chien-si-thi-dua-toan-quoc",
        "Chiến sĩ thi đua toàn quốc",
        "title",
        "individual",
        "government",
        "Thủ tướng Chính phủ",
        ALL_LOCAL,
        False,
        'Hai lần liên tục đạt "Chiến sĩ thi đua cấp bộ, ngành" và có sáng kiến, đề tài có phạm vi ảnh hưởng toàn quốc.',
        "Điều 21",
        [],
    ),
    (
        "chien-si-thi-dua-nganh-tu-phap",
        "Chiến sĩ thi đua ngành Tư pháp",
        "title",
        "individual",
        "ministry",
        "Bộ trưởng Bộ Tư pháp",
        ALL_LOCAL,
        False,
        'Ba lần liên tục đạt "Chiến sĩ thi đua cơ sở" và có sáng kiến có phạm vi ảnh hưởng trong ngành.',
        "Điều 22",
        [TT_2018, TT_2023],
    ),
    (
        "chien-si-thi-dua-co-so",
        "Chiến sĩ thi đua cơ sở",
        "title",
        "individual",
        "grassroots",
        "Thủ trưởng cơ quan, đơn vị",
        ALL_LOCAL,
        False,
        'Đạt "Lao động tiên tiến" và hoàn thành xuất sắc nhiệm vụ hoặc có sáng kiến được công nhận.',
        "Điều 23",
        [],
    ),
    (
        "lao-dong-tien-tien",
        "Lao động tiên tiến",
        "title",
        "individual",
        "grassroots",
        "Thủ trưởng cơ quan, đơn vị",
        THADS,
        False,
        "Hoàn thành tốt nhiệm vụ; chấp hành tốt chủ trương, chính sách, pháp luật; tinh thần tự lực, đoàn kết.",
        "Điều 24",
        [TT_2018, TT_2023],
    ),
    (
        "bang-khen-thu-tuong-ca-nhan",
        "Bằng khen của Thủ tướng Chính phủ (cá nhân)",
        "form",
        "individual",
        "government",
        "Thủ tướng Chính phủ",
        ALL_LOCAL,
        False,
        "",
        "",
        [],
    ),
    (
        "bang-khen-bo-truong-ca-nhan",
        "Bằng khen của Bộ trưởng Bộ Tư pháp (cá nhân)",
        "form",
        "individual",
        "ministry",
        "Bộ trưởng Bộ Tư pháp",
        ALL_LOCAL,
        False,
        "",
        "",
        [TT_2018, TT_2023],
    ),
    (
        "giay-khen",
        "Giấy khen của Thủ trưởng cơ quan, đơn vị",
        "form",
        "individual",
        "grassroots",
        "Thủ trưởng cơ quan, đơn vị",
        ALL_LOCAL,
        False,
        "",
        "",
        [],
    ),
    (
        "ky-niem-chuong-vi-su-nghiep-tu-phap",
        "Kỷ niệm chương “Vì sự nghiệp Tư pháp”",
        "form",
        "individual",
        "ministry",
        "Bộ trưởng Bộ Tư pháp",
        ALL_LOCAL,
        False,
        "Chỉ tặng một lần cho mỗi cá nhân.\n"
        "Xét tặng hằng năm vào dịp kỷ niệm Ngày truyền thống ngành Tư pháp Việt Nam hoặc đột xuất theo quyết định "
        "của Bộ trưởng Bộ Tư pháp.",
        "",
        [TT_2025_KNC],
    ),
]

# Titles that may not be awarded for the same achievement; none is set by a source read (see the docstring).
EXCLUSIONS: list[tuple[str, str]] = []

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15"
FORM_BASIS = f"{LAW} (Điều 9: các hình thức khen thưởng)."
GOVERNMENT_FLAG = "co-thi-dua-chinh-phu"
MINISTRY_FLAG = "co-thi-dua-nganh-tu-phap"

# code: (legal basis as shown on the title's page, chosen from (code), at most % of those, units per vote)
RULES = {
    GOVERNMENT_FLAG: (
        f"Khoản 1 Điều 25 {LAW}: tặng hằng năm cho tập thể tiêu biểu xuất sắc được lựa chọn trong số các tập thể "
        "dẫn đầu phong trào thi đua của cụm, khối thi đua do bộ, ban, ngành, tỉnh tổ chức.\n"
        "Khoản 1 Điều 11 Nghị định 91/2017/NĐ-CP: số lượng tập thể được xét, đề nghị không quá 20% tổng số tập thể "
        "đạt tiêu chuẩn Cờ thi đua cấp bộ, ban, ngành, tỉnh, đoàn thể trung ương.\n"
        "Công văn 5007/BNV-TĐKT ngày 05/9/2023 của Bộ Nội vụ: lựa chọn trong số các tập thể được bình xét dẫn đầu "
        "cụm, khối thi đua đạt tiêu chuẩn Cờ thi đua cấp bộ; số lượng đề nghị không quá 20% tổng số tập thể được "
        "bình xét dẫn đầu các cụm, khối thi đua.\n"
        "Nghị định 98/2023/NĐ-CP, Nghị định 152/2025/NĐ-CP (từ 01/7/2025): quy định chi tiết Luật Thi đua, "
        "khen thưởng.",
        MINISTRY_FLAG,
        20,
        None,
    ),
    MINISTRY_FLAG: (
        f"Điều 26 {LAW}: tặng hằng năm cho tập thể dẫn đầu phong trào thi đua của cụm, khối thi đua do bộ tổ chức.\n"
        "Thông tư 11/2023/TT-BTP: tặng hằng năm cho đơn vị dẫn đầu phong trào thi đua của cụm, khối thi đua và được "
        "cụm, khối thi đua suy tôn.",
        None,
        None,
        None,
    ),
    "tap-the-lao-dong-xuat-sac": (f"Điều 27 {LAW}.\nThông tư 11/2023/TT-BTP.", None, None, None),
    "tap-the-lao-dong-tien-tien": (f"Điều 28 {LAW}.\nThông tư 11/2023/TT-BTP.", None, None, None),
    "bang-khen-thu-tuong": (
        f"{FORM_BASIS}\nKhoản 1 Điều 3 Nghị định 98/2023/NĐ-CP: “Bằng khen của Thủ tướng Chính phủ” là hình thức "
        "khen thưởng cấp Nhà nước.",
        None,
        None,
        None,
    ),
    "bang-khen-thu-tuong-ca-nhan": (
        f"{FORM_BASIS}\nKhoản 1 Điều 3 Nghị định 98/2023/NĐ-CP: “Bằng khen của Thủ tướng Chính phủ” là hình thức "
        "khen thưởng cấp Nhà nước.",
        None,
        None,
        None,
    ),
    "bang-khen-bo-truong": (f"{FORM_BASIS}\nThông tư 11/2023/TT-BTP.", None, None, None),
    "bang-khen-bo-truong-ca-nhan": (f"{FORM_BASIS}\nThông tư 11/2023/TT-BTP.", None, None, None),
    "chien-si-thi-dua-toan-quoc": (f"Điều 21 {LAW}.", None, None, None),
    "chien-si-thi-dua-nganh-tu-phap": (f"Điều 22 {LAW}.\nThông tư 11/2023/TT-BTP.", None, None, None),
    "chien-si-thi-dua-co-so": (f"Điều 23 {LAW}.", None, None, None),
    "lao-dong-tien-tien": (f"Điều 24 {LAW}.\nThông tư 11/2023/TT-BTP (khoản 4 Điều 24 của Luật).", None, None, None),
    "giay-khen": (FORM_BASIS, None, None, None),
    "ky-niem-chuong-vi-su-nghiep-tu-phap": (
        "Thông tư 14/2025/TT-BTP ngày 05/9/2025 của Bộ trưởng Bộ Tư pháp (có hiệu lực từ 15/9/2025), Điều 2: "
        "Kỷ niệm chương “Vì sự nghiệp Tư pháp” là hình thức khen thưởng của Bộ trưởng Bộ Tư pháp cho cá nhân có công "
        "lao đóng góp vào quá trình phát triển của ngành Tư pháp; chỉ tặng một lần cho mỗi cá nhân.\n"
        f"{FORM_BASIS}",
        None,
        None,
        None,
    ),
}

# Article numbers the first catalogue gave without a source; ``ensure_rules`` clears them where still as seeded.
UNVERIFIED_ARTICLES = [("bang-khen-thu-tuong", "Điều 71"), ("bang-khen-bo-truong", "Điều 74")]


def ensure_titles(title_model, basis_model) -> int:
    """Creates the titles that are missing (by code), with their bases; returns how many it created."""
    created = 0
    for position, row in enumerate(TITLES, start=1):
        code, name, kind, subject, level, authority, kinds, requires_vote, conditions, article, circulars = row
        if title_model.objects.filter(code=code).exists():
            continue
        title = title_model.objects.create(
            code=code,
            name=name,
            kind=kind,
            subject=subject,
            level=level,
            granting_authority=authority,
            unit_kinds=list(kinds),
            requires_vote=requires_vote,
            conditions=conditions,
            position=position * 10,
        )
        bases = [(LAW_2003[0], "", LAW_2003[1], LAW_2003[2]), (LAW_2022[0], article, LAW_2022[1], LAW_2022[2])]
        bases += [(document, "", start, end) for document, start, end in circulars]
        basis_model.objects.bulk_create(
            basis_model(title=title, document=document, article=art, valid_from=start, valid_to=end)
            for document, art, start, end in bases
        )
        created += 1
    for left, right in EXCLUSIONS:
        first = title_model.objects.filter(code=left).first()
        second = title_model.objects.filter(code=right).first()
        if first and second:
            first.excludes.add(second)
    if any(field.name == "legal_basis" for field in title_model._meta.get_fields()):  # not before migration 0007
        ensure_rules(title_model, basis_model)
    return created


def ensure_rules(title_model, basis_model) -> None:
    """Gives the seeded titles whose legal basis is still empty their basis and rules (``RULES``); clears the
    unverified article numbers where they are still as first seeded. A title ministry staff filled is left alone."""
    by_code = {title.code: title for title in title_model.objects.filter(code__in=list(RULES))}
    for code, (legal_basis, chosen_from, max_share_percent, max_per_vote) in RULES.items():
        title = by_code.get(code)
        if title is None or title.legal_basis:
            continue
        title.legal_basis = legal_basis
        source = by_code.get(chosen_from) if chosen_from else None
        if source is not None and title.chosen_from_id is None:
            title.chosen_from = source
            title.max_share_percent = max_share_percent
        if max_per_vote and title.max_per_vote is None:
            title.max_per_vote = max_per_vote
        title.save()
    for code, article in UNVERIFIED_ARTICLES:
        basis_model.objects.filter(title__code=code, article=article).update(article="")
