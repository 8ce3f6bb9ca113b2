"""The catalogue's citations (Decree 30/2020 dates) and its seeded documents."""

from datetime import date

import pytest

from legal.models import LegalDocument
from legal.selectors import documents_in_force_on

pytestmark = pytest.mark.django_db


def seeded(number: str) -> LegalDocument:
    return LegalDocument.objects.get(number=number)


def test_a_law_is_cited_by_its_name_number_and_decree_30_date():
    assert seeded("06/2022/QH15").citation == "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022"
    assert (
        seeded("15/2003/QH11").basis_line
        == "Căn cứ Luật Thi đua, khen thưởng số 15/2003/QH11 ngày 26 tháng 11 năm 2003;"
    )


def test_other_documents_are_cited_by_kind_number_date_issuer_and_subject():
    assert seeded("98/2023/NĐ-CP").citation == (
        "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số "
        "điều của Luật Thi đua, khen thưởng"
    )
    assert seeded("11/2023/TT-BTP").citation.startswith(
        "Thông tư số 11/2023/TT-BTP ngày 29 tháng 12 năm 2023 của Bộ Tư pháp"
    )


def test_leading_zero_only_for_days_1_to_9_and_months_1_and_2():
    document = LegalDocument(
        kind="quyet_dinh", number="1/QĐ-BTP", issuer="Bộ Tư pháp", title="x", signed_on=date(2026, 1, 5)
    )
    assert "ngày 05 tháng 01 năm 2026" in document.citation
    document.signed_on = date(2018, 3, 19)
    assert "ngày 19 tháng 3 năm 2018" in document.citation


def test_in_force_on_a_day_in_citing_order():
    numbers = [d.number for d in documents_in_force_on(date(2018, 3, 19))]
    assert numbers == ["15/2003/QH11", "47/2005/QH11", "39/2013/QH13", "91/2017/NĐ-CP"]
    numbers = [d.number for d in documents_in_force_on(date(2026, 3, 13))]
    assert numbers == ["06/2022/QH15", "152/2025/NĐ-CP", "11/2023/TT-BTP"]
    numbers = [d.number for d in documents_in_force_on(date(2024, 6, 1))]
    assert numbers == ["06/2022/QH15", "98/2023/NĐ-CP", "11/2023/TT-BTP"]


def test_a_document_without_a_recorded_start_counts_from_its_date_of_issue():
    circular = seeded("05/2018/TT-BTP")
    assert circular.in_force_from is None
    assert not circular.is_in_force_on(date(2018, 6, 6))
    assert circular.is_in_force_on(date(2018, 6, 7))
    assert not circular.is_in_force_on(date(2024, 2, 12))
