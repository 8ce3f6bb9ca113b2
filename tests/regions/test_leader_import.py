"""The leader import: a template to download, an upload checked row by row with its errors in a preview, and a
confirmation that brings every leader on board (account, appointment, invitation) or none."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Invitation, Role, User
from regions import services
from regions.leader_excel import LEADER_COLUMNS
from regions.models import Appointment, Province
from tests.factories import UserFactory
from tests.people.helpers import as_user
from tests.regions.factories import make_unit
from tests.regions.test_excel import open_workbook, sheet_values, xlsx_bytes

pytestmark = pytest.mark.django_db
IMPORT = reverse("regions:leader_import")
TEMPLATE = reverse("regions:leader_import_template")
PREVIEW = reverse("regions:leader_import_preview")
CONFIRM = reverse("regions:leader_import_confirm")
HEADINGS = [column.heading for column in LEADER_COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAME = "Sở Tư pháp tỉnh Quảng Trị"


@pytest.fixture
def units():
    old = Province.objects.create(code="test-qt-old", name="tỉnh Quảng Trị", valid_to=date(2025, 6, 30))
    new = Province.objects.create(code="test-qt-new", name="tỉnh Quảng Trị (mới)", valid_from=date(2025, 7, 1))
    ended = make_unit(NAME, province=old, active_from=date(2008, 1, 1), active_to=date(2025, 6, 30))
    current = make_unit(NAME, province=new, active_from=date(2025, 7, 1))
    other = make_unit("Sở Tư pháp tỉnh Nghệ An", active_from=date(2000, 1, 1))
    return ended, current, other


@pytest.fixture
def staff(client):
    user = UserFactory(roles=[Role.MINISTRY])
    as_user(client, user)
    return user


def upload(client, rows):
    content = xlsx_bytes(rows, headings=HEADINGS)
    return client.post(IMPORT, {"file": SimpleUploadedFile("lanh-dao.xlsx", content, content_type=XLSX)})


def token_of(client) -> str:
    return client.session["regions.leader_import"]["token"]


def test_the_template_has_the_headings_and_a_guide(client, staff):
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    workbook = open_workbook(b"".join(response.streaming_content))
    assert list(sheet_values(workbook["Lãnh đạo"])[0]) == HEADINGS
    guide = [cell for row in sheet_values(workbook["Hướng dẫn"]) for cell in row if cell]
    assert "Cấp trưởng" in guide and "deputy_in_charge" in guide


def test_a_valid_file_is_previewed_then_brings_every_leader_on_board(client, staff, units):
    ended, current, other = units
    recorded = services.appointment_start(
        unit=other, full_name="Lê Văn Có", position="Giám đốc", start=date(2023, 3, 1)
    )
    rows = [
        [NAME, "", "Nguyễn Văn An", "Giám đốc", "Cấp trưởng", date(2025, 7, 1), "An.NV@stp-qt.example.vn"],
        ["Sở Tư pháp tỉnh Nghệ An", "", "Lê Văn Có", "Giám đốc", "head", "01/03/2023", "co@stp-na.example.vn"],
        ["Sở Tư pháp tỉnh Nghệ An", "", "Trần Thị Phó", "Phó Giám đốc", "Deputy head", "01/04/2024", "pho@stp.vn"],
    ]
    response = upload(client, rows)
    assert response.status_code == 302 and response.url == PREVIEW
    preview = client.get(PREVIEW)
    page = preview.content.decode()
    assert "Every row is valid." in page and "already recorded" in page
    assert not User.objects.filter(email="an.nv@stp-qt.example.vn").exists()  # nothing saved by the preview
    response = client.post(CONFIRM, {"token": token_of(client)})
    assert response.status_code == 302
    an = User.objects.get(email="an.nv@stp-qt.example.vn")
    assert an.unit == current and Appointment.objects.get(user=an).unit == current  # the namesake active that day
    recorded.refresh_from_db()
    assert recorded.user.email == "co@stp-na.example.vn"
    assert Appointment.objects.filter(unit=other).count() == 2
    assert Appointment.objects.get(full_name="Trần Thị Phó").kind == "deputy"
    assert Invitation.objects.filter(invited_by=staff).count() == 3
    assert "regions.leader_import" not in client.session  # a second click finds nothing to import
    client.post(CONFIRM, {"token": "again"})
    assert Invitation.objects.count() == 3


def test_row_errors_are_listed_and_nothing_can_be_imported(client, staff, units):
    UserFactory(email="taken@stp.example.vn", unit=make_unit("Sở khác"))
    rows = [
        [NAME, "", "Người Một", "Giám đốc", "Cấp trưởng", "01/01/2020", "mot@stp.example.vn"],
        ["Sở Không Có", "", "Người Hai", "Giám đốc", "Cấp trưởng", "01/01/2026", "hai@stp.example.vn"],
        [NAME, "", "Người Ba", "", "Trưởng phòng", "32/13/2026", "not-an-address"],
        [NAME, "", "Người Bốn", "Giám đốc", "Cấp phó", "01/01/2026", "taken@stp.example.vn"],
        [NAME, "", "Người Năm", "Giám đốc", "Cấp phó", "01/01/2026", "mot@stp.example.vn"],
    ]
    upload(client, rows)
    page = client.get(PREVIEW).content.decode()
    assert "rows have errors: nothing can be imported" in page
    assert "No unit is named “Sở Không Có”." in page
    assert "Enter the leader&#x27;s position." in page
    assert "Unknown kind of appointment “Trưởng phòng”" in page
    assert "Write the from-date as dd/mm/yyyy" in page and "Enter a valid e-mail address." in page
    assert "Another account already uses this e-mail address" in page
    assert "The same address is in row 2 of this file." in page
    assert client.post(CONFIRM, {"token": token_of(client)}).status_code == 302
    assert not Appointment.objects.exists() and not User.objects.filter(email="mot@stp.example.vn").exists()


def test_two_namesakes_active_on_the_day_are_told_apart_by_the_province(client, staff, units):
    ended, current, _other = units
    twin = make_unit(NAME, active_from=date(2025, 7, 1), province=Province.objects.create(code="test-x", name="tỉnh X"))
    rows = [[NAME, "", "Người Một", "Giám đốc", "Cấp trưởng", "01/01/2026", "mot@stp.example.vn"]]
    upload(client, rows)
    page = client.get(PREVIEW).content.decode()
    assert "Several units named “Sở Tư pháp tỉnh Quảng Trị” were active on 01/01/2026" in page
    rows[0][1] = "X"
    upload(client, rows)
    assert "Every row is valid." in client.get(PREVIEW).content.decode()
    client.post(CONFIRM, {"token": token_of(client)})
    assert User.objects.get(email="mot@stp.example.vn").unit == twin
    assert not Appointment.objects.filter(unit__in=[ended, current]).exists()


def test_the_unit_ended_before_the_from_date_is_not_chosen(client, staff, units):
    ended, _current, _other = units
    rows = [[NAME, "", "Người Cũ", "Giám đốc", "Cấp trưởng", "01/01/2020", "cu@stp.example.vn"]]
    upload(client, rows)
    assert "Every row is valid." in client.get(PREVIEW).content.decode()
    client.post(CONFIRM, {"token": token_of(client)})
    assert Appointment.objects.get(full_name="Người Cũ").unit == ended


@pytest.mark.parametrize("url", [IMPORT, TEMPLATE, PREVIEW])
def test_only_ministry_staff_import_leaders(client, url):
    as_user(client, UserFactory(roles=[Role.REGION]))
    assert client.get(url).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403


def test_a_file_that_is_not_a_workbook_is_refused(client, staff):
    response = client.post(IMPORT, {"file": SimpleUploadedFile("x.xlsx", b"not a zip", content_type=XLSX)})
    assert response.status_code == 200
    assert "could not be read as an Excel workbook" in response.content.decode()
