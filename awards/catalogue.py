"""The titles and forms of commendation the portal starts with, and their legal bases.

Loaded by a migration (so every installation has them) and again by the demo and by tests after a
database flush; ministry staff edit them afterwards. The in-force dates of the Law 2003 (as amended)
and of the Law 2022 (No. 06/2022/QH15, from 01/01/2024) are the Laws' own; the Justice circulars' are approximate
(TT 05/2018/TT-BTP from 22/07/2018, TT 11/2023/TT-BTP from 01/01/2024) and should be checked.
The exclusion between the two flags applies "no two awards for one achievement" (a principle of the Law 2022);
which titles exclude each other is the ministry's to set.
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
        "Điều 71",
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
        "Điều 74",
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
]

EXCLUSIONS = [("co-thi-dua-chinh-phu", "co-thi-dua-nganh-tu-phap")]


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
    return created
