"""The Excel pages: unit import (template, upload, preview, confirm), unit export and roster export."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions import services
from regions.models import Province, RegionMembership, Unit, UnitName
from tests.regions.factories import make_region, make_unit
from tests.regions.test_excel import HEADINGS, open_workbook, sheet_values, xlsx_bytes

pytestmark = pytest.mark.django_db
Role = RegionMembership.Role

IMPORT = reverse("regions:unit_import")
TEMPLATE = reverse("regions:unit_import_template")
PREVIEW = reverse("regions:unit_import_preview")
CONFIRM = reverse("regions:unit_import_confirm")
UNIT_EXPORT = reverse("regions:unit_export")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

VALID_ROWS = [
    ["Chi cục THADS huyện Mai Sơn", "CC THADS Mai Sơn", "Chi cục THADS", "tỉnh Sơn La", "Cục THADS tỉnh Sơn La",
     "01/01/2010"],
    ["Cục THADS tỉnh Sơn La", "", "cuc_thads", "tỉnh Sơn La", "", date(2005, 1, 1)],
    ["Sở Tư pháp tỉnh Sơn La", "STP Sơn La", "Sở Tư pháp", "Sơn La"],
]  # fmt: skip


def upload(client, rows=VALID_ROWS, *, name="don-vi.xlsx", content: bytes | None = None):
    data = xlsx_bytes(rows) if content is None else content
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def body(response) -> str:
    return response.content.decode()


def workbook_of(response):
    return open_workbook(b"".join(response.streaming_content))


def token_of(client) -> str:
    return client.session["regions.unit_import"]["token"]


# ---------------------------------------------------------------------------------------------
# Who may use the import
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [IMPORT, TEMPLATE, PREVIEW, UNIT_EXPORT])
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_visitors_cannot_confirm_an_import(client):
    response = client.post(CONFIRM, {"token": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["region", "leader", "admin", "no_role"])
@pytest.mark.parametrize("url", [IMPORT, TEMPLATE, PREVIEW, UNIT_EXPORT])
def test_only_ministry_staff_may_use_the_import_and_the_unit_export(client, request, role, url):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["region", "leader", "admin"])
def test_other_roles_cannot_upload_or_confirm(client, request, role):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    assert upload(client).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert not Unit.objects.filter(name="Cục THADS tỉnh Sơn La").exists()


def test_the_import_page_explains_the_columns_and_links_the_template(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get(IMPORT)
    assert response.status_code == 200
    page = body(response)
    assert "Nhập đơn vị từ Excel" in page
    assert TEMPLATE in page and 'enctype="multipart/form-data"' in page
    for heading in HEADINGS:
        assert heading in page


def test_the_confirmation_refuses_get(client, ministry_user):
    client.force_login(ministry_user)
    assert client.get(CONFIRM).status_code == 405


# ---------------------------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------------------------


def test_the_template_opens_with_the_headings_and_a_guide(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="mau-nhap-don-vi.xlsx"' in response["Content-Disposition"]
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["Đơn vị", "Hướng dẫn"]
    assert workbook.properties.title == "Mẫu nhập đơn vị"
    units = workbook["Đơn vị"]
    assert sheet_values(units) == [HEADINGS]
    assert units["A1"].font.bold and units.freeze_panes == "A2"
    assert units.column_dimensions["A"].width == 50
    assert {str(v.sqref) for v in units.data_validations.dataValidation} == {"C2:C5001", "D2:D5001"}
    guide = [value for row in sheet_values(workbook["Hướng dẫn"]) for value in row if value]
    for kind in ("Sở Tư pháp", "so_tu_phap", "Cục Thi hành án dân sự", "chi_cuc_thads", "Khác"):
        assert kind in guide
    assert "tỉnh Sơn La" in guide and "thành phố Huế" in guide
    assert "Chi cục Thi hành án dân sự huyện Mai Sơn" in guide  # the example row


def test_the_template_can_be_filled_and_read_back(client, ministry_user):
    """The example row of the guide, copied under the headings, passes the checks (its Cục existing)."""
    make_unit("Cục Thi hành án dân sự tỉnh Sơn La", Unit.Kind.CUC_THADS)
    client.force_login(ministry_user)
    workbook = workbook_of(client.get(TEMPLATE))
    guide = sheet_values(workbook["Hướng dẫn"])
    example = next(row for row in guide if row[0] == "Chi cục Thi hành án dân sự huyện Mai Sơn")
    workbook["Đơn vị"].append(list(example[:7]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload(client, content=buffer.getvalue())
    assert "Mọi dòng đều hợp lệ." in body(client.get(PREVIEW))


# ---------------------------------------------------------------------------------------------
# Upload, preview and confirmation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("don-vi.xls", b"\xd0\xcf\x11\xe0 old excel", "Chỉ nhập được tệp .xlsx"),
        ("don-vi.csv", b"Ten;Loai\n", "Chỉ nhập được tệp .xlsx"),
        ("don-vi.xlsx", b"", "Tệp không có nội dung."),
        ("don-vi.xlsx", b"PK\x03\x04 not really a workbook", "Không đọc được tệp dưới dạng tệp Excel (.xlsx)."),
        ("don-vi.xlsx", b"x" * (5 * 1024 * 1024 + 1), "Tệp lớn hơn 5 MB."),
    ],
)
def test_a_bad_file_is_refused_with_a_message(client, ministry_user, name, content, message):
    client.force_login(ministry_user)
    before = Unit.objects.count()
    response = client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in body(response)
    assert "regions.unit_import" not in client.session
    assert Unit.objects.count() == before


def test_no_file_is_refused_with_a_message(client, ministry_user):
    client.force_login(ministry_user)
    assert "Chọn tệp .xlsx cần nhập." in body(client.post(IMPORT, {}))


def test_a_sheet_of_more_than_5000_rows_is_refused(client, ministry_user):
    client.force_login(ministry_user)
    rows = [[f"Sở Tư pháp số {n}", "", "so_tu_phap"] for n in range(5001)]
    assert "Trang tính có hơn 5000 dòng; hãy chia thành nhiều tệp." in body(upload(client, rows))


def test_a_sheet_without_the_headings_is_refused(client, ministry_user):
    client.force_login(ministry_user)
    content = xlsx_bytes([["Sở Tư pháp tỉnh A", "so_tu_phap"]], headings=["Tên", "Loại"])
    page = body(upload(client, content=content))
    assert "còn thiếu: Tên đơn vị, Loại đơn vị" in page


def test_the_preview_lists_every_bad_row_with_all_its_reasons_and_saves_nothing(client, ministry_user):
    make_unit("Sở Tư pháp tỉnh Lâm Đồng")
    client.force_login(ministry_user)
    before = (Unit.objects.count(), UnitName.objects.count())
    rows = [
        ["Sở Tư pháp tỉnh Sơn La", "", "so_tu_phap", "tỉnh Sơn La"],
        ["", "", "Sở Tài chính", "tỉnh Không Có"],
        ["Chi cục THADS huyện X", "", "chi_cuc_thads", "", "", "31/12/2020", "01/01/2020"],
        ["Sở Tư pháp tỉnh Lâm Đồng", "", "so_tu_phap", "", "Cục không có", "hôm qua"],
    ]
    response = upload(client, rows)
    assert response.status_code == 302 and response.url == PREVIEW
    page = body(client.get(PREVIEW))
    assert "3 dòng bị lỗi: không thể nhập." in page
    for reason in (
        "Hãy nhập tên đơn vị.",
        "Không rõ loại đơn vị “Sở Tài chính”",
        "Không rõ tỉnh/thành phố “tỉnh Không Có”.",
        "Chi cục Thi hành án dân sự phải trực thuộc một Cục Thi hành án dân sự.",
        "Ngày kết thúc không được trước ngày bắt đầu.",
        "Đã có đơn vị tên “Sở Tư pháp tỉnh Lâm Đồng”.",
        "Không rõ đơn vị cấp trên “Cục không có”",
        "Hoạt động từ ngày: “hôm qua” không phải là ngày",
    ):
        assert reason in page
    for number in (3, 4, 5):
        assert f'<a class="alert-link" href="#row-{number}">Dòng {number}</a>' in page
    assert 'id="row-2">' in page and 'id="row-3" class="table-danger">' in page
    assert CONFIRM not in page and "Nhập 4 đơn vị" not in page
    assert (Unit.objects.count(), UnitName.objects.count()) == before


def test_a_file_with_a_bad_row_cannot_be_confirmed(client, ministry_user):
    client.force_login(ministry_user)
    upload(client, [["Sở Tư pháp tỉnh A", "", "so_tu_phap"], ["", "", "so_tu_phap"]])
    response = client.post(CONFIRM, {"token": token_of(client)})
    assert response.status_code == 302 and response.url == PREVIEW
    assert not Unit.objects.filter(name="Sở Tư pháp tỉnh A").exists()


def test_a_valid_file_is_previewed_then_imported_with_name_history(client, ministry_user):
    client.force_login(ministry_user)
    before = Unit.objects.count()
    upload(client)
    page = body(client.get(PREVIEW))
    assert "Mọi dòng đều hợp lệ." in page
    assert "Nhập 3 đơn vị" in page
    assert "(dòng 3)" in page  # the Chi cục's parent is the next row
    assert Unit.objects.count() == before  # nothing saved by the preview

    response = client.post(CONFIRM, {"token": token_of(client)})
    assert response.status_code == 302
    assert response.url == reverse("regions:unit_list")
    assert "Đã nhập 3 đơn vị." in body(client.get(response.url))
    chi_cuc = Unit.objects.get(name="Chi cục THADS huyện Mai Sơn")
    assert chi_cuc.parent.name == "Cục THADS tỉnh Sơn La"
    assert chi_cuc.kind == Unit.Kind.CHI_CUC_THADS
    assert chi_cuc.province == Province.objects.get(name="tỉnh Sơn La")
    assert chi_cuc.active_from == date(2010, 1, 1)
    assert list(chi_cuc.names.values_list("name", "short_name", "valid_from")) == [
        ("Chi cục THADS huyện Mai Sơn", "CC THADS Mai Sơn", date(2010, 1, 1))
    ]
    assert Unit.objects.count() == before + 3


def test_confirming_twice_imports_once(client, ministry_user):
    client.force_login(ministry_user)
    upload(client)
    token = token_of(client)
    client.post(CONFIRM, {"token": token})
    count = Unit.objects.count()
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "Không có lượt nhập nào đang chờ xác nhận này" in body(response)
    assert Unit.objects.count() == count
    assert Unit.objects.filter(name="Sở Tư pháp tỉnh Sơn La").count() == 1


def test_a_confirmation_of_another_preview_imports_nothing(client, ministry_user):
    client.force_login(ministry_user)
    upload(client)
    client.post(CONFIRM, {"token": "a-token-from-an-older-preview"})
    assert not Unit.objects.filter(name="Sở Tư pháp tỉnh Sơn La").exists()
    assert "regions.unit_import" in client.session


def test_rows_are_checked_again_on_confirmation(client, ministry_user):
    client.force_login(ministry_user)
    upload(client)
    make_unit("Sở Tư pháp tỉnh Sơn La")  # created by someone else after the preview
    response = client.post(CONFIRM, {"token": token_of(client)})
    assert response.url == PREVIEW
    assert "Đã có đơn vị tên “Sở Tư pháp tỉnh Sơn La”." in body(client.get(PREVIEW))
    assert not Unit.objects.filter(name="Cục THADS tỉnh Sơn La").exists()


def test_the_preview_without_an_upload_goes_back_to_the_import_page(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get(PREVIEW)
    assert response.status_code == 302 and response.url == IMPORT


# ---------------------------------------------------------------------------------------------
# Unit export
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def renamed_units():
    """A Cục renamed on 01/07/2025, with a Chi cục under it and a Sở in another province."""
    cuc = make_unit(
        "Cục THADS tỉnh Quảng Trị",
        Unit.Kind.CUC_THADS,
        province=Province.objects.get(name="tỉnh Quảng Trị", valid_to__isnull=False),
        active_from=date(2005, 1, 1),
    )
    services.unit_rename(unit=cuc, name="Thi hành án dân sự tỉnh Quảng Trị", effective=date(2025, 7, 1))
    make_unit("Chi cục THADS huyện Gio Linh", Unit.Kind.CHI_CUC_THADS, parent=cuc, active_from=date(2006, 3, 1))
    make_unit("Sở Tư pháp tỉnh Sơn La", province=Province.objects.get(name="tỉnh Sơn La"))
    return cuc


def test_the_unit_export_has_vietnamese_headings_names_of_the_year_and_real_dates(client, ministry_user, renamed_units):
    client.force_login(ministry_user)
    response = client.get(UNIT_EXPORT, {"year": 2018, "q": "THADS"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="don-vi-2018.xlsx"' in response["Content-Disposition"]
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["Đơn vị năm 2018"]
    assert workbook.properties.title == "Đơn vị năm 2018"
    sheet = workbook.active
    rows = sheet_values(sheet)
    assert rows[0] == ("STT", *HEADINGS, "Khu vực thi đua năm 2018", "Vai trò trong khu vực")
    assert [row[1] for row in rows[1:]] == ["Chi cục THADS huyện Gio Linh", "Cục THADS tỉnh Quảng Trị"]
    assert rows[1][5] == "Cục THADS tỉnh Quảng Trị"  # the parent's name in 2018
    assert rows[2][3] == "Cục Thi hành án dân sự" and rows[2][4] == "tỉnh Quảng Trị"
    assert rows[2][6].date() == date(2005, 1, 1)
    assert sheet["G3"].number_format == "DD/MM/YYYY"
    assert sheet["A1"].font.bold


def test_the_unit_export_without_a_year_shows_todays_names(client, ministry_user, renamed_units):
    client.force_login(ministry_user)
    response = client.get(UNIT_EXPORT, {"kind": "cuc_thads"})
    rows = sheet_values(workbook_of(response).active)
    assert [row[1] for row in rows[1:]] == ["Thi hành án dân sự tỉnh Quảng Trị"]
    assert len(rows[0]) == 8


def test_the_unit_export_shows_the_region_of_the_year(client, ministry_user, renamed_units):
    region = make_region("Khu vực thi đua miền Trung")
    services.membership_add(region=region, unit=renamed_units, year=2018, role=Role.HEAD)
    client.force_login(ministry_user)
    rows = sheet_values(workbook_of(client.get(UNIT_EXPORT, {"year": 2018, "region": region.pk})).active)
    assert rows[1][1:2] + rows[1][8:] == ("Cục THADS tỉnh Quảng Trị", "Khu vực thi đua miền Trung", "Trưởng khu vực")
    assert len(rows) == 2


def test_the_unit_export_ignores_bad_filters_as_the_list_does(client, ministry_user, renamed_units):
    client.force_login(ministry_user)
    response = client.get(UNIT_EXPORT, {"year": "năm ngoái", "kind": "unknown"})
    assert response.status_code == 200
    assert len(sheet_values(workbook_of(response).active)) == Unit.objects.count() + 1


def test_the_unit_export_issues_as_many_queries_for_many_units_as_for_few(
    client, ministry_user, renamed_units, django_assert_num_queries
):
    client.force_login(ministry_user)
    params = {"year": 2018, "q": "Sở"}
    with CaptureQueriesContext(connection) as few:
        workbook_of(client.get(UNIT_EXPORT, params))
    for n in range(40):
        make_unit(f"Sở Tư pháp thử {n}", province=Province.objects.get(name="tỉnh Sơn La"))
    with django_assert_num_queries(len(few.captured_queries)):
        rows = sheet_values(workbook_of(client.get(UNIT_EXPORT, params)).active)
    assert len(rows) > 40


# ---------------------------------------------------------------------------------------------
# Roster export
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def roster_2018():
    """The region of 2018 (renamed to a "Cụm" in 2024), with a head, a deputy and a member."""
    region = make_region("Khu vực thi đua miền Đông Nam bộ", effective=date(2012, 1, 1))
    services.region_rename(region=region, name="Cụm thi đua số 5", effective=date(2024, 1, 1))
    lam_dong = make_unit(
        "Sở Tư pháp tỉnh Lâm Đồng", province=Province.objects.get(name="tỉnh Lâm Đồng", valid_to__isnull=False)
    )
    ninh_thuan = make_unit("Cục THADS tỉnh Ninh Thuận", Unit.Kind.CUC_THADS, active_from=date(2005, 1, 1))
    services.unit_rename(unit=ninh_thuan, name="THADS tỉnh Khánh Hòa (sau sáp nhập)", effective=date(2025, 7, 1))
    dong_nai = make_unit("Sở Tư pháp tỉnh Đồng Nai")
    services.membership_add(region=region, unit=lam_dong, year=2018, role=Role.HEAD)
    services.membership_add(region=region, unit=ninh_thuan, year=2018, role=Role.DEPUTY)
    services.membership_add(region=region, unit=dong_nai, year=2018, role=Role.MEMBER)
    return region


def roster_url(region, year=2018) -> str:
    return reverse("regions:roster_export", args=[region.slug, year])


def test_the_roster_export_has_title_rows_and_names_of_that_year(client, ministry_user, roster_2018):
    client.force_login(ministry_user)
    response = client.get(roster_url(roster_2018))
    assert response.status_code == 200
    assert f'filename="{roster_2018.slug}-2018.xlsx"' in response["Content-Disposition"]
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["Danh sách thành viên năm 2018"]
    assert workbook.properties.title == "Khu vực thi đua miền Đông Nam bộ: danh sách thành viên năm 2018"
    rows = sheet_values(workbook.active)
    assert rows[0][0] == "Khu vực thi đua miền Đông Nam bộ"
    assert rows[1][0] == "Năm 2018"
    assert rows[3] == ("STT", "Tên đơn vị", "Loại đơn vị", "Tỉnh/thành phố", "Vai trò", "Thứ tự luân phiên")
    assert rows[4:] == [
        (1, "Sở Tư pháp tỉnh Lâm Đồng", "Sở Tư pháp", "tỉnh Lâm Đồng", "Trưởng khu vực", 1),
        (2, "Cục THADS tỉnh Ninh Thuận", "Cục Thi hành án dân sự", None, "Phó trưởng khu vực", 2),
        (3, "Sở Tư pháp tỉnh Đồng Nai", "Sở Tư pháp", None, "Thành viên", 3),
    ]


def test_a_region_officer_of_a_member_unit_may_export_its_roster(client, region_user, roster_2018):
    services.membership_add(region=roster_2018, unit=region_user.unit, year=2018)
    client.force_login(region_user)
    assert client.get(roster_url(roster_2018)).status_code == 200


def test_a_leader_of_a_member_unit_may_export_its_roster(client, leader_user, roster_2018):
    services.membership_add(region=roster_2018, unit=leader_user.unit, year=2018)
    client.force_login(leader_user)
    assert client.get(roster_url(roster_2018)).status_code == 200


@pytest.mark.parametrize("role", ["region", "leader", "admin", "no_role"])
def test_others_may_not_export_a_roster(client, request, role, roster_2018):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    assert client.get(roster_url(roster_2018)).status_code == 403


def test_visitors_are_sent_to_log_in_from_a_roster_export(client, roster_2018):
    response = client.get(roster_url(roster_2018))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_an_unknown_region_gives_404(client, ministry_user):
    client.force_login(ministry_user)
    assert client.get(reverse("regions:roster_export", args=["khong-co", 2018])).status_code == 404


def test_a_year_without_a_roster_gives_404_with_a_message(client, ministry_user, roster_2018):
    client.force_login(ministry_user)
    response = client.get(roster_url(roster_2018, 2030))
    assert response.status_code == 404
    assert "Cụm thi đua số 5 chưa có danh sách thành viên năm 2030 nên không có gì để xuất." in body(response)


def test_the_roster_export_issues_as_many_queries_for_many_units_as_for_few(
    client, ministry_user, roster_2018, django_assert_num_queries
):
    client.force_login(ministry_user)
    with CaptureQueriesContext(connection) as few:
        workbook_of(client.get(roster_url(roster_2018)))
    for n in range(30):
        services.membership_add(region=roster_2018, unit=make_unit(f"Chi cục thử {n}", Unit.Kind.OTHER), year=2018)
    with django_assert_num_queries(len(few.captured_queries)):
        rows = sheet_values(workbook_of(client.get(roster_url(roster_2018))).active)
    assert len(rows) == 4 + 33
