"""The documents the Justice sector's pacts cite, checked against public copies of their texts (June 2026).

Verified (number, date of issue, in force):
- Luật Thi đua, khen thưởng số 15/2003/QH11, 26/11/2003, in force 01/07/2004, no longer from 01/01/2024, and its
  amendments 47/2005/QH11 (14/06/2005, in force 27/06/2005) and 39/2013/QH13 (16/11/2013, in force 01/06/2014):
  the National Assembly Office's consolidated text 16/VBHN-VPQH (13/12/2013); vbpl.vn; vietjack.me.
- Luật Thi đua, khen thưởng số 06/2022/QH15, 15/06/2022, in force 01/01/2024 (../shared/domain/BRIEF.md §1.1;
  "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022" in the bases of Decree 98/2023).
- Nghị định 98/2023/NĐ-CP, 31/12/2023, in force 01/01/2024 (thuvienphapluat.vn, vietjack.me, hoatieu.vn);
  repealed by Decree 152/2025 from 01/07/2025 (BRIEF §1.2), so in force until 30/06/2025.
- Nghị định 152/2025/NĐ-CP, 14/06/2025 (several texts citing it), in force 01/07/2025 (BRIEF §1.2).
- Thông tư 11/2023/TT-BTP of Bộ Tư pháp, 29/12/2023, in force 12/02/2024 (luatminhkhue.vn).
- Nghị định 91/2017/NĐ-CP, 31/07/2017 (Bộ Tư pháp's own notices and several decisions citing it).
- Thông tư 05/2018/TT-BTP, 07/06/2018 (BRIEF §1.3: cited in QĐ 1027/QĐ-BTP 2019 and QĐ 663/QĐ-BTP 2021).

Not verified, and so recorded as such rather than guessed:
- the day Decree 91/2017 and Circular 05/2018 came into force (left empty: counted from their date of issue);
- Decree 91/2017 in force until 31/12/2023: inferred from Decree 98/2023 taking its place on 01/01/2024;
- Circular 05/2018 in force until 11/02/2024: inferred from Circular 11/2023 taking its place on 12/02/2024;
- the exact subject line of Decree 152/2025 (its number and date are verified).
Left out: the Justice circular before June 2018 (its number was not found) and "Thông tư 07/2017/TT-BTP" (no
source names it as a circular on emulation).

The rows are data, not schema: later edits and additions are made on the catalogue's pages.
"""

from datetime import date

from django.db import migrations

SUBJECT_DECREE = "quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng"
AMENDMENT = "sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng"

DOCUMENTS = [
    # kind, number, issuer, signed_on, title, in_force_from, in_force_to, note
    ("luat", "15/2003/QH11", "Quốc hội", date(2003, 11, 26), "Thi đua, khen thưởng",
     date(2004, 7, 1), date(2023, 12, 31), "Thay thế bởi Luật Thi đua, khen thưởng số 06/2022/QH15 từ 01/01/2024."),
    ("luat", "47/2005/QH11", "Quốc hội", date(2005, 6, 14), AMENDMENT,
     date(2005, 6, 27), date(2023, 12, 31), "Nguồn: Văn bản hợp nhất 16/VBHN-VPQH ngày 13/12/2013."),
    ("luat", "39/2013/QH13", "Quốc hội", date(2013, 11, 16), AMENDMENT,
     date(2014, 6, 1), date(2023, 12, 31), "Nguồn: Văn bản hợp nhất 16/VBHN-VPQH ngày 13/12/2013."),
    ("luat", "06/2022/QH15", "Quốc hội", date(2022, 6, 15), "Thi đua, khen thưởng",
     date(2024, 1, 1), None, ""),
    ("nghi_dinh", "91/2017/NĐ-CP", "Chính phủ", date(2017, 7, 31), SUBJECT_DECREE,
     None, date(2023, 12, 31),
     "Chưa đối chiếu ngày có hiệu lực; ngày hết hiệu lực suy ra từ Nghị định 98/2023/NĐ-CP thay thế từ 01/01/2024."),
    ("nghi_dinh", "98/2023/NĐ-CP", "Chính phủ", date(2023, 12, 31), SUBJECT_DECREE,
     date(2024, 1, 1), date(2025, 6, 30), "Bãi bỏ bởi Nghị định 152/2025/NĐ-CP từ 01/07/2025."),
    ("nghi_dinh", "152/2025/NĐ-CP", "Chính phủ", date(2025, 6, 14),
     "quy định chi tiết một số điều của Luật Thi đua, khen thưởng",
     date(2025, 7, 1), None, "Trích yếu chưa đối chiếu với bản gốc; số, ngày ban hành và ngày có hiệu lực đã đối chiếu."),
    ("thong_tu", "05/2018/TT-BTP", "Bộ Tư pháp", date(2018, 6, 7),
     "hướng dẫn công tác thi đua, khen thưởng trong ngành Tư pháp",
     None, date(2024, 2, 11),
     "Chưa đối chiếu ngày có hiệu lực; ngày hết hiệu lực suy ra từ Thông tư 11/2023/TT-BTP có hiệu lực từ 12/02/2024."),
    ("thong_tu", "11/2023/TT-BTP", "Bộ Tư pháp", date(2023, 12, 29),
     "quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng đối với ngành Tư pháp",
     date(2024, 2, 12), None, ""),
]


def seed(apps, schema_editor):
    LegalDocument = apps.get_model("legal", "LegalDocument")
    for kind, number, issuer, signed_on, title, start, end, note in DOCUMENTS:
        LegalDocument.objects.get_or_create(
            issuer=issuer,
            kind=kind,
            number=number,
            defaults={
                "signed_on": signed_on,
                "title": title,
                "in_force_from": start,
                "in_force_to": end,
                "suggested": True,
                "note": note,
            },
        )


def unseed(apps, schema_editor):
    LegalDocument = apps.get_model("legal", "LegalDocument")
    for kind, number, issuer, *_rest in DOCUMENTS:
        LegalDocument.objects.filter(issuer=issuer, kind=kind, number=number).delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_catalogue")]

    operations = [migrations.RunPython(seed, unseed)]
