"""Issue 3's journeys in a real browser, in Vietnamese: a ministry user sets up a region from nothing
(region, Excel import, 2018 roster, copy to 2019, a rename), and a unit's leader reads the roster."""

import importlib
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from accounts.models import Role
from regions import services
from regions.models import Province, RegionMembership, Unit
from tests.e2e.steps import menu_link
from tests.factories import PASSWORD, UserFactory
from tests.regions.factories import make_region, make_unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REGION = "Khu vực thi đua thử nghiệm miền Trung"
STP_QUANG_BINH = "Sở Tư pháp tỉnh Quảng Bình"
STP_HA_TINH = "Sở Tư pháp tỉnh Hà Tĩnh"
CUC_QUANG_BINH = "Cục Thi hành án dân sự tỉnh Quảng Bình"
CHI_CUC_LE_THUY = "Chi cục Thi hành án dân sự huyện Lệ Thủy"
CUC_RENAMED = "Thi hành án dân sự tỉnh Quảng Bình"

# In the order they are added to the 2018 roster, which is the rotation order.
UNIT_ROWS = [
    (STP_QUANG_BINH, "STP Quảng Bình", "Sở Tư pháp", "tỉnh Quảng Bình", "", "01/01/2010"),
    (CUC_QUANG_BINH, "Cục THADS Quảng Bình", "Cục Thi hành án dân sự", "tỉnh Quảng Bình", "", "01/01/2010"),
    (STP_HA_TINH, "STP Hà Tĩnh", "Sở Tư pháp", "tỉnh Hà Tĩnh", "", "01/01/2010"),
    (CHI_CUC_LE_THUY, "", "Chi cục Thi hành án dân sự", "tỉnh Quảng Bình", CUC_QUANG_BINH, "01/01/2010"),
]
HEADINGS = ["Tên đơn vị", "Tên viết tắt", "Loại đơn vị", "Tỉnh/thành phố", "Đơn vị cấp trên", "Hoạt động từ ngày"]


@pytest.fixture
def provinces(transactional_db) -> None:
    """The provinces of the data migration, which the flush after an earlier transactional test removed."""
    if not Province.objects.exists():
        migration = importlib.import_module("regions.migrations.0002_load_provinces")
        migration.load_provinces(apps, None)


def _log_in(page: Page, username: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def _field(page: Page, label: str):
    """The form control labelled exactly ``label``, followed by the "*" crispy forms add to a required field's label."""
    return page.get_by_label(_label(label))


def _label(text: str) -> re.Pattern:
    # Playwright matches a pattern against the label's raw text, line breaks of the template included.
    return re.compile(rf"^\s*{re.escape(text)}\*?\s*$")


def _success(page: Page, text: str) -> None:
    expect(page.locator(".alert-success").filter(has_text=text)).to_be_visible()


def _workbook(path: Path, header: list[str], rows: list[tuple[str, ...]]) -> Path:
    """A workbook laid out as the template: its heading row, then one unit a row (dates as dd/mm/yyyy text)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Đơn vị"
    sheet.append(header)
    for row in rows:
        values = dict(zip(HEADINGS, row, strict=True))
        sheet.append([values.get(heading, "") for heading in header])
    workbook.save(path)
    return path


def _set_role(page: Page, unit: str, role: str) -> None:
    select = page.get_by_label(f"Vai trò của {unit}")
    select.select_option(label=role)
    page.locator("form", has=select).get_by_role("button", name="Đổi vai trò").click()


def _create_region(page: Page, assert_accessible) -> str:
    menu_link(page, "Khu vực thi đua")
    expect(page.get_by_role("heading", name="Khu vực thi đua", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Thêm khu vực thi đua").click()
    expect(page.get_by_role("heading", name="Thêm khu vực thi đua", level=1)).to_be_visible()
    assert_accessible(page)
    _field(page, "Tên").fill(REGION)
    _field(page, "Tên viết tắt").fill("KV miền Trung")
    _field(page, "Tên có hiệu lực từ ngày").fill("01/01/2018")
    page.get_by_role("button", name="Lưu").click()
    _success(page, f"Đã tạo khu vực thi đua {REGION}.")
    expect(page.get_by_role("heading", name=REGION, level=1)).to_be_visible()
    expect(page.get_by_text("Khu vực này chưa có danh sách thành viên.")).to_be_visible()
    assert_accessible(page)
    return page.url


def _import_units(page: Page, tmp_path: Path, assert_accessible) -> None:
    menu_link(page, "Đơn vị")
    expect(page.get_by_role("heading", name="Đơn vị", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nhập đơn vị từ Excel").click()
    expect(page.get_by_role("heading", name="Nhập đơn vị từ Excel", level=1)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải tệp mẫu (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == "mau-nhap-don-vi.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    template = openpyxl.load_workbook(saved, read_only=True)
    assert template.sheetnames == ["Đơn vị", "Hướng dẫn"]
    header = [cell for cell in next(template["Đơn vị"].iter_rows(max_row=1, values_only=True)) if cell]
    template.close()
    assert header[: len(HEADINGS)] == HEADINGS

    # First a file with a typo in one date: the preview names the row and the reason, and offers no import.
    bad_rows = [*UNIT_ROWS[:3], (*UNIT_ROWS[3][:5], "32/13/2010")]
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(_workbook(tmp_path / "don-vi-loi.xlsx", header, bad_rows))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("heading", name="Kiểm tra các đơn vị sẽ nhập", level=1)).to_be_visible()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("1 dòng bị lỗi: không thể nhập.")
    expect(errors.get_by_role("listitem")).to_have_count(1)
    expect(errors.get_by_role("listitem")).to_contain_text(
        "Dòng 5: Hoạt động từ ngày: “32/13/2010” không phải là ngày; hãy viết theo dạng dd/mm/yyyy."
    )
    expect(page.get_by_role("button", name=re.compile(r"^Nhập \d+ đơn vị"))).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Tải tệp khác").click()
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(_workbook(tmp_path / "don-vi.xlsx", header, UNIT_ROWS))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_text("Mọi dòng đều hợp lệ.")).to_be_visible()
    expect(page.locator("#import-errors")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Nhập 4 đơn vị").click()

    _success(page, "Đã nhập 4 đơn vị.")
    expect(page.get_by_role("heading", name="Đơn vị", level=1)).to_be_visible()
    table = page.get_by_role("table")
    for name, *_rest in UNIT_ROWS:
        expect(table.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(table.get_by_role("row").filter(has_text=CHI_CUC_LE_THUY)).to_contain_text(CUC_QUANG_BINH)


def _build_2018_roster(page: Page, region_url: str, assert_accessible) -> None:
    # The region page lists only the years that already have a roster, so the first year is opened by address.
    page.goto(f"{region_url}2018/")
    empty = page.locator("#roster-empty")
    expect(empty).to_contain_text("Chưa có danh sách thành viên năm 2018.")
    assert_accessible(page)

    empty.get_by_role("link", name="Thêm đơn vị").click()
    expect(page.get_by_text("Chỉnh sửa danh sách thành viên năm 2018")).to_be_visible()
    assert_accessible(page)
    for name, *_rest in UNIT_ROWS:
        # Each unit is offered with its province and dates after its name of the year (namesakes never look alike).
        select = _field(page, "Đơn vị")
        select.select_option(select.locator("option").filter(has_text=f"{name} (").first.get_attribute("value"))
        page.get_by_role("button", name="Thêm vào danh sách").click()
        _success(page, f"Đã thêm {name} vào danh sách thành viên năm 2018 với vai trò thành viên.")

    _set_role(page, STP_QUANG_BINH, "Trưởng khu vực")
    _success(page, f"Đã chuyển {STP_QUANG_BINH} thành trưởng khu vực.")
    _set_role(page, CUC_QUANG_BINH, "Phó trưởng khu vực")
    _success(page, f"Đã chuyển {CUC_QUANG_BINH} thành phó trưởng khu vực.")
    _set_role(page, STP_HA_TINH, "Phó trưởng khu vực")
    _success(page, f"Đã chuyển {STP_HA_TINH} thành phó trưởng khu vực.")
    assert_accessible(page)

    _set_role(page, CHI_CUC_LE_THUY, "Phó trưởng khu vực")
    expect(page.locator("#roster-error")).to_have_text(
        "Thay đổi chưa được lưu: Mỗi khu vực thi đua có tối đa hai phó trưởng khu vực trong một năm."
    )
    expect(page.get_by_label(f"Vai trò của {CHI_CUC_LE_THUY}")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    _set_role(page, CHI_CUC_LE_THUY, "Trưởng khu vực")
    expect(page.locator("#roster-error")).to_have_text(
        f"Thay đổi chưa được lưu: Năm 2018 đã có trưởng khu vực: {STP_QUANG_BINH}. "
        "Hãy chuyển đơn vị đó thành thành viên trước."
    )

    page.get_by_role("link", name="Danh sách thành viên năm 2018").click()
    expect(page.locator("#roster-head")).to_have_text(STP_QUANG_BINH)
    expect(page.locator("#roster-unit-count")).to_have_text("4")
    expect(page.locator("#roster-province-count")).to_have_text("2")
    expect(page.get_by_role("row").filter(has_text=CHI_CUC_LE_THUY)).to_contain_text("Thành viên")
    assert_accessible(page)


def _copy_to_2019(page: Page, assert_accessible) -> None:
    page.get_by_role("link", name="Sao chép sang năm mới").click()
    expect(page.get_by_role("heading", name="Sao chép danh sách thành viên sang năm mới", level=1)).to_be_visible()
    expect(page.get_by_role("spinbutton", name="Năm của danh sách mới")).to_have_value("2019")
    proposed = page.locator("#proposed-units")
    # The head passes to the next unit in rotation order (a deputy, which leaves that role); the old head is a member.
    expect(proposed.get_by_role("row").filter(has_text=CUC_QUANG_BINH)).to_contain_text("Trưởng khu vực")
    expect(proposed.get_by_role("row").filter(has_text=STP_HA_TINH)).to_contain_text("Phó trưởng khu vực")
    expect(proposed.get_by_role("row").filter(has_text=STP_QUANG_BINH)).to_contain_text("Thành viên")
    head = page.locator("#copy-form").get_by_label(_label("Trưởng khu vực"))
    expect(head.locator("option:checked")).to_have_text(re.compile(rf"^{re.escape(CUC_QUANG_BINH)} \("))
    assert_accessible(page)

    page.get_by_role("button", name="Tạo danh sách thành viên năm 2019").click()
    _success(page, "Đã tạo danh sách thành viên năm 2019 gồm 4 đơn vị.")
    expect(page.get_by_text("Các đơn vị thành viên năm 2019")).to_be_visible()
    expect(page.locator("#roster-head")).to_have_text(CUC_QUANG_BINH)
    expect(page.locator("#roster-unit-count")).to_have_text("4")
    assert_accessible(page)


def _rename_the_cuc(page: Page, assert_accessible) -> None:
    menu_link(page, "Đơn vị")
    page.get_by_role("table").get_by_role("link", name=CUC_QUANG_BINH, exact=True).click()
    expect(page.get_by_role("heading", name=CUC_QUANG_BINH, level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Đổi tên", exact=True).click()
    expect(page.get_by_role("heading", name=f"Đổi tên {CUC_QUANG_BINH}", level=1)).to_be_visible()
    assert_accessible(page)
    _field(page, "Tên mới").fill(CUC_RENAMED)
    _field(page, "Tên viết tắt").fill("THADS Quảng Bình")
    _field(page, "Có hiệu lực từ ngày").fill("01/07/2025")
    _field(page, "Căn cứ").fill("Quyết định đổi tên (dữ liệu thử nghiệm)")
    page.get_by_role("button", name="Ghi nhận tên mới").click()

    _success(page, "Đã ghi nhận tên mới.")
    history = page.locator("section", has=page.get_by_role("heading", name="Lịch sử tên gọi"))
    rows = history.get_by_role("row")
    expect(rows).to_have_count(3)
    for row, (day, name) in enumerate([("01/01/2010", CUC_QUANG_BINH), ("01/07/2025", CUC_RENAMED)], start=1):
        expect(rows.nth(row).get_by_role("cell").nth(0)).to_have_text(day)
        expect(rows.nth(row).get_by_role("cell").nth(1)).to_have_text(name)

    # Records of earlier years keep the name the unit had then.
    years = page.locator("section", has=page.get_by_role("heading", name="Khu vực thi đua qua các năm"))
    expect(years.get_by_role("row").filter(has_text="2018")).to_contain_text(CUC_QUANG_BINH)
    years.get_by_role("link", name="2018", exact=True).click()
    expect(page.get_by_text("Các đơn vị thành viên năm 2018")).to_be_visible()
    roster = page.locator("table").filter(has_text="Thứ tự")
    expect(roster.get_by_role("link", name=CUC_QUANG_BINH, exact=True)).to_be_visible()
    expect(roster.get_by_role("link", name=CUC_RENAMED, exact=True)).to_have_count(0)


def test_ministry_staff_set_up_a_region_from_excel_build_its_rosters_and_rename_a_unit(
    page, assert_accessible, provinces, tmp_path
):
    UserFactory(username="bo.thidua", full_name="Trần Thị Minh Hằng", roles=[Role.MINISTRY])
    page.goto("/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    assert_accessible(page)
    _log_in(page, "bo.thidua")

    region_url = _create_region(page, assert_accessible)
    _import_units(page, tmp_path, assert_accessible)
    _build_2018_roster(page, region_url, assert_accessible)
    _copy_to_2019(page, assert_accessible)
    _rename_the_cuc(page, assert_accessible)


def test_a_leader_reads_the_roster_of_the_region_of_their_unit_without_edit_buttons(page, assert_accessible):
    region = make_region(REGION, effective=date(2018, 1, 1))
    head = make_unit(STP_QUANG_BINH, active_from=date(2010, 1, 1))
    own = make_unit(CUC_QUANG_BINH, Unit.Kind.CUC_THADS, active_from=date(2010, 1, 1))
    services.membership_add(region=region, unit=head, year=2018, role=RegionMembership.Role.HEAD)
    services.membership_add(region=region, unit=own, year=2018, role=RegionMembership.Role.DEPUTY)
    UserFactory(username="lanhdao.cuc", full_name="Mai Công Danh", roles=[Role.LEADER], unit=own)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    _log_in(page, "lanhdao.cuc")
    menu_link(page, "Khu vực thi đua")
    expect(page.get_by_role("link", name="Thêm khu vực thi đua")).to_have_count(0)
    page.get_by_role("table").get_by_role("link", name=REGION).click()
    expect(page.get_by_role("heading", name=REGION, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Đổi tên")).to_have_count(0)
    expect(page.get_by_role("link", name="Sửa mô tả")).to_have_count(0)

    page.get_by_role("link", name="Danh sách thành viên năm 2018").click()
    expect(page.locator("#roster-head")).to_have_text(STP_QUANG_BINH)
    expect(page.get_by_role("row").filter(has_text=CUC_QUANG_BINH)).to_contain_text("Phó trưởng khu vực")
    expect(page.get_by_role("link", name="Xuất ra Excel")).to_be_visible()
    main = page.get_by_role("main")
    for edit_label in ("Chỉnh sửa danh sách", "Thay đổi thứ tự luân phiên", "Sao chép sang năm mới"):
        expect(main.get_by_role("link", name=edit_label)).to_have_count(0)
    expect(main.get_by_role("button", name="Đổi vai trò")).to_have_count(0)
    # Unit pages are for ministry staff: the roster names the units without linking to them.
    expect(main.get_by_role("table").get_by_role("link")).to_have_count(0)
    assert_accessible(page)

    refused = page.goto(f"/regions/{region.slug}/2018/edit/")
    assert refused is not None and refused.status == 403
