"""The catalogue's pages: who may open them, the list's search and filter, create and edit with their checks."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from legal import services
from legal.errors import LegalError
from legal.models import LegalDocument

pytestmark = pytest.mark.django_db

LIST = reverse("legal:document_list")
CREATE = reverse("legal:document_create")

VALID = {
    "kind": "quyet_dinh",
    "number": "536/QĐ-BTP",
    "issuer": "Bộ Tư pháp",
    "signed_on": "29/03/2024",
    "title": "ban hành Bảng Tiêu chí đánh giá, chấm điểm, xếp hạng thi đua đối với Sở Tư pháp",
    "in_force_from": "29/03/2024",
    "in_force_to": "",
    "note": "",
}


def edit(document: LegalDocument) -> str:
    return reverse("legal:document_edit", args=[document.pk])


def signed_in(client, user, password):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("role", ["leader_user", "region_user", "no_role_user"])
def test_others_are_refused(client, request, password, role):
    signed_in(client, request.getfixturevalue(role), password)
    document = LegalDocument.objects.first()
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, VALID).status_code == 403
    assert client.post(edit(document), {**VALID, "number": "x"}).status_code == 403
    assert not LegalDocument.objects.filter(number="536/QĐ-BTP").exists()


def test_visitors_are_sent_to_log_in(client):
    assert client.get(LIST).status_code == 302


@pytest.mark.parametrize("role", ["ministry_user", "admin_user"])
def test_ministry_staff_and_administrators_keep_the_catalogue(client, request, password, role):
    signed_in(client, request.getfixturevalue(role), password)
    assert client.get(LIST).status_code == 200
    response = client.post(CREATE, VALID)
    assert response.status_code == 302
    document = LegalDocument.objects.get(number="536/QĐ-BTP")
    assert document.citation.startswith("Quyết định số 536/QĐ-BTP ngày 29 tháng 3 năm 2024 của Bộ Tư pháp ban hành")
    response = client.post(edit(document), {**VALID, "title": "ban hành Bảng Tiêu chí", "suggested": "on"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "ban hành Bảng Tiêu chí" and document.suggested


def test_search_and_in_force_filter(client, ministry_user, password):
    signed_in(client, ministry_user, password)
    page = client.get(LIST, {"q": "khen thuong"}).content.decode()  # without diacritics
    assert "06/2022/QH15" in page
    page = client.get(LIST, {"q": "98/2023"}).content.decode()
    assert "98/2023/NĐ-CP" in page and "06/2022/QH15" not in page
    page = client.get(LIST, {"in_force": "19/03/2018"}).content.decode()
    assert "91/2017/NĐ-CP" in page and "06/2022/QH15" not in page and "98/2023/NĐ-CP" not in page
    page = client.get(LIST, {"kind": "thong_tu"}).content.decode()
    assert "11/2023/TT-BTP" in page and "06/2022/QH15" not in page
    page = client.get(LIST, {"in_force": "31/02/2018"}).content.decode()
    assert "Enter a valid date" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"number": ""}, "number", "Enter the document&#x27;s number and symbol"),
        ({"kind": "sac_lenh"}, "kind", "Choose a kind from the list."),
        ({"signed_on": "32/01/2024"}, "signed_on", "Enter a valid date"),
        ({"in_force_to": "01/01/2024"}, "in_force_to", "The last day in force cannot be before the first."),
        ({"in_force_from": "", "in_force_to": "01/01/2024"}, "in_force_to", "before the date of issue"),
        (
            {"number": "06/2022/QH15", "kind": "luat", "issuer": "Quốc hội"},
            "number",
            "The catalogue already has Luật 06/2022/QH15",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client, ministry_user, password, change, field, message):
    signed_in(client, ministry_user, password)
    count = LegalDocument.objects.count()
    response = client.post(CREATE, {**VALID, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert LegalDocument.objects.count() == count


def test_the_service_refuses_a_duplicate_on_edit_too():
    law = LegalDocument.objects.get(number="06/2022/QH15")
    old = LegalDocument.objects.get(number="15/2003/QH11")
    with pytest.raises(LegalError):
        services.legal_document_update(document=old, number=law.number)
    old.refresh_from_db()
    assert old.number == "15/2003/QH11"


def test_a_number_typed_with_its_label_keeps_the_number():
    document = services.legal_document_create(
        kind="cong_van", number="Số: 5034/BTP-TCCB", issuer="Bộ Tư pháp", signed_on=date(2023, 10, 19), title="x"
    )
    assert document.number == "5034/BTP-TCCB"
